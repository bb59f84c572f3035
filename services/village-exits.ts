import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { eventIdFor, eventMetadata, handleCommand, readStream, streamId } from '../infra/eventstore';
import { villageDecider, type RegisterPoorVillage } from '../domain/village';
import type { Actor } from '../domain/shared/actor';
import { domainError } from '../domain/shared/errors';
import type { CountyId } from '../domain/reference/counties';
import {
  villageExitStatusQuery,
  villageExitStepUpdate,
  villageExitWorkflowId,
  type VillageExitInput,
  type VillageExitStatus,
  type VillageExitStepRequest,
} from '../workflows/village-exit.messages';
import { ProcessUnavailable, UpdateRefused } from './errors';
import { villageExit } from '../workflows/village-exit';
import { VILLAGE_EXIT, nextStep, type NextActor } from '../domain/exits';
import { zhOf } from '../domain/names/name';
import { countyOf, queryStatus, sendUpdate, startOnce, type Started } from './exit-workflows';

export interface VillageRegistration {
  readonly villageId: string;
  readonly position: number;
  /** Registered before by this same command: nothing new was written. */
  readonly repeated: boolean;
}

/**
 * The county's act of registering a poor village (贫困村建档), decided and appended on the village's
 * stream without a workflow. The event id derives from the village id: registering again answers.
 */
export const registerPoorVillage = async (db: Kysely<Database>, command: RegisterPoorVillage): Promise<VillageRegistration> => {
  const eventId = eventIdFor(`village-${command.data.villageId}`, 'register', 0);
  const correlationId = `village-register-${command.data.villageId}`;
  const r = await handleCommand(db, streamId('village', command.data.villageId), villageDecider, command, {
    eventId: () => eventId,
    metadata: () => eventMetadata({ actor: command.meta.actor, countyId: command.data.countyId, correlationId, at: command.meta.now }),
  });
  if (!r.ok) throw new UpdateRefused(r.error);
  return { villageId: command.data.villageId, position: r.appended[0]!.position, repeated: r.duplicate };
};

export interface StartVillageExit {
  readonly villageId: string;
  readonly year: number;
  readonly ruralPopulation: number;
  readonly checklist: VillageExitInput['checklist'];
  /** The township official who checks and applies. */
  readonly township: Actor;
  /** The township official's signed token (infra/tokens/actor-assertion.ts): the API's bearer token, or the CLI's. */
  readonly assertion?: string | undefined;
  readonly noticeSeconds: number;
}

/**
 * A poor village's exit for a year. The village must be registered: the workflow's registration
 * step then finds it so, under the name of the county official who did register it, and writes nothing.
 */
export const startVillageExit = async (
  client: Client,
  db: Kysely<Database>,
  taskQueue: string,
  r: StartVillageExit,
  requestId?: string,
): Promise<Started & { readonly status: VillageExitView | null }> => {
  const registered = (await readStream(db, streamId('village', r.villageId))).find((e) => e.type === 'PoorVillageRegistered');
  if (!registered) {
    throw new UpdateRefused(
      domainError('VILLAGE_NOT_REGISTERED', '该村尚未登记为贫困村，须先由县级登记', `${r.villageId} is not registered as a poor village: a county official registers it first`, {
        villageId: r.villageId,
      }),
    );
  }
  const workflowId = villageExitWorkflowId(r.villageId, r.year);
  const input: VillageExitInput = {
    villageId: r.villageId,
    countyId: countyOf(r.villageId) as CountyId,
    year: r.year,
    ruralPopulation: r.ruralPopulation,
    checklist: r.checklist,
    township: r.township,
    ...(r.assertion !== undefined ? { assertion: r.assertion } : {}),
    county: registered.metadata.actor,
    noticeSeconds: r.noticeSeconds,
    correlationId: workflowId,
  };
  const started = await startOnce(client, villageExit, { taskQueue, workflowId, args: [input] }, requestId);
  return { ...started, status: await recorded(client, r.villageId, r.year) };
};

/**
 * The village exit once its first step (register, count, checklist, application) has run: a
 * village that does not meet the standard is blocked there, and the caller should hear so at once,
 * not on a later read. Gives up waiting after `waitMs` and answers with the status as it is.
 */
const recorded = async (client: Client, villageId: string, year: number, waitMs = 60_000): Promise<VillageExitView | null> => {
  const until = Date.now() + waitMs;
  for (;;) {
    // A busy worker may not answer one query within its deadline: while waiting anyway, that is "not yet".
    const s = await villageExitStatus(client, villageId, year).catch((e: unknown) => (e instanceof ProcessUnavailable && Date.now() < until ? undefined : Promise.reject(e)));
    if (s !== undefined && (s === null || s.phase !== 'recording' || Date.now() >= until)) return s;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
};

/** A village exit's status as people read it: the phase in Chinese, and who it waits for (domain/exits). */
export type VillageExitView = VillageExitStatus & { readonly phaseZh: string; readonly nextActor: NextActor | null };
const viewOf = (s: VillageExitStatus): VillageExitView => ({ ...s, phaseZh: zhOf(VILLAGE_EXIT.phaseNames, s.phase), nextActor: nextStep(VILLAGE_EXIT, s.phase, s.noticeEndsAt) });

export const sendVillageExitStep = async (client: Client, villageId: string, year: number, request: VillageExitStepRequest, requestId?: string): Promise<VillageExitView> =>
  viewOf(await sendUpdate(client, villageExitWorkflowId(villageId, year), villageExitStepUpdate, request, requestId));

export const villageExitStatus = async (client: Client, villageId: string, year: number): Promise<VillageExitView | null> => {
  const s = await queryStatus(client, villageExitWorkflowId(villageId, year), villageExitStatusQuery);
  return s === null ? null : viewOf(s);
};
