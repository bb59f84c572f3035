import { sql } from 'kysely';
import { appendToStreams } from '.';
import { checkpointChains } from './chain-checkpoints';
import { bundle, type FundSpec } from '../../bench/audit-fixtures';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { until } from '../../test/support/until';

jest.setTimeout(120_000);

/**
 * The worker's checkpointer looks only at the streams written since its last run (issue 18: it
 * probed every stream of the store each minute). What it may never do is miss one: an event of a
 * transaction still open when a run began is taken by the next run.
 */
const fund = (serial: string): FundSpec => ({ fundId: `fund-song-2016-si${serial}`, countyId: 'song', year: 2016, projects: 4, perProject: 1_000_000, payments: 2 });
const A = fund('a');
const B = fund('b');
const C = fund('c');

let t: TestDatabase;
const versions = new Map<string, number>();
const appendsOf = (f: FundSpec, from: number, to: number) => bundle(f, from, to, versions.get(f.fundId) ?? 0).appends;
const add = async (f: FundSpec, from: number, to: number): Promise<void> => {
  const r = await appendToStreams(t.appDb, appendsOf(f, from, to));
  versions.set(f.fundId, r.streamVersions[`fund-${f.fundId}`]!);
};
const unCheckpointed = async (): Promise<number> =>
  Number(
    (await sql<{ n: string }>`SELECT count(*) AS n FROM events e WHERE NOT EXISTS (SELECT 1 FROM chain_checkpoints c WHERE c.position = e.position)`.execute(t.appDb)).rows[0]!.n,
  );

beforeAll(async () => {
  t = await createTestDatabase('cpsince');
  for (const f of [A, B, C]) await add(f, 0, 2);
});
afterAll(async () => {
  await t?.drop();
});

describe('chain checkpoints since the last run', () => {
  it('walks only the streams written since the gate it is given, and checkpoints all they hold', async () => {
    const full = await checkpointChains(t.appDb);
    expect(full.broken).toEqual([]);
    expect(full.streams).toBe(3 * (1 + 2));
    expect(await unCheckpointed()).toBe(0);

    await add(A, 2, 4); // the fund's stream and two new projects' streams
    const next = await checkpointChains(t.appDb, { since: full.gate });
    expect(next).toMatchObject({ streams: 3, broken: [] });
    expect(next.added).toBeGreaterThan(0);
    expect(await unCheckpointed()).toBe(0);
    expect(await checkpointChains(t.appDb, { since: next.gate })).toMatchObject({ streams: 0, added: 0 });
  });

  it('takes an event whose transaction was open when the run began at the next run', async () => {
    // Holds B's next append inside its own transaction after it has written its events (its xid
    // taken), before its refs rows: a lock that stops inserts into refs and lets reads through.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const blocker = t.adminDb.transaction().execute(async (trx) => {
      await sql`LOCK TABLE refs IN SHARE MODE`.execute(trx);
      locked();
      await held;
    });
    await isLocked;
    const writing = add(B, 2, 4);
    await until(
      'the append waiting on refs',
      async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM pg_locks WHERE relation = 'refs'::regclass AND NOT granted`.execute(t.adminDb)).rows[0]!.n),
      {
        ok: (waiting) => waiting > 0,
        intervalMs: 50,
      },
    );
    const before = await checkpointChains(t.appDb);
    const during = await checkpointChains(t.appDb, { since: before.gate });
    expect(during.added).toBe(0);
    release();
    await blocker;
    await writing;
    expect(await unCheckpointed()).toBeGreaterThan(0);

    const after = await checkpointChains(t.appDb, { since: during.gate });
    expect(after).toMatchObject({ streams: 3, broken: [] });
    expect(await unCheckpointed()).toBe(0);
  });
});
