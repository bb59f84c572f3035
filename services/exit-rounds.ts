import type { Client } from '@temporalio/client';
import type { Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import {
  exitRoundStatusQuery,
  exitRoundStepUpdate,
  exitRoundWorkflowId,
  type ExitRoundInput,
  type ExitRoundStatus,
  type ExitRoundStepOutcome,
  type ExitRoundStepRequest,
} from '../workflows/exit-round.messages';
import { exitRound } from '../workflows/exit-round';
import { countyOf, queryStatus, sendUpdate, startOnce, type Started } from './exit-workflows';

export interface StartRound {
  readonly villageId: string;
  readonly year: number;
  /** Who assesses: the round's first step is taken in their name. */
  readonly assessor: Actor;
  readonly noticeSeconds: number;
  /** Candidates; every registered household of the village when absent. */
  readonly householdIds?: readonly string[] | undefined;
}

/** One village's yearly exit round (the CLI's `exit round start`, the API's POST /exit-rounds). */
export const startExitRound = (client: Client, taskQueue: string, r: StartRound, requestId?: string): Promise<Started> => {
  const workflowId = exitRoundWorkflowId(r.villageId, r.year);
  const input: ExitRoundInput = {
    villageId: r.villageId,
    countyId: countyOf(r.villageId) as CountyId,
    year: r.year,
    assessor: r.assessor,
    noticeSeconds: r.noticeSeconds,
    correlationId: workflowId,
    ...(r.householdIds ? { householdIds: r.householdIds } : {}),
  };
  return startOnce(client, exitRound, { taskQueue, workflowId, args: [input] }, requestId);
};

export const sendExitRoundStep = (client: Client, villageId: string, year: number, request: ExitRoundStepRequest, requestId?: string): Promise<ExitRoundStepOutcome> =>
  sendUpdate(client, exitRoundWorkflowId(villageId, year), exitRoundStepUpdate, request, requestId);

export const exitRoundStatus = (client: Client, villageId: string, year: number): Promise<ExitRoundStatus | null> =>
  queryStatus(client, exitRoundWorkflowId(villageId, year), exitRoundStatusQuery);
