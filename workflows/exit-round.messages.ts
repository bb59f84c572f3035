import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { objectionIdSchema } from '../domain/shared/ids';
import { z } from 'zod';
import type { ExitRoundPhase } from '../domain/exits/steps';
import { actorAssertionSchema, actorSchema, type Actor } from '../domain/shared/actor';
import { householdIdSchema } from '../domain/household/ids';
import type { CountyId } from '../domain/reference/counties';
import { optionalText, requiredLine, requiredText } from '../domain/shared/text';

/**
 * What the yearly exit round of one village and its callers (CLI, API, tests) share. Only household
 * ids travel: never names or ID numbers, never whole files.
 */
export const exitRoundWorkflowId = (villageId: string, year: number): string => `exit-round-${villageId}-${year}`;

export interface ExitRoundInput {
  readonly villageId: string;
  readonly countyId: CountyId;
  readonly year: number;
  /** Candidates; when absent the round takes every registered household of the village. */
  readonly householdIds?: readonly string[];
  /** Who assesses (a work team member): the round's first step is the workflow's own. */
  readonly assessor: Actor;
  /** The assessor's signed token (infra/tokens/actor-assertion.ts), checked before the assessment is recorded. */
  readonly assertion?: string;
  /** The village notice. At least 7 days in production; tests pass seconds. */
  readonly noticeSeconds: number;
  /** Passed to the decider: the shortest notice it accepts (defaults to noticeSeconds). */
  readonly minNoticeSeconds?: number;
  readonly correlationId: string;
}

const recordRef = requiredLine(200);
const note = optionalText(2000);
const ids = z.array(householdIdSchema).min(1).max(2000);

/** A person's step on many households at once, as one Update; parsed with zod by the validator. */
/** The caller's signed token for `actor`, checked where the step is recorded. */
const assertion = actorAssertionSchema.optional();

export const exitRoundStepSchema = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('appraise'), actor: actorSchema, assertion, recordRef, agreed: z.array(householdIdSchema), rejected: z.array(householdIdSchema).default([]) })
    .strict(),
  z
    .object({
      type: z.literal('check'),
      actor: actorSchema,
      assertion,
      confirmed: z.array(householdIdSchema),
      notConfirmed: z.array(householdIdSchema).default([]),
      findings: note.default(''),
    })
    .strict(),
  z.object({ type: z.literal('consent'), actor: actorSchema, assertion, householdIds: ids, consents: z.boolean(), recordRef }).strict(),
  z.object({ type: z.literal('withdrawConsent'), actor: actorSchema, assertion, householdIds: ids, recordRef }).strict(),
  z.object({ type: z.literal('postNotice'), actor: actorSchema, assertion }).strict(),
  z
    .object({
      type: z.literal('object'),
      actor: actorSchema,
      assertion,
      householdId: householdIdSchema,
      objectionId: objectionIdSchema,
      summary: requiredText(2000),
    })
    .strict(),
  z
    .object({
      type: z.literal('townshipReview'),
      actor: actorSchema,
      assertion,
      approved: z.array(householdIdSchema),
      rejected: z.array(householdIdSchema).default([]),
      note: note.default(''),
    })
    .strict(),
  z.object({ type: z.literal('announce'), actor: actorSchema, assertion }).strict(),
]);
export type ExitRoundStepRequest = z.input<typeof exitRoundStepSchema>;

/** The phases, and which step each waits for, are the domain's (domain/exits). */
export type { ExitRoundPhase } from '../domain/exits/steps';

export interface RoundHousehold {
  readonly householdId: string;
  /** The household's status as the round left it (the decider's status names), or why it left. */
  readonly status: string;
  readonly reason?: string;
}

export interface ExitRoundStepOutcome {
  readonly phase: ExitRoundPhase;
  readonly accepted: readonly string[];
  readonly refused: readonly { readonly householdId: string; readonly code: string; readonly message: string }[];
}

export interface ExitRoundStatus {
  readonly villageId: string;
  readonly year: number;
  readonly phase: ExitRoundPhase;
  readonly noticeEndsAt?: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly households: readonly RoundHousehold[];
}

export interface ExitRoundResult {
  readonly villageId: string;
  readonly year: number;
  readonly exited: readonly string[];
  readonly peopleExited: number;
  readonly stayed: readonly RoundHousehold[];
}

export const exitRoundStepUpdate = defineUpdate<ExitRoundStepOutcome, [ExitRoundStepRequest]>('exitRoundStep');
export const exitRoundStatusQuery = defineQuery<ExitRoundStatus>('exitRoundStatus');
