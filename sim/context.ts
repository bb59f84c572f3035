import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Config } from '../infra/config';
import type { Database } from '../infra/database';
import type { Logger } from '../infra/logger';
import type { TimeScale } from '../domain/policy/time-scale';
import type { SimPlan } from './plan';
import type { Display } from './display';

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
