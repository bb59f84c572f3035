import type { Client } from '@temporalio/client';
import type { Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import {
  countyExitStatusQuery,
  countyExitStepUpdate,
  countyExitWorkflowId,
  type CountyExitInput,
  type CountyExitStatus,
  type CountyExitStepRequest,
} from '../workflows/county-exit.messages';
import { queryStatus, sendUpdate, startOnce, type Started } from './exit-workflows';

export interface StartCountyExit {
  readonly countyId: CountyId;
  readonly year: number;
  readonly ruralPopulation: number;
  readonly nonRegisteredHouseholds: number;
  /** The county official who applies. */
  readonly county: Actor;
  /** The city poverty office account that will post the notice once the provincial check passes. */
  readonly city: Actor;
  readonly noticeSeconds: number;
}

/** A county's exit (摘帽) for a year: the application, the city's pre-check, the provincial check, notice, announcement. */
export const startCountyExit = (client: Client, taskQueue: string, r: StartCountyExit, requestId?: string): Promise<Started> => {
  const workflowId = countyExitWorkflowId(r.countyId, r.year);
  const input: CountyExitInput = { ...r, correlationId: workflowId };
  return startOnce(client, 'countyExit', { taskQueue, workflowId, args: [input], requestId });
};

export const sendCountyExitStep = (client: Client, countyId: string, year: number, request: CountyExitStepRequest, requestId?: string): Promise<CountyExitStatus> =>
  sendUpdate(client, countyExitWorkflowId(countyId, year), countyExitStepUpdate, request, requestId);

export const countyExitStatus = (client: Client, countyId: string, year: number): Promise<CountyExitStatus | null> =>
  queryStatus(client, countyExitWorkflowId(countyId, year), countyExitStatusQuery);
