import { CompiledQuery, sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { sample, testRegistry } from '../../test/support/events';
import { appendToStream, APPEND_SQL, batchParams, prepareAppend } from './append';
import { sharedTextArray } from './append-batcher';
import { canonicalJson } from './canonical';
import { ExpectedVersionConflictError } from './errors';
import { readStream, verify } from './index';

/**
 * Appends made at the same moment share one call and one transaction (append-batcher.ts). Each
 * must still be answered as if it had run alone: written, refused for its version, or recognised
 * as a retry — and a batch must never write part of an append.
 */
jest.setTimeout(60_000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('batch');
});
afterAll(async () => {
  await t.drop();
});

/** How many transactions wrote these events: fewer than the appends means they were batched. */
const transactionsOf = async (eventIds: string[]): Promise<number> =>
  Number((await sql<{ n: string }>`SELECT count(DISTINCT tx_id) AS n FROM events WHERE event_id = ANY(${eventIds}::text[])`.execute(t.appDb)).rows[0]?.n);

describe('appends at the same moment', () => {
  it('forty appends at once are all written, each answered with its own positions, in fewer transactions', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `many-${i}`);
    const results = await Promise.all(ids.map((id, i) => appendToStream(t.appDb, `sample-many${i % 10}`, 'any', [sample(id)], testRegistry)));
    results.forEach((r, i) => {
      expect(r.duplicate).toBe(false);
      expect(r.events[0]?.eventId).toBe(ids[i]);
    });
    for (let s = 0; s < 10; s++) {
      const stream = await readStream(t.appDb, `sample-many${s}`, { registry: testRegistry });
      expect(stream.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
      const answered = results.filter((_, i) => i % 10 === s).map((r) => r.events[0]!);
      expect(stream.map((e) => [e.eventId, e.position])).toEqual(expect.arrayContaining(answered.map((e) => [e.eventId, e.position])));
    }
    expect(await transactionsOf(ids)).toBeLessThan(ids.length);
    expect((await verify(t.appDb)).ok).toBe(true);
  });

  it('of two appends at the same expected version on one stream, one is written and the other refused with the actual version', async () => {
    await appendToStream(t.appDb, 'sample-race', 'no-stream', [sample('race-0')], testRegistry);
    const tries = await Promise.allSettled(['race-a', 'race-b', 'race-c'].map((id) => appendToStream(t.appDb, 'sample-race', 1, [sample(id)], testRegistry)));
    const written = tries.filter((x) => x.status === 'fulfilled');
    const refused = tries.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    expect(written).toHaveLength(1);
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(ExpectedVersionConflictError);
      expect(r.reason).toMatchObject({ streamId: 'sample-race', expected: '1', actual: 2 });
    }
    expect((await readStream(t.appDb, 'sample-race', { registry: testRegistry })).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('a retried append among new ones gets its original positions and the new ones are written', async () => {
    const first = await appendToStream(t.appDb, 'sample-retry', 'no-stream', [sample('retry-1')], testRegistry);
    // Four calls may be in flight (append-batcher.ts): the first four go alone, the retry waits with the rest and shares their call.
    const beside = (i: number) => appendToStream(t.appDb, `sample-beside${i}`, 'no-stream', [sample(`beside-${i}`)], testRegistry);
    const [o0, o1, o2, o3, again, ...rest] = await Promise.all([
      beside(0),
      beside(1),
      beside(2),
      beside(3),
      appendToStream(t.appDb, 'sample-retry', 'any', [sample('retry-1')], testRegistry),
      beside(4),
      beside(5),
      beside(6),
    ]);
    const others = [o0!, o1!, o2!, o3!, ...rest];
    expect(again).toMatchObject({ duplicate: true, events: first.events });
    for (const o of others) expect(o.duplicate).toBe(false);
    expect(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events WHERE event_id = 'retry-1'`.execute(t.appDb)).rows[0]?.n)).toBe(1);
  });

  it('an event id reused for another event is refused and the appends beside it are written', async () => {
    await appendToStream(t.appDb, 'sample-taken', 'any', [sample('taken-1')], testRegistry);
    const fine = (i: number) => appendToStream(t.appDb, `sample-fine${i}`, 'any', [sample(`fine-${i}`)], testRegistry);
    // The first four go alone; the reuse waits and shares a call with the two after it.
    const tries = await Promise.allSettled([
      fine(0),
      fine(1),
      fine(2),
      fine(3),
      appendToStream(t.appDb, 'sample-elsewhere', 'any', [sample('taken-1')], testRegistry),
      fine(4),
      fine(5),
    ]);
    expect(tries[4]).toMatchObject({ status: 'rejected', reason: { code: 'EVENT_ID_REUSED' } });
    expect(tries.filter((x) => x.status === 'fulfilled')).toHaveLength(6);
    expect(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events WHERE event_id LIKE 'fine-%'`.execute(t.appDb)).rows[0]?.n)).toBe(6);
  });
});

describe('the append function with several appends', () => {
  const prepared = (streamId: string, expectedVersion: number | 'any' | 'no-stream', ...ids: string[]) =>
    prepareAppend([{ streamId, expectedVersion, events: ids.map((id) => sample(id)) }], testRegistry);

  it('applies them in order: a later append sees an earlier one on the same stream; a failed one writes nothing of itself', async () => {
    const { rows } = await t.appDb.executeQuery<{ grp: number | null; event_id: string | null; stream_version: string | null; actual_version: string | null }>(
      CompiledQuery.raw(
        APPEND_SQL,
        batchParams([
          prepared('sample-order', 'no-stream', 'order-1', 'order-2'),
          prepared('sample-order', 2, 'order-3'),
          prepared('sample-order', 2, 'order-4'), // stale: the second made it 3
          prepared('sample-order2', 'any', 'order-5'),
        ]),
      ),
    );
    expect(rows.filter((r) => r.grp === null).map((r) => [r.event_id, Number(r.stream_version)])).toEqual([
      ['order-1', 1],
      ['order-2', 2],
      ['order-3', 3],
      ['order-5', 1],
    ]);
    expect(rows.filter((r) => r.grp !== null)).toEqual([expect.objectContaining({ grp: 3, event_id: null, actual_version: '3' })]);
    expect(await sql`SELECT 1 FROM events WHERE event_id = 'order-4'`.execute(t.appDb)).toMatchObject({ rows: [] });
    expect((await verify(t.appDb)).ok).toBe(true);
  });

  it('refuses events not listed stream by stream', async () => {
    const a = prepareAppend(
      [
        { streamId: 'sample-mix1', expectedVersion: 'any', events: [sample('mix-1')] },
        { streamId: 'sample-mix2', expectedVersion: 'any', events: [sample('mix-2')] },
      ],
      testRegistry,
    );
    await expect(t.appDb.executeQuery(CompiledQuery.raw(APPEND_SQL, batchParams([{ ...a, eventStreams: [2, 1] }])))).rejects.toMatchObject({ code: 'TU002' });
  });
});

describe('the metadata array on the wire', () => {
  it('reads in PostgreSQL as the array pg would have sent, each distinct string escaped once', async () => {
    const shared = canonicalJson({ a: 'say "hi"', b: 'C:\\dir\\"x"', c: '{1,2} NULL 嵩县 ' });
    const xs = [shared, '', 'NULL', ' padded ', '{}', 'a,b', '\\', '"', shared, '\n\t', shared];
    for (const a of [xs, []]) {
      const { rows } = await sql<{ same: boolean }>`SELECT ${sharedTextArray(a)}::text[] = ${a}::text[] AS same, cardinality(${sharedTextArray(a)}::text[]) AS n`.execute(t.appDb);
      expect(rows[0]).toEqual({ same: true, n: a.length });
    }
  });
});
