import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { objectionIdSchema } from '../domain/shared/ids';
import { z } from 'zod';
import { actorAssertionSchema, actorSchema, type Actor } from '../domain/shared/actor';
import { householdIdSchema } from '../domain/household/ids';
import type { CountyId } from '../domain/reference/counties';
import { applicationFileSchema } from '../domain/identification/events';
import { optionalText, requiredLine, requiredText } from '../domain/shared/text';

/**
 * What the yearly identification round (识别) of one village and its callers share. Only household
 * ids and the files as events hold them (member keys, masked numbers) travel: the clear ID numbers
 * go to the encrypted table before the application reaches the workflow.
 */
export const identificationWorkflowId = (villageId: string, year: number): string => `identification-${villageId}-${year}`;

export interface IdentificationInput {
  readonly villageId: string;
  readonly countyId: CountyId;
  readonly year: number;
  /** Who opened the round (a township official or the work team): the opening is the workflow's own step. */
  readonly opener: Actor;
  /** The opener's signed token (infra/tokens/actor-assertion.ts), checked before the round is opened. */
  readonly assertion?: string;
  /** Each notice (村公示, 乡审核公示). At least 7 days in production; tests pass seconds. */
  readonly noticeSeconds: number;
  /** Passed to the decider: the shortest notice it accepts (defaults to noticeSeconds). */
  readonly minNoticeSeconds?: number;
  readonly correlationId: string;
}

const ids = z.array(householdIdSchema).max(2000);
/** The caller's signed token for `actor`, checked where the step is recorded. */
const assertion = actorAssertionSchema.optional();

/** A person's step, as one Update; parsed with zod by the validator. */
export const identificationStepSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('apply'), actor: actorSchema, assertion, householdId: householdIdSchema, recordRef: requiredLine(200), file: applicationFileSchema }).strict(),
  z.object({ type: z.literal('appraise'), actor: actorSchema, assertion, agreed: ids, rejected: ids.default([]), recordRef: requiredLine(200) }).strict(),
  z.object({ type: z.literal('postVillageNotice'), actor: actorSchema, assertion }).strict(),
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
  z.object({ type: z.literal('townshipReview'), actor: actorSchema, assertion, approved: ids, rejected: ids.default([]), note: optionalText(2000).default('') }).strict(),
  z.object({ type: z.literal('announce'), actor: actorSchema, assertion, approved: ids, rejected: ids.default([]), note: optionalText(2000).default('') }).strict(),
]);
export type IdentificationStepRequest = z.input<typeof identificationStepSchema>;

export type { IdentificationPhase } from '../domain/identification/steps';
import type { IdentificationPhase } from '../domain/identification/steps';

export interface IdentificationApplicant {
  readonly householdId: string;
  /** domain/identification ApplicantStatus (`approved`: approved by the county; `registered` lists those 建档立卡 wrote). */
  readonly status: string;
  readonly reason?: string;
}

export interface IdentificationStatus {
  readonly villageId: string;
  readonly year: number;
  readonly phase: IdentificationPhase;
  readonly noticeEndsAt?: string;
  readonly households: readonly IdentificationApplicant[];
  /** The households registered (建档立卡) at the announcement. */
  readonly registered: readonly string[];
}

export const identificationStepUpdate = defineUpdate<IdentificationStatus, [IdentificationStepRequest]>('identificationStep');
export const identificationStatusQuery = defineQuery<IdentificationStatus>('identificationStatus');
