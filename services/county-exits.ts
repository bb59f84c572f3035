import type { Client } from '@temporalio/client';
import {
  countyExitStatusQuery,
  countyExitStepUpdate,
  countyExitWorkflowId,
  type CountyExitInput,
  type CountyExitStatus,
  type CountyExitStepRequest,
} from '../workflows/county-exit.messages';
import { countyExit } from '../workflows/county-exit';
import { queryStatus, sendUpdate, startOnce, type Started } from './exit-workflows';

/** What starting a county's exit asks for: the workflow's input but for the correlation id, which is the workflow's id. */
export type StartCountyExit = Omit<CountyExitInput, 'correlationId' | 'minNoticeSeconds'>;

/** A county's exit (摘帽) for a year: the application, the city's pre-check, the provincial check, notice, announcement. */
export const startCountyExit = (client: Client, taskQueue: string, r: StartCountyExit, requestId?: string): Promise<Started> => {
  const workflowId = countyExitWorkflowId(r.countyId, r.year);
  const input: CountyExitInput = { ...r, correlationId: workflowId };
  return startOnce(client, countyExit, { taskQueue, workflowId, args: [input] }, requestId);
};

export const sendCountyExitStep = (client: Client, countyId: string, year: number, request: CountyExitStepRequest, requestId?: string): Promise<CountyExitStatus> =>
  sendUpdate(client, countyExitWorkflowId(countyId, year), countyExitStepUpdate, request, requestId);

export const countyExitStatus = (client: Client, countyId: string, year: number): Promise<CountyExitStatus | null> =>
  queryStatus(client, countyExitWorkflowId(countyId, year), countyExitStatusQuery);
