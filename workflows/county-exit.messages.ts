import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { objectionIdSchema } from '../domain/shared/ids';
import { z } from 'zod';
import type { CountyExitPhase } from '../domain/exits/steps';
import { actorAssertionSchema, actorSchema, type Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import type { DomainError } from '../domain/shared/errors';
import { optionalText, requiredLine, requiredText } from '../domain/shared/text';

export const countyExitWorkflowId = (countyId: string, year: number): string => `county-exit-${countyId}-${year}`;

export interface CountyExitInput {
  readonly countyId: CountyId;
  readonly year: number;
  /** The county's registered rural population for the year (the incidence denominator). */
  readonly ruralPopulation: number;
  /** Rural households not on the register, numbered for the third-party sample's draw. */
  readonly nonRegisteredHouseholds: number;
  /** The county official who applies. */
  readonly county: Actor;
  /** The county official's signed token (infra/tokens/actor-assertion.ts), checked before the application is recorded. */
  readonly assertion?: string;
  /** Runs started before the province posted the notice itself: the city office that posted it. New runs leave it out. */
  readonly city?: Actor;
  readonly noticeSeconds: number;
  readonly minNoticeSeconds?: number;
  readonly correlationId: string;
}

const n = z.number().int().nonnegative();
/** The caller's signed token for `actor`, checked where the step is recorded. */
const assertion = actorAssertionSchema.optional();

export const countyExitStepSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('cityPreCheck'), actor: actorSchema, assertion, passed: z.boolean(), findings: optionalText(4000).default('') }).strict(),
  z
    .object({
      type: z.literal('provincialCheck'),
      actor: actorSchema,
      assertion,
      /**
       * The draw's seed, for runs that applied before the seed was fixed at application: a run that
       * recorded the store digest when the county applied derives its seed from it and refuses one here.
       */
      seed: requiredLine(200).optional(),
      evaluator: requiredLine(200),
      /** How many to draw: at least the policy's minimum (domain/policy/county-check.ts), which is the default. */
      exitedToSample: n.min(1).max(5000).optional(),
      nonRegisteredToSample: n.min(1).max(5000).optional(),
      /** Sample ids (nr-<county>-<n>) the evaluators found poor on their visit. */
      foundPoor: z.array(z.string().regex(/^nr-[a-z]+-\d+$/)).default([]),
      approval: z.object({ approving: n, asked: n.min(1) }).strict(),
      incomeGrowthBp: z.object({ county: z.number().int(), province: z.number().int() }).strict(),
      servicesAtOrNearProvince: z.boolean(),
    })
    .strict(),
  z.object({ type: z.literal('object'), actor: actorSchema, assertion, objectionId: objectionIdSchema, summary: requiredText(2000) }).strict(),
  z.object({ type: z.literal('announce'), actor: actorSchema, assertion }).strict(),
]);
export type CountyExitStepRequest = z.input<typeof countyExitStepSchema>;

/** The phases, and which step each waits for, are the domain's (domain/exits). */
export type { CountyExitPhase } from '../domain/exits/steps';

export interface CountyExitStatus {
  readonly countyId: CountyId;
  readonly year: number;
  readonly phase: CountyExitPhase;
  readonly figures?: { readonly poorRemaining: number; readonly ruralPopulation: number; readonly poorVillagesExited: number };
  readonly sample?: { readonly seed: string; readonly drawn: number; readonly wronglyExited: number; readonly missedPoor: number };
  /** Why the exit is blocked: the failing test(s), with their numbers. */
  readonly blockedBy?: DomainError;
  readonly noticeEndsAt?: string;
}

export const countyExitStepUpdate = defineUpdate<CountyExitStatus, [CountyExitStepRequest]>('countyExitStep');
export const countyExitStatusQuery = defineQuery<CountyExitStatus>('countyExitStatus');
