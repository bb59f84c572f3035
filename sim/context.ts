import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Config } from '../infra/config';
import type { Database } from '../infra/database';
import type { Logger } from '../infra/logger';
import type { TimeScale } from '../domain/policy/time-scale';
import type { SimPlan } from './plan';
import type { Display } from './display';
import { ProcessUnavailable, UpdateRefused } from '../services/errors';

/** What every phase of a simulated run works with: the system's own interfaces and the plan. */
export interface SimContext {
  readonly client: Client;
  readonly db: Kysely<Database>;
  readonly cfg: Config;
  readonly plan: SimPlan;
  readonly time: TimeScale;
  readonly display: Display;
  readonly log: Logger;
  readonly tally: Tally;
  /** How many of each kind of process the driver moves at once, across every county (see `Lanes`). */
  readonly lanes: Lanes;
}

/** Runs work with at most a fixed number under way, in the order asked, shared by every caller. */
export type Lane = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * The driver's concurrency, one limit per kind of process shared by all counties: each process
 * mostly waits (its notices, the worker, the server), so far more are moved at once than there
 * are cores, and the scaled waits of one overlap the others' work. Sized so that the processes
 * under way fit the workers' workflow caches (TEMPORAL_MAX_CACHED_WORKFLOWS).
 */
export interface Lanes {
  /** Villages whose exit round, then village exit, are under way. */
  readonly villages: Lane;
  /** Projects between their proposal and their settlement (warranties then run on outside it). */
  readonly projects: Lane;
  /** Benefit rounds (到户) from draft to closed. */
  readonly rounds: Lane;
}

export interface LaneSizes {
  readonly villages: number;
  readonly projects: number;
  readonly rounds: number;
}

export const DEFAULT_LANES: LaneSizes = { villages: 64, projects: 32, rounds: 16 };

export const lane = (n: number): Lane => {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (running >= n) await new Promise<void>((r) => waiting.push(r));
    else running += 1;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
};

/** Runs `work` over the items through `l`: like `pool`, but the limit is shared with whoever else uses the lane. */
export const inLane = async <T>(l: Lane, items: readonly T[], work: (t: T) => Promise<void>): Promise<void> => {
  await Promise.all(items.map((t) => l(() => work(t))));
};

export const lanesOf = (sizes: LaneSizes): Lanes => ({ villages: lane(sizes.villages), projects: lane(sizes.projects), rounds: lane(sizes.rounds) });

/** What happened, counted as it happens, for the summary. */
export interface Tally {
  updates: number;
  refusals: Record<string, number>;
  troubles: Record<string, number>;
}

export const newTally = (): Tally => ({ updates: 0, refusals: {}, troubles: {} });

export const count = (m: Record<string, number>, key: string, n = 1): void => {
  m[key] = (m[key] ?? 0) + n;
};

/** The refusals that say a notice ended before a step inside it arrived. */
const NOTICE_ENDED = new Set(['EXIT_NOTICE_ENDED', 'BENEFIT_NOTICE_OVER', 'VILLAGE_NOTICE_ENDED', 'COUNTY_NOTICE_ENDED']);

/**
 * A step that must arrive inside a notice (an objection). A scaled notice lasts seconds, and on a busy
 * machine it can end before the step arrives: that refusal is counted and the run goes on without the
 * step (false); any other refusal is the run's failure.
 */
export const insideNotice = async (x: SimContext, send: () => Promise<unknown>): Promise<boolean> => {
  try {
    await send();
    return true;
  } catch (e) {
    if (!(e instanceof UpdateRefused) || !NOTICE_ENDED.has(e.failureCode)) throw e;
    count(x.tally.refusals, e.failureCode);
    return false;
  }
};

/** Reads a process's status until `done` holds (600 s at most: a loaded machine can take minutes), polling every 300 ms. */
export const until = async <S>(read: () => Promise<S | null>, done: (s: S) => boolean, what: string): Promise<S> => {
  const t0 = Date.now();
  while (Date.now() - t0 < 600_000) {
    // A busy worker may not answer a query within its deadline: that is "not yet", not a failure.
    const s = await read().catch((e: unknown) => (e instanceof ProcessUnavailable ? null : Promise.reject(e)));
    if (s && done(s)) return s;
    await sleep(300);
  }
  throw new Error(`${what} did not get there in 600 s`);
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `work` over the items, at most `n` at once. */
export const pool = async <T>(items: readonly T[], n: number, work: (t: T) => Promise<void>): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
};
