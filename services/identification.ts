import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import type { Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import type { Fen } from '../domain/shared/money';
import type { CauseId } from '../domain/household/causes';
import type { Guarantees } from '../domain/household/guarantees';
import type { Member, MemberRecord } from '../domain/household/events';
import { IDENTIFICATION, nextIdentificationStep } from '../domain/identification/steps';
import { IDENTIFICATION_OUT_REASON_NAMES, IDENTIFICATION_STATUS_NAMES } from '../domain/names/identification';
import { zhOf } from '../domain/names/name';
import { stepRefusal, type NextActor } from '../domain/exits';
import { ProcessNotFound, UpdateRefused } from './errors';
import { config } from '../infra/config';
import { readStream, streamId } from '../infra/eventstore';
import { RegistryError } from '../infra/registry/errors';
import { validateRows } from '../infra/registry/validate';
import { claimKeys } from '../infra/registry/register';
import {
  identificationStatusQuery,
  identificationStepUpdate,
  identificationWorkflowId,
  type IdentificationInput,
  type IdentificationStatus,
  type IdentificationStepRequest,
} from '../workflows/identification.messages';
import { identificationRound } from '../workflows/identification';
import { countyOf, queryStatus, sendUpdate, startOnce, type Started } from './exit-workflows';

export interface StartIdentification {
  readonly villageId: string;
  readonly year: number;
  /** Who opens the round (a township official or the work team). */
  readonly opener: Actor;
  /** The opener's signed token (infra/tokens/actor-assertion.ts): the API's bearer token, or the CLI's. */
  readonly assertion?: string | undefined;
  readonly noticeSeconds: number;
}

/** One village's yearly identification round (识别): the CLI's `identification start`, the API's POST /identification-rounds. */
export const startIdentification = (client: Client, taskQueue: string, r: StartIdentification, requestId?: string): Promise<Started> => {
  const workflowId = identificationWorkflowId(r.villageId, r.year);
  const input: IdentificationInput = {
    villageId: r.villageId,
    countyId: countyOf(r.villageId) as CountyId,
    year: r.year,
    opener: r.opener,
    ...(r.assertion !== undefined ? { assertion: r.assertion } : {}),
    noticeSeconds: r.noticeSeconds,
    correlationId: workflowId,
  };
  return startOnce(client, identificationRound, { taskQueue, workflowId, args: [input] }, requestId);
};

/** A household's application as the caller gives it: the file a registration row holds, without the place and year (the round's). */
export interface Application {
  readonly householdId: string;
  readonly members: readonly Member[];
  readonly causes: readonly CauseId[];
  readonly perCapitaIncome: Fen;
  readonly stableIncomeSource: boolean;
  readonly guarantees: Guarantees;
  /** The signed application form (申请书) as filed. */
  readonly recordRef: string;
}

/**
 * 农户申请: the application through the registry's own checks (ID numbers, one householder, one
 * person once), the members' keys claimed and their clear numbers put in the encrypted table, then
 * the file, with keys and masked numbers only, taken into the round by its workflow. Nothing reaches
 * the register until the county announces.
 */
export const recordApplication = async (
  db: Kysely<Database>,
  client: Client,
  round: { villageId: string; year: number },
  a: Application,
  ctx: { actor: Actor; assertion?: string; salt: string; idKey?: Buffer; requestId?: string },
): Promise<IdentificationView> => {
  const countyId = countyOf(round.villageId);
  // Asked first, so an application the round cannot take claims nobody's ID number.
  const now = await identificationStatus(client, round.villageId, round.year);
  if (now === null) throw new ProcessNotFound(identificationWorkflowId(round.villageId, round.year));
  const closed = stepRefusal(IDENTIFICATION, 'apply', ctx.actor, countyId as CountyId, now.phase);
  if (closed) throw new UpdateRefused(closed);
  const { recordRef, ...file } = a;
  const row = { ...file, countyId, villageId: round.villageId, registeredYear: round.year };
  const checked = validateRows([{ line: 1, row: 1, value: row }], { actor: ctx.actor, now: new Date().toISOString() }, ctx.salt, { countyId });
  if (!checked.ok) throw new RegistryError('REGISTRY_ROWS_INVALID', `${checked.errors.length} error(s); the application was not recorded`, checked.errors);
  const v = checked.rows[0]!;
  if ((await readStream(db, streamId('household', a.householdId), { limit: 1 })).length > 0) {
    throw new RegistryError('REGISTRY_DUPLICATE', 'the household is already registered', [
      { line: 1, row: 1, field: 'householdId', code: 'HOUSEHOLD_ALREADY_REGISTERED', message: 'this household id is already registered' },
    ]);
  }
  await claimKeys(db, [v], ctx.idKey ?? config().PII_MASTER_KEY);
  const registered = v.event.data as { causes: CauseId[]; perCapitaIncome: Fen; stableIncomeSource: boolean; guarantees: Guarantees; members: MemberRecord[] };
  const request: IdentificationStepRequest = {
    type: 'apply',
    actor: ctx.actor,
    ...(ctx.assertion !== undefined ? { assertion: ctx.assertion } : {}),
    householdId: a.householdId,
    recordRef,
    file: {
      causes: registered.causes,
      perCapitaIncome: registered.perCapitaIncome,
      stableIncomeSource: registered.stableIncomeSource,
      guarantees: registered.guarantees,
      members: registered.members,
    },
  };
  return sendIdentificationStep(client, round.villageId, round.year, request, ctx.requestId);
};

/** A round's status as people read it: phase and each household's place in Chinese, and who it waits for. */
export type IdentificationView = IdentificationStatus & {
  readonly phaseZh: string;
  readonly nextActor: NextActor | null;
  readonly households: readonly (IdentificationStatus['households'][number] & { readonly statusZh: string; readonly reasonZh?: string })[];
};

const viewOf = (s: IdentificationStatus): IdentificationView => ({
  ...s,
  phaseZh: zhOf(IDENTIFICATION.phaseNames, s.phase),
  nextActor: nextIdentificationStep(
    s.phase,
    s.households.map((h) => h.status),
    s.noticeEndsAt,
  ),
  households: s.households.map((h) => ({
    ...h,
    statusZh: zhOf(IDENTIFICATION_STATUS_NAMES, h.status),
    ...(h.reason ? { reasonZh: zhOf(IDENTIFICATION_OUT_REASON_NAMES, h.reason) } : {}),
  })),
});

export const sendIdentificationStep = async (
  client: Client,
  villageId: string,
  year: number,
  request: IdentificationStepRequest,
  requestId?: string,
): Promise<IdentificationView> => viewOf(await sendUpdate(client, identificationWorkflowId(villageId, year), identificationStepUpdate, request, requestId));

export const identificationStatus = async (client: Client, villageId: string, year: number): Promise<IdentificationView | null> => {
  const s = await queryStatus(client, identificationWorkflowId(villageId, year), identificationStatusQuery);
  return s === null ? null : viewOf(s);
};
