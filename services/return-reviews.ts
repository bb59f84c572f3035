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
import { countyOf, queryStatus, sendUpdate, startOnce, type Started } from './exit-workflows';

/** A flagged household's return-to-poverty review: started by the yearly records or by a person. */
export const startReturnReview = (client: Client, taskQueue: string, r: { householdId: string; year: number; noticeSeconds: number }, requestId?: string): Promise<Started> => {
  const workflowId = returnReviewWorkflowId(r.householdId, r.year);
  const input: ReturnReviewInput = { householdId: r.householdId, countyId: countyOf(r.householdId) as CountyId, year: r.year, noticeSeconds: r.noticeSeconds, correlationId: workflowId };
  return startOnce(client, returnReview, { taskQueue, workflowId, args: [input] }, requestId);
};

export const sendReturnReviewStep = (client: Client, householdId: string, year: number, request: ReturnReviewStepRequest, requestId?: string): Promise<ReturnReviewStatus> =>
  sendUpdate(client, returnReviewWorkflowId(householdId, year), returnReviewStepUpdate, request, requestId);

export const returnReviewStatus = (client: Client, householdId: string, year: number): Promise<ReturnReviewStatus | null> =>
  queryStatus(client, returnReviewWorkflowId(householdId, year), returnReviewStatusQuery);
