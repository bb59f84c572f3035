import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { ReturnReviewPhase } from '../domain/exits/steps';
import { actorAssertionSchema, actorSchema } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import { requiredText } from '../domain/shared/text';

/** One flagged household's return-to-poverty review. The id is the household's opaque id only. */
export const returnReviewWorkflowId = (householdId: string, year: number): string => `return-review-${householdId}-${year}`;

export interface ReturnReviewInput {
  readonly householdId: string;
  readonly countyId: CountyId;
  readonly year: number;
  /** At least 5 days in production; tests pass seconds. */
  readonly noticeSeconds: number;
  readonly minNoticeSeconds?: number;
  readonly correlationId: string;
}

/** The caller's signed token for `actor`, checked where the step is recorded. */
const assertion = actorAssertionSchema.optional();

export const returnReviewStepSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('visit'), actor: actorSchema, assertion, findings: requiredText(2000) }).strict(),
  z.object({ type: z.literal('postNotice'), actor: actorSchema, assertion }).strict(),
  z.object({ type: z.literal('decide'), actor: actorSchema, assertion, returnsToPoverty: z.boolean(), reason: requiredText(2000) }).strict(),
]);
export type ReturnReviewStepRequest = z.input<typeof returnReviewStepSchema>;

/** The phases, and which step each waits for, are the domain's (domain/exits). */
export type { ReturnReviewPhase } from '../domain/exits/steps';

export interface ReturnReviewStatus {
  readonly householdId: string;
  readonly phase: ReturnReviewPhase;
  readonly noticeEndsAt?: string;
}

export const returnReviewStepUpdate = defineUpdate<ReturnReviewStatus, [ReturnReviewStepRequest]>('returnReviewStep');
export const returnReviewStatusQuery = defineQuery<ReturnReviewStatus>('returnReviewStatus');
