import { z } from 'zod';
import { COUNTY_IDS, countyIdSchema } from '../../domain/reference/counties';
import { householdIdSchema } from '../../domain/household/ids';
import { villageIdSchema } from '../../domain/village/ids';
import { checklistItemSchema, CHECK_RESULTS } from '../../domain/village/checklist';
import { roleSchema } from '../../domain/shared/actor';
import { ACTIONS } from '../../domain/access/actions';
import type { CountyExitPhase, ExitRoundPhase, ReturnReviewPhase, VillageExitPhase } from '../../domain/exits/steps';
import { NOTICE_DAYS } from '../../domain/policy/exit-thresholds';
import { exitRoundStepSchema, type ExitRoundStepOutcome } from '../../workflows/exit-round.messages';
import { villageExitStepSchema } from '../../workflows/village-exit.messages';
import { countyExitStepSchema } from '../../workflows/county-exit.messages';
import { returnReviewStepSchema } from '../../workflows/return-review.messages';
import { requestIdSchema } from './common';
import type { ExitRoundView } from '../../services/exit-rounds';
import type { VillageExitView } from '../../services/village-exits';
import type { CountyExitView } from '../../services/county-exits';
import type { ReturnReviewView } from '../../services/return-reviews';
import { requiredLine } from '../../domain/shared/text';

const inCounty = (id: string) => (COUNTY_IDS as readonly string[]).includes(id.split('-')[1] ?? '');
export const villageInCountySchema = villageIdSchema.refine(inCounty, { error: "must name one of the plan's 13 counties: vil-<county>-<serial>" });
export const householdInCountySchema = householdIdSchema.refine(inCounty, { error: "must name one of the plan's 13 counties: hh-<county>-<serial>" });
const year = z.number().int().min(2016).max(2020);
export const pathYear = z.coerce.number().int().min(2016).max(2030);
export const noticeDays = (min: number) => z.number().int().min(min).max(60).default(min);

/** Each step the workflow takes, without its actor and the actor's assertion (the token's) and with the client's request id. */
export const stepsOf = <O extends z.ZodObject>(options: readonly O[]) => {
  const variants = options.map((o) =>
    o
      .omit({ actor: true, assertion: true } as never)
      .extend({ requestId: requestIdSchema.optional() })
      .strict(),
  );
  return z.discriminatedUnion('type', variants as unknown as [z.ZodObject<{ type: z.ZodLiteral<string> }>, ...z.ZodObject<{ type: z.ZodLiteral<string> }>[]]);
};

export const startRoundBodySchema = z
  .object({
    villageId: villageInCountySchema,
    year,
    noticeDays: noticeDays(NOTICE_DAYS.householdExit.value),
    /** Candidates; every registered household of the village when absent. */
    householdIds: z.array(householdIdSchema).min(1).max(2000).optional(),
    requestId: requestIdSchema.optional(),
  })
  .strict();
export const roundParamsSchema = z.object({ villageId: villageInCountySchema, year: pathYear }).strict();
export const roundStepBodySchema = stepsOf(exitRoundStepSchema.options);

export const startVillageExitBodySchema = z
  .object({
    villageId: villageInCountySchema,
    year,
    /** The village's registered rural population for the year (from the household register). */
    ruralPopulation: z.number().int().min(1),
    checklist: z
      .array(z.object({ item: checklistItemSchema, result: z.enum(CHECK_RESULTS), evidenceRef: requiredLine(200) }).strict())
      .min(1)
      .max(50),
    noticeDays: noticeDays(NOTICE_DAYS.villageExit.value),
    requestId: requestIdSchema.optional(),
  })
  .strict();
export const villageExitParamsSchema = roundParamsSchema;
export const villageExitStepBodySchema = stepsOf(villageExitStepSchema.options);

export const startCountyExitBodySchema = z
  .object({
    countyId: countyIdSchema,
    year,
    ruralPopulation: z.number().int().min(1),
    /** Rural households not on the register, numbered for the third-party sample's draw. */
    nonRegisteredHouseholds: z.number().int().min(1),
    noticeDays: noticeDays(NOTICE_DAYS.countyExit.value),
    requestId: requestIdSchema.optional(),
  })
  .strict();
export const countyExitParamsSchema = z.object({ countyId: countyIdSchema, year: pathYear }).strict();
/** The provincial checker brings no seed: it derives from the store digest fixed when the county applied (workflows/county-exit.ts). */
export const countyExitStepBodySchema = stepsOf(
  countyExitStepSchema.options.map((o): z.ZodObject => (o.shape.type.value === 'provincialCheck' ? (o as z.ZodObject).omit({ seed: true } as never) : o)),
);

export const startReviewBodySchema = z
  .object({
    householdId: householdInCountySchema,
    year: z.number().int().min(2016).max(2030),
    noticeDays: noticeDays(NOTICE_DAYS.returnToPoverty.value),
    requestId: requestIdSchema.optional(),
  })
  .strict();
export const reviewParamsSchema = z.object({ householdId: householdInCountySchema, year: pathYear }).strict();
export const reviewStepBodySchema = stepsOf(returnReviewStepSchema.options);

export const startedSchema = z.object({ workflowId: z.string(), runId: z.string(), repeated: z.boolean() });
/** A refusal as the workflows keep it (domain/shared/errors.ts DomainError): a code, zh and en, and details. */
const refusalSchema = z.object({ code: z.string(), zh: z.string(), en: z.string(), details: z.record(z.string(), z.unknown()).optional() });

/** Every member of the union T, no more and no fewer: the compiler checks both ways. */
export const phasesOf =
  <T extends string>() =>
  <const A extends readonly [T, ...T[]]>(values: A & ([Exclude<T, A[number]>] extends [never] ? unknown : { missing: Exclude<T, A[number]> })) =>
    z.enum(values);

/** Who the process waits for (domain/exits NextActor), in zh beside the ids; null at rest. */
const nextActorSchema = z
  .object({
    step: z.string(),
    stepZh: z.string(),
    action: z.enum(ACTIONS),
    role: roleSchema,
    roleZh: z.string(),
    roles: z.array(roleSchema).readonly(),
    notBefore: z.string().optional(),
  })
  .nullable();
/** What every exit process's answer adds to the workflow's status (services/*-exits.ts viewOf). */
export const viewShape = { phaseZh: z.string(), nextActor: nextActorSchema };

const roundPhase = phasesOf<ExitRoundPhase>()(['assessing', 'village-steps', 'in-notice', 'township-review', 'announcing', 'announced', 'closed']);
export const exitRoundStatusSchema = z.object({
  villageId: z.string(),
  year: z.number().int(),
  phase: roundPhase,
  noticeEndsAt: z.string().optional(),
  /** Households by status (the decider's status names). */
  counts: z.record(z.string(), z.number().int()),
  households: z.array(z.object({ householdId: z.string(), status: z.string(), reason: z.string().optional() })).readonly(),
  ...viewShape,
}) satisfies z.ZodType<ExitRoundView>;
export const exitRoundStepOutcomeSchema = z.object({
  phase: roundPhase,
  accepted: z.array(z.string()).readonly(),
  refused: z.array(z.object({ householdId: z.string(), code: z.string(), message: z.string() })).readonly(),
  ...viewShape,
}) satisfies z.ZodType<ExitRoundStepOutcome & Pick<ExitRoundView, 'phaseZh' | 'nextActor'>>;

export const villageExitStatusSchema = z.object({
  villageId: z.string(),
  year: z.number().int(),
  phase: phasesOf<VillageExitPhase>()(['recording', 'awaiting-review', 'in-notice', 'awaiting-announcement', 'exited', 'blocked']),
  incidence: z.object({ poorRemaining: z.number().int(), population: z.number().int() }).optional(),
  blockedBy: refusalSchema.optional(),
  noticeEndsAt: z.string().optional(),
  ...viewShape,
}) satisfies z.ZodType<VillageExitView>;
/** A started village exit with its status once the application has run (phase, incidence, nextActor). */
export const villageExitStartedSchema = startedSchema.extend({ status: villageExitStatusSchema.nullable() });

export const countyExitStatusSchema = z.object({
  countyId: countyIdSchema,
  year: z.number().int(),
  phase: phasesOf<CountyExitPhase>()(['applying', 'awaiting-city', 'awaiting-province', 'in-notice', 'awaiting-announcement', 'exited', 'blocked']),
  figures: z.object({ poorRemaining: z.number().int(), ruralPopulation: z.number().int(), poorVillagesExited: z.number().int() }).optional(),
  sample: z.object({ seed: z.string(), drawn: z.number().int(), wronglyExited: z.number().int(), missedPoor: z.number().int() }).optional(),
  blockedBy: refusalSchema.optional(),
  noticeEndsAt: z.string().optional(),
  ...viewShape,
}) satisfies z.ZodType<CountyExitView>;

export const returnReviewStatusSchema = z.object({
  householdId: z.string(),
  phase: phasesOf<ReturnReviewPhase>()(['awaiting-visit', 'visited', 'in-notice', 'awaiting-decision', 'returned', 'cleared']),
  noticeEndsAt: z.string().optional(),
  ...viewShape,
}) satisfies z.ZodType<ReturnReviewView>;

export const progressQuerySchema = z.object({ county: countyIdSchema.optional(), year: z.coerce.number().int().min(2016).max(2030).optional() }).strict();

const net = z.object({ exited: z.number().int(), returned: z.number().int(), net: z.number().int() });
export const progressSchema = z.object({
  countyId: z.string().nullable(),
  year: z.number().int().nullable(),
  years: z.array(
    z.object({
      year: z.number().int(),
      households: net,
      people: net.extend({ target: z.number().int().nullable() }),
      villages: z.object({ exited: z.number().int(), target: z.number().int().nullable() }),
      counties: z.object({ exited: z.number().int(), target: z.number().int() }),
    }),
  ),
  safetyNet: z.object({ zh: z.string(), en: z.string(), year: z.number().int(), people: net.extend({ target: z.number().int().nullable() }) }),
  counties: z.array(
    z.object({
      countyId: z.string(),
      zh: z.string(),
      poorVillages: z.number().int(),
      poorPeople: z.number().int(),
      targetExitYear: z.number().int(),
      people: net,
      villagesExited: z.number().int(),
      peopleExitedBp: z.number().int(),
      exitedIn: z.number().int().nullable(),
    }),
  ),
});
