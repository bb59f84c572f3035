import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { actorAssertionSchema, actorSchema } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import type { ComplaintEscalationLevel } from '../domain/complaint/ids';
import { COMPLAINT_FINDINGS } from '../domain/complaint/ids';
import { requiredText } from '../domain/shared/text';

/** One complaint's case: its answer deadline and escalations. The id is the complaint's, free of personal data. */
export const complaintWorkflowId = (complaintId: string): string => `complaint-${complaintId}`;

export interface ComplaintCaseInput {
  readonly complaintId: string;
  readonly countyId: CountyId;
  /** When the answer is due (ComplaintFiled's answerBy). */
  readonly answerBy: string;
  /** How long each escalation waits before the next level is told: the policy's days in seconds (tests shorten the day). */
  readonly escalationSeconds: number;
  readonly correlationId: string;
}

export const complaintAnswerSchema = z
  .object({ actor: actorSchema, assertion: actorAssertionSchema.optional(), finding: z.enum(COMPLAINT_FINDINGS), answer: requiredText(2000) })
  .strict();
export type ComplaintAnswerRequest = z.input<typeof complaintAnswerSchema>;

export type ComplaintPhase = 'open' | 'answered';

export interface ComplaintCaseStatus {
  readonly complaintId: string;
  readonly phase: ComplaintPhase;
  readonly answerBy: string;
  readonly escalation: ComplaintEscalationLevel | null;
}

export const complaintAnswerUpdate = defineUpdate<ComplaintCaseStatus, [ComplaintAnswerRequest]>('complaintAnswer');
export const complaintStatusQuery = defineQuery<ComplaintCaseStatus>('complaintStatus');
