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
}

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

/** Reads a process's status until `done` holds (180 s at most), polling every 300 ms. */
export const until = async <S>(read: () => Promise<S | null>, done: (s: S) => boolean, what: string): Promise<S> => {
  const t0 = Date.now();
  while (Date.now() - t0 < 180_000) {
    // A busy worker may not answer a query within its deadline: that is "not yet", not a failure.
    const s = await read().catch((e: unknown) => (e instanceof ProcessUnavailable ? null : Promise.reject(e)));
    if (s && done(s)) return s;
    await sleep(300);
  }
  throw new Error(`${what} did not get there in 180 s`);
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
