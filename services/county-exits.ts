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
import { COUNTY_EXIT, nextStep, type NextActor } from '../domain/exits';
import { zhOf } from '../domain/names/name';
import { queryStatus, sendUpdate, startOnce, type Started } from './exit-workflows';

/** What starting a county's exit asks for: the workflow's input but for the correlation id, which is the workflow's id. */
export type StartCountyExit = Omit<CountyExitInput, 'correlationId' | 'minNoticeSeconds' | 'assertion'> & { readonly assertion?: string | undefined };

/** A county's exit (摘帽) for a year: the application, the city's pre-check, the provincial check, notice, announcement. */
export const startCountyExit = (client: Client, taskQueue: string, r: StartCountyExit, requestId?: string): Promise<Started> => {
  const workflowId = countyExitWorkflowId(r.countyId, r.year);
  const { assertion, ...rest } = r;
  const input: CountyExitInput = { ...rest, ...(assertion !== undefined ? { assertion } : {}), correlationId: workflowId };
  return startOnce(client, countyExit, { taskQueue, workflowId, args: [input] }, requestId);
};

/** A county exit's status as people read it: the phase in Chinese, and who it waits for (domain/exits). */
export type CountyExitView = CountyExitStatus & { readonly phaseZh: string; readonly nextActor: NextActor | null };
const viewOf = (s: CountyExitStatus): CountyExitView => ({ ...s, phaseZh: zhOf(COUNTY_EXIT.phaseNames, s.phase), nextActor: nextStep(COUNTY_EXIT, s.phase, s.noticeEndsAt) });

export const sendCountyExitStep = async (client: Client, countyId: string, year: number, request: CountyExitStepRequest, requestId?: string): Promise<CountyExitView> =>
  viewOf(await sendUpdate(client, countyExitWorkflowId(countyId, year), countyExitStepUpdate, request, requestId));

export const countyExitStatus = async (client: Client, countyId: string, year: number): Promise<CountyExitView | null> => {
  const s = await queryStatus(client, countyExitWorkflowId(countyId, year), countyExitStatusQuery);
  return s === null ? null : viewOf(s);
};
