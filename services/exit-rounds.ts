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
import { EXIT_ROUND, nextRoundStep, type NextActor } from '../domain/exits';
import { zhOf } from '../domain/names/name';
import { countyOf, queryStatus, sendUpdate, startOnce, type Started } from './exit-workflows';

export interface StartRound {
  readonly villageId: string;
  readonly year: number;
  /** Who assesses: the round's first step is taken in their name. */
  readonly assessor: Actor;
  /** The assessor's signed token (infra/tokens/actor-assertion.ts): the API's bearer token, or the CLI's. */
  readonly assertion?: string | undefined;
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
    ...(r.assertion !== undefined ? { assertion: r.assertion } : {}),
    noticeSeconds: r.noticeSeconds,
    correlationId: workflowId,
    ...(r.householdIds ? { householdIds: r.householdIds } : {}),
  };
  return startOnce(client, exitRound, { taskQueue, workflowId, args: [input] }, requestId);
};

/** A step's outcome, with who the round waits for now (read from the round once the step is taken). */
export const sendExitRoundStep = async (
  client: Client,
  villageId: string,
  year: number,
  request: ExitRoundStepRequest,
  requestId?: string,
): Promise<ExitRoundStepOutcome & { readonly phaseZh: string; readonly nextActor: NextActor | null }> => {
  const out = await sendUpdate(client, exitRoundWorkflowId(villageId, year), exitRoundStepUpdate, request, requestId);
  const now = await exitRoundStatus(client, villageId, year).catch(() => null);
  return { ...out, phaseZh: zhOf(EXIT_ROUND.phaseNames, out.phase), nextActor: now?.nextActor ?? null };
};

/** A round's status as people read it: the phase in Chinese, and who it waits for (domain/exits nextRoundStep). */
export type ExitRoundView = ExitRoundStatus & { readonly phaseZh: string; readonly nextActor: NextActor | null };

export const viewOfRound = (s: ExitRoundStatus): ExitRoundView => ({
  ...s,
  phaseZh: zhOf(EXIT_ROUND.phaseNames, s.phase),
  nextActor: nextRoundStep(s.phase, new Map(s.households.map((h) => [h.householdId, h.status])), s.noticeEndsAt),
});

export const exitRoundStatus = async (client: Client, villageId: string, year: number): Promise<ExitRoundView | null> => {
  const s = await queryStatus(client, exitRoundWorkflowId(villageId, year), exitRoundStatusQuery);
  return s === null ? null : viewOfRound(s);
};
