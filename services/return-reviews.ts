import type { Client } from '@temporalio/client';
import type { CountyId } from '../domain/reference/counties';
import {
  returnReviewStatusQuery,
  returnReviewStepUpdate,
  returnReviewWorkflowId,
  type ReturnReviewInput,
  type ReturnReviewStatus,
  type ReturnReviewStepRequest,
} from '../workflows/return-review.messages';
import { returnReview } from '../workflows/return-review';
import { RETURN_REVIEW, nextStep, type NextActor } from '../domain/exits';
import { zhOf } from '../domain/names/name';
import { countyOf, queryStatus, sendUpdate, startOnce, type Started } from './exit-workflows';

/** A flagged household's return-to-poverty review: started by the yearly records or by a person. */
export const startReturnReview = (client: Client, taskQueue: string, r: { householdId: string; year: number; noticeSeconds: number }, requestId?: string): Promise<Started> => {
  const workflowId = returnReviewWorkflowId(r.householdId, r.year);
  const input: ReturnReviewInput = {
    householdId: r.householdId,
    countyId: countyOf(r.householdId) as CountyId,
    year: r.year,
    noticeSeconds: r.noticeSeconds,
    correlationId: workflowId,
  };
  return startOnce(client, returnReview, { taskQueue, workflowId, args: [input] }, requestId);
};

/** A review's status as people read it: the phase in Chinese, and who it waits for (domain/exits). */
export type ReturnReviewView = ReturnReviewStatus & { readonly phaseZh: string; readonly nextActor: NextActor | null };
const viewOf = (s: ReturnReviewStatus): ReturnReviewView => ({
  ...s,
  phaseZh: zhOf(RETURN_REVIEW.phaseNames, s.phase),
  nextActor: nextStep(RETURN_REVIEW, s.phase, s.noticeEndsAt),
});

export const sendReturnReviewStep = async (client: Client, householdId: string, year: number, request: ReturnReviewStepRequest, requestId?: string): Promise<ReturnReviewView> =>
  viewOf(await sendUpdate(client, returnReviewWorkflowId(householdId, year), returnReviewStepUpdate, request, requestId));

export const returnReviewStatus = async (client: Client, householdId: string, year: number): Promise<ReturnReviewView | null> => {
  const s = await queryStatus(client, returnReviewWorkflowId(householdId, year), returnReviewStatusQuery);
  return s === null ? null : viewOf(s);
};
