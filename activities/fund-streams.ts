import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { appendToStream, ExpectedVersionConflictError, readStream, streamId, type StoredEvent } from '../infra/eventstore';
import type { DomainError } from '../domain/shared/errors';
import * as fund from '../domain/fund';
import * as project from '../domain/project';

/** A stream folded into its aggregate's state, with the version it was read at. */
export interface Loaded<S> {
  readonly state: S;
  readonly version: number;
  readonly events: readonly StoredEvent[];
}

export const fundStream = (fundId: string): string => streamId('fund', fundId);
export const projectStream = (projectId: string): string => streamId('project', projectId);

export const loadFund = async (db: Kysely<Database>, fundId: string): Promise<Loaded<fund.FundState>> => {
  const events = await readStream(db, fundStream(fundId));
  const state = events.reduce<fund.FundState>((s, e) => fund.evolve(s, { type: e.type, data: e.data } as fund.FundEvent), fund.initialState());
  return { state, version: events.at(-1)?.streamVersion ?? 0, events };
};

export const loadProject = async (db: Kysely<Database>, projectId: string): Promise<Loaded<project.ProjectState>> => {
  const events = await readStream(db, projectStream(projectId));
  const state = events.reduce<project.ProjectState>((s, e) => project.evolve(s, { type: e.type, data: e.data } as project.ProjectEvent), project.initialState());
  return { state, version: events.at(-1)?.streamVersion ?? 0, events };
};

/** Bounded: twenty projects drawing on one fund at once each win within a few rounds. */
export const MAX_FUND_ATTEMPTS = 40;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs read → decide → append until the append lands or the decision refuses. Only a conflict on the
 * stream named `retryOn` (a fund other projects share) is retried, with fresh state and a jittered
 * pause; any other conflict (the project's own stream, which only its workflow writes) is thrown.
 */
export const retryOnConflict = async <T>(retryOn: string, attempt: (n: number) => Promise<T>): Promise<T> => {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (!(e instanceof ExpectedVersionConflictError) || e.streamId !== retryOn || n >= MAX_FUND_ATTEMPTS) throw e;
      await pause(Math.random() * Math.min(200, 5 * 2 ** Math.min(n, 6)));
    }
  }
};

export type FundDecisionResult =
  | { readonly ok: true; readonly eventId: string; readonly type: string; readonly position: number; readonly streamVersion: number; readonly duplicate: boolean; readonly attempt: number }
  | { readonly ok: false; readonly error: DomainError };

/**
 * One decision on a fund's stream outside any project (appropriating, freezing, returning): read,
 * decide with the domain, append at the version read under `eventId`; a conflict with a project
 * drawing on the fund reads and decides again. An event id already on the stream is the answer.
 */
export const decideOnFund = (db: Kysely<Database>, command: fund.FundCommand, eventId: string, correlationId: string): Promise<FundDecisionResult> => {
  const stream = fundStream(command.data.fundId);
  return retryOnConflict(stream, async (attempt): Promise<FundDecisionResult> => {
    const f = await loadFund(db, command.data.fundId);
    const earlier = f.events.find((e) => e.eventId === eventId);
    if (earlier) return { ok: true, eventId, type: earlier.type, position: earlier.position, streamVersion: earlier.streamVersion, duplicate: true, attempt };
    const d = fund.decide(command, f.state);
    if (!d.ok) return { ok: false, error: d.error };
    const countyId = f.state.status !== 'none' ? f.state.countyId : command.type === 'AppropriateFund' ? command.data.countyId : null;
    const r = await appendToStream(
      db,
      stream,
      f.version === 0 ? 'no-stream' : f.version,
      d.events.map((e) => ({
        eventId,
        type: e.type,
        data: e.data,
        metadata: { actor: command.meta.actor, countyId, correlationId, causationId: correlationId, businessDate: command.meta.now.slice(0, 10) },
      })),
    );
    const [stored] = r.events;
    return { ok: true, eventId, type: d.events[0]!.type, position: stored!.position, streamVersion: stored!.streamVersion, duplicate: r.duplicate, attempt };
  });
};
