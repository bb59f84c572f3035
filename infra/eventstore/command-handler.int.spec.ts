import type { Decider } from '../../domain/shared/decider';
import { domainError } from '../../domain/shared/errors';
import { accept, refuse } from '../../domain/shared/result';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { metadata, sample, testRegistry } from '../../test/support/events';
import { sql } from 'kysely';
import { appendToStreams } from './append';
import { aggregateStream, aggregateStreams, foldStream, handleBatch, handleCommand, handleCommandOnTwoStreams, type PairDecision } from './command-handler';
import { ExpectedVersionConflictError } from './errors';
import { readStream } from './read';
import { keepStates } from './state-cache';
import { appendSeconds, commandConflicts } from '../metrics';
import { createDb } from '../database';
import { asSuperuser } from '../../test/support/tamper';

jest.setTimeout(60_000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('cmdhandler');
});
afterAll(async () => {
  await t.drop();
});

/** A pot that holds at most `cap` fen: enough rules to refuse, and to be overspent if a conflict were ignored. */
interface Pot {
  readonly total: number;
  readonly count: number;
}
interface Put {
  readonly sampleId: string;
  readonly amountFen: number;
  readonly cap: number;
}
interface Recorded {
  readonly type: 'SampleRecorded';
  readonly data: { sampleId: string; fundId: string; amountFen: number };
}
const pot: Decider<Put, Recorded, Pot> = {
  initialState: () => ({ total: 0, count: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.amountFen, count: s.count + 1 }),
  decide: (c, s) =>
    s.total + c.amountFen > c.cap
      ? refuse(domainError('POT_FULL', '已满', `the pot holds ${s.total} of ${c.cap}`))
      : accept({ type: 'SampleRecorded', data: { sampleId: c.sampleId, fundId: 'pot', amountFen: c.amountFen } }),
};
const twice: Decider<Put, Recorded, Pot> = {
  ...pot,
  decide: (c, s) =>
    s.total + 2 * c.amountFen > c.cap
      ? refuse(domainError('POT_FULL', '已满', 'full'))
      : accept(...[0, 1].map((i) => ({ type: 'SampleRecorded' as const, data: { sampleId: `${c.sampleId}-${i}`, fundId: 'pot', amountFen: c.amountFen } }))),
};

const opts = (id: string) => ({ eventId: (i: number) => `${id}-${i}`, metadata: () => metadata(), registry: testRegistry });

describe('one stream', () => {
  it('folds, decides, appends at the version read under the caller ids, and answers a retry with the first result', async () => {
    const first = await handleCommand(t.appDb, 'sample-one', twice, { sampleId: 'a', amountFen: 100, cap: 1000 }, opts('one-a'));
    expect(first).toMatchObject({ ok: true, duplicate: false, state: { total: 200, count: 2 }, streamVersion: 2, attempt: 1 });
    const stored = await readStream(t.appDb, 'sample-one', { registry: testRegistry });
    expect(stored.map((e) => [e.eventId, e.streamVersion, e.metadata.correlationId])).toEqual([
      ['one-a-0', 1, 'corr-1'],
      ['one-a-1', 2, 'corr-1'],
    ]);

    await handleCommand(t.appDb, 'sample-one', pot, { sampleId: 'b', amountFen: 50, cap: 1000 }, opts('one-b'));
    const again = await handleCommand(t.appDb, 'sample-one', twice, { sampleId: 'a', amountFen: 100, cap: 1000 }, opts('one-a'));
    expect(again).toMatchObject({ ok: true, duplicate: true, streamVersion: 2, state: { total: 250, count: 3 } });
    if (!again.ok || !first.ok) throw new Error('unreachable');
    expect(again.appended).toEqual(first.appended);
    expect(again.events).toEqual(first.events);
    expect(await readStream(t.appDb, 'sample-one', { registry: testRegistry })).toHaveLength(3);
  });

  it('returns a refusal as a value and writes nothing', async () => {
    const r = await handleCommand(t.appDb, 'sample-refused', pot, { sampleId: 'x', amountFen: 10, cap: 5 }, opts('refused-x'));
    expect(r).toMatchObject({ ok: false, error: { code: 'POT_FULL' }, version: 0, state: { total: 0 } });
    expect(await readStream(t.appDb, 'sample-refused', { registry: testRegistry })).toEqual([]);
  });

  it('reads and decides again on a conflict, so concurrent commands never overspend and none fails', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => handleCommand(t.appDb, 'sample-race', pot, { sampleId: `r${i}`, amountFen: 100, cap: 600 }, opts(`race-${i}`))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(6);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(Array(6).fill('POT_FULL'));
    expect(Math.max(...results.map((r) => r.attempt))).toBeGreaterThan(1);
    const a = await aggregateStream(t.appDb, 'sample-race', pot, testRegistry);
    expect(a).toMatchObject({ version: 6, state: { total: 600, count: 6 } });
  });

  it('throws the conflict when told to make one attempt only', async () => {
    const runs = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => handleCommand(t.appDb, 'sample-once', pot, { sampleId: `o${i}`, amountFen: 1, cap: 100 }, { ...opts(`once-${i}`), maxAttempts: 1 })),
    );
    expect(runs.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof ExpectedVersionConflictError)).toBe(true);
    expect(runs.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
  });
});

describe('two streams', () => {
  const pair = (id: string, held?: number) =>
    [
      { streamId: 'sample-fundside', fold: pot, eventId: (i: number) => `${id}:fund-${i}`, metadata: () => metadata({ countyId: null }) },
      { streamId: `sample-projside-${id}`, fold: pot, eventId: (i: number) => `${id}-${i}`, metadata: () => metadata(), ...(held === undefined ? {} : { heldVersion: held }) },
    ] as const;
  const spend =
    (amountFen: number) =>
    (f: { state: Pot }, p: { state: Pot }): PairDecision<Recorded, Recorded> =>
      f.state.total + amountFen > 500
        ? { ok: false, error: domainError('POT_FULL', '已满', 'full') }
        : {
            ok: true,
            events: [
              [{ type: 'SampleRecorded', data: { sampleId: 'f', fundId: 'pot', amountFen } }],
              [{ type: 'SampleRecorded', data: { sampleId: `p${p.state.count}`, fundId: 'pot', amountFen } }],
            ],
          };

  it('appends both sides in one transaction, each at its version, and answers a retry from the stored events', async () => {
    const [f, p] = pair('two-a', 0);
    const r = await handleCommandOnTwoStreams(t.appDb, f, p, spend(200), { registry: testRegistry });
    expect(r).toMatchObject({ ok: true, duplicate: false, streamVersions: [1, 1], states: [{ total: 200 }, { total: 200 }] });
    const again = await handleCommandOnTwoStreams(t.appDb, f, p, spend(200), { registry: testRegistry });
    expect(again).toMatchObject({ ok: true, duplicate: true, streamVersions: [1, 1] });
    if (!r.ok || !again.ok) throw new Error('unreachable');
    expect(again.appended).toEqual(r.appended);
    expect(r.appended[0][0]!.position).not.toBe(r.appended[1][0]!.position);
    expect(await readStream(t.appDb, 'sample-fundside', { registry: testRegistry })).toHaveLength(1);
  });

  it('throws, never retries, when the stream the caller holds is not at its version', async () => {
    const [f, p] = pair('two-a-next', 0);
    await expect(handleCommandOnTwoStreams(t.appDb, f, { ...p, streamId: 'sample-projside-two-a' }, spend(1), { registry: testRegistry })).rejects.toMatchObject({
      code: 'EXPECTED_VERSION_CONFLICT',
      streamId: 'sample-projside-two-a',
      expected: '0',
      actual: 1,
    });
  });

  it('retries a conflict on the stream it read fresh: concurrent spenders on one side never overspend it', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => handleCommandOnTwoStreams(t.appDb, ...pair(`two-race-${i}`, 0), spend(100), { registry: testRegistry })));
    expect(results.filter((r) => r.ok)).toHaveLength(3); // 200 spent before, 300 left
    expect(results.filter((r) => !r.ok)).toHaveLength(3);
    expect((await aggregateStream(t.appDb, 'sample-fundside', pot, testRegistry)).state.total).toBe(500);
  });

  it('writes nothing on either side when the decision refuses', async () => {
    const [f, p] = pair('two-refused', 0);
    expect(await handleCommandOnTwoStreams(t.appDb, f, p, spend(1000), { registry: testRegistry })).toMatchObject({ ok: false, error: { code: 'POT_FULL' } });
    expect(await readStream(t.appDb, 'sample-projside-two-refused', { registry: testRegistry })).toEqual([]);
  });
});

describe('a batch', () => {
  it('decides each stream alone, appends the accepted ones per chunk, and answers a rerun from the stored events', async () => {
    const items = ['b1', 'b2', 'b3', 'b4', 'b5'].map((id, i) => ({ streamId: `sample-batch-${id}`, command: { sampleId: id, amountFen: 100 * (i + 1), cap: 300 } }));
    const bopts = { eventId: (s: string, i: number) => `batch:${s}:${i}`, metadata: () => metadata(), registry: testRegistry, chunk: 2 };
    const first = await handleBatch(t.appDb, items, pot, bopts);
    expect(first.map((o) => [o.streamId, o.ok, o.ok && o.duplicate])).toEqual([
      ['sample-batch-b1', true, false],
      ['sample-batch-b2', true, false],
      ['sample-batch-b3', true, false],
      ['sample-batch-b4', false, false],
      ['sample-batch-b5', false, false],
    ]);
    const again = await handleBatch(t.appDb, items, pot, bopts);
    expect(again.map((o) => o.ok && o.duplicate)).toEqual([true, true, true, false, false]);
    expect(again[2]).toMatchObject({ ok: true, state: { total: 300 }, events: [{ data: { sampleId: 'b3', amountFen: 300 } }] });
    const folded = await aggregateStreams(t.appDb, [...items.map((i) => i.streamId), 'sample-batch-none'], pot, testRegistry);
    expect([...folded.values()].map((f) => f.version)).toEqual([1, 1, 1, 0, 0, 0]);
  });

  it('reads and decides a chunk again when another writer moved one of its streams', async () => {
    const items = Array.from({ length: 4 }, (_, i) => ({ streamId: `sample-bconf-${i}`, command: { sampleId: `bc${i}`, amountFen: 100, cap: 100 } }));
    const bopts = { eventId: (s: string, i: number) => `bconf:${s}:${i}`, metadata: () => metadata(), registry: testRegistry };
    // Single commands race the batch for the same streams; whoever loses reads again and is refused (the cap is one event).
    const [batch, ...singles] = await Promise.all([
      handleBatch(t.appDb, items, pot, bopts),
      ...items.map((it, i) => handleCommand(t.appDb, it.streamId, pot, { sampleId: `s${i}`, amountFen: 100, cap: 100 }, opts(`bconf-single-${i}`))),
    ]);
    items.forEach((it, i) => expect(Number(batch[i]!.ok) + Number(singles[i]!.ok)).toBe(1));
    for (const it of items) expect(await readStream(t.appDb, it.streamId, { registry: testRegistry })).toHaveLength(1);
  });
});

describe('kept states (hot streams)', () => {
  it('folds only what came since the kept version, and sees what another writer appended meanwhile', async () => {
    const kept = keepStates(pot);
    let folded = 0;
    const counting = { ...kept, evolve: (s: Pot, e: Recorded) => (folded++, pot.evolve(s, e)) };
    for (let i = 0; i < 5; i++) await handleCommand(t.appDb, 'sample-kept', counting, { sampleId: `k${i}`, amountFen: 10, cap: 1000 }, opts(`kept-${i}`));
    // One fold of each event as it is decided, none of the stream again: the state was kept.
    expect(folded).toBe(5);
    await appendToStreams(t.appDb, [{ streamId: 'sample-kept', expectedVersion: 5, events: [sample('kept-other', 7, 'pot')] }], testRegistry);
    folded = 0;
    const r = await handleCommand(t.appDb, 'sample-kept', counting, { sampleId: 'k5', amountFen: 10, cap: 1000 }, opts('kept-5'));
    expect(r).toMatchObject({ ok: true, streamVersion: 7, state: { total: 67, count: 7 } });
    expect(folded).toBe(2);
    expect(await foldStream(t.appDb, 'sample-kept', counting, testRegistry)).toEqual({ state: { total: 67, count: 7 }, version: 7 });
  });

  it('answers a retry whose events lie before the kept version with what it stored then, and decides nothing', async () => {
    const kept = keepStates(pot);
    const first = await handleCommand(t.appDb, 'sample-kept-retry', kept, { sampleId: 'a', amountFen: 10, cap: 1000 }, opts('retry-a'));
    for (let i = 0; i < 3; i++) await handleCommand(t.appDb, 'sample-kept-retry', kept, { sampleId: `b${i}`, amountFen: 10, cap: 1000 }, opts(`retry-b${i}`));
    const again = await handleCommand(t.appDb, 'sample-kept-retry', kept, { sampleId: 'a', amountFen: 10, cap: 1000 }, opts('retry-a'));
    expect(again).toMatchObject({ ok: true, duplicate: true, streamVersion: 1, state: { total: 40, count: 4 } });
    if (!again.ok || !first.ok) throw new Error('unreachable');
    expect(again.appended).toEqual(first.appended);
    expect(await readStream(t.appDb, 'sample-kept-retry', { registry: testRegistry })).toHaveLength(4);
  });

  it('drops a kept state the store no longer holds (the stream rebuilt under the same connection) and folds afresh', async () => {
    const kept = keepStates(pot);
    await handleCommand(t.appDb, 'sample-kept-gone', kept, { sampleId: 'a', amountFen: 10, cap: 1000 }, opts('gone-a'));
    await handleCommand(t.appDb, 'sample-kept-gone', kept, { sampleId: 'b', amountFen: 10, cap: 1000 }, opts('gone-b'));
    // The kept version's event is no longer the one folded (a database restored under the same pool): tampered past the append-only triggers.
    await asSuperuser(t.adminDb, async (c) => {
      await sql`UPDATE events SET event_id = 'gone-b-restored', data = jsonb_set(data, '{amountFen}', '500') WHERE event_id = 'gone-b-0'`.execute(c);
    });
    const r = await handleCommand(t.appDb, 'sample-kept-gone', kept, { sampleId: 'c', amountFen: 10, cap: 1000 }, opts('gone-c'));
    expect(r).toMatchObject({ ok: true, streamVersion: 3, state: { total: 520, count: 3 } });
  });

  it('a kept fund side stops two spenders overspending it, as a fresh read does', async () => {
    const kept = keepStates(pot);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        handleCommandOnTwoStreams(
          t.appDb,
          { streamId: 'sample-kept-fund', fold: kept, eventId: (n) => `kf-${i}:fund-${n}`, metadata: () => metadata({ countyId: null }) },
          { streamId: `sample-kept-proj-${i}`, fold: pot, eventId: (n) => `kf-${i}-${n}`, metadata: () => metadata() },
          (f) =>
            f.state.total + 100 > 600
              ? { ok: false, error: domainError('POT_FULL', '已满', 'full') }
              : { ok: true, events: [[{ type: 'SampleRecorded', data: { sampleId: `f${i}`, fundId: 'pot', amountFen: 100 } }], []] as const },
          { registry: testRegistry },
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(6);
    expect(await aggregateStream(t.appDb, 'sample-kept-fund', pot, testRegistry)).toMatchObject({ version: 6, state: { total: 600 } });
  });
});

describe("a hot stream's line (issue 18, hot funds)", () => {
  const fundConflicts = async (category: string) => (await commandConflicts.get()).values.find((v) => v.labels.category === category)?.value ?? 0;
  const spend = (db: typeof t.appDb, fold: ReturnType<typeof keepStates<Put, Recorded, Pot>>, stream: string, i: number, heldVersion?: number) =>
    handleCommandOnTwoStreams(
      db,
      { streamId: stream, fold, eventId: (n) => `${stream}-${i}:fund-${n}`, metadata: () => metadata({ countyId: null }) },
      {
        streamId: `${stream.replace('hot', 'proj')}-${i}`,
        fold: pot,
        eventId: (n) => `${stream}-${i}-${n}`,
        metadata: () => metadata(),
        ...(heldVersion === undefined ? {} : { heldVersion }),
      },
      (f) =>
        f.state.total + 100 > 3_000
          ? { ok: false, error: domainError('POT_FULL', '已满', 'full') }
          : {
              ok: true,
              events: [
                [{ type: 'SampleRecorded', data: { sampleId: `f${i}`, fundId: 'pot', amountFen: 100 } }],
                [{ type: 'SampleRecorded', data: { sampleId: `p${i}`, fundId: 'pot', amountFen: 1 } }],
              ] as const,
            },
      { registry: testRegistry },
    );

  it('takes forty commands on one stream at once in rounds, none conflicting, each decided on the state the one before it left: thirty fit and ten are refused', async () => {
    const kept = keepStates(pot);
    const before = await fundConflicts('samplehot');
    const appendsBefore = (await appendSeconds.get()).values.filter((v) => v.metricName === 'tuopin_append_seconds_count').reduce((n, v) => n + v.value, 0);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => spend(t.appDb, kept, 'samplehot-line', i)));
    expect(await fundConflicts('samplehot')).toBe(before);
    expect(results.filter((r) => r.ok)).toHaveLength(30);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(Array(10).fill('POT_FULL'));
    expect(results.every((r) => r.attempt === 1)).toBe(true);
    // Fewer appends than commands: the ones that waited went together.
    const appends = (await appendSeconds.get()).values.filter((v) => v.metricName === 'tuopin_append_seconds_count').reduce((n, v) => n + v.value, 0) - appendsBefore;
    expect(appends).toBeLessThan(30);
    const stored = await readStream(t.appDb, 'samplehot-line', { registry: testRegistry });
    expect(stored.map((e) => e.streamVersion)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await aggregateStream(t.appDb, 'samplehot-line', pot, testRegistry)).toMatchObject({ version: 30, state: { total: 3_000 } });
    // Each command is answered with its own events, where they went.
    for (const r of results.filter((x) => x.ok)) {
      if (!r.ok) continue;
      const [fundSide, projectSide] = r.appended;
      expect(fundSide).toHaveLength(1);
      expect(stored.find((e) => e.eventId === fundSide[0]!.eventId)?.streamVersion).toBe(r.streamVersions[0]);
      expect(projectSide).toHaveLength(1);
      expect(r.streamVersions[1]).toBe(1);
    }
    // A retry of any of them is answered from the store.
    const again = await spend(t.appDb, kept, 'samplehot-line', 3);
    expect(again).toMatchObject({ ok: true, duplicate: true });
  });

  it('a command its round cannot take (its event id stored elsewhere) fails alone: the rest of its round is recorded', async () => {
    const kept = keepStates(pot);
    // Command 5's project event id is already stored, on another stream: the round's append is refused, then each is decided alone.
    await appendToStreams(t.appDb, [{ streamId: 'sampleother-alone', expectedVersion: 'no-stream', events: [sample('samplehot-alone-5-0', 1, 'pot')] }], testRegistry);
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => spend(t.appDb, kept, 'samplehot-alone', i, 0)));
    expect(results[5]).toMatchObject({ status: 'rejected', reason: { code: 'EVENT_ID_REUSED' } });
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.ok)).toHaveLength(11);
    expect(await aggregateStream(t.appDb, 'samplehot-alone', pot, testRegistry)).toMatchObject({ version: 11, state: { total: 1_100 } });
  });

  it('two processes on one stream (two pools, two lines) never overspend it: a write the round did not see refuses the whole round', async () => {
    const other = createDb(t.appUrl, { max: 3, applicationName: 'test-line-other' });
    try {
      const [keptA, keptB] = [keepStates(pot), keepStates(pot)];
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? spend(t.appDb, keptA, 'samplehot-two', i) : spend(other, keptB, 'samplehot-two', i))));
      expect(results.filter((r) => r.ok)).toHaveLength(30);
      expect(await aggregateStream(t.appDb, 'samplehot-two', pot, testRegistry)).toMatchObject({ version: 30, state: { total: 3_000 } });
    } finally {
      await other.destroy();
    }
  });
});

describe("a batch with kept states (a village's households step after step)", () => {
  const streams = Array.from({ length: 6 }, (_, i) => `sample-bkept-${i}`);
  const step = (n: number, cap = 1000) => streams.map((streamId, i) => ({ streamId, command: { sampleId: `s${n}-${i}`, amountFen: 10, cap } }));
  const bopts = (n: number) => ({ eventId: (s: string, i: number) => `bkept-${n}:${s}:${i}`, metadata: () => metadata(), registry: testRegistry, chunk: 4 });

  it("folds each stream only from its kept version on, sees another writer's events, and takes a command at the real version", async () => {
    const kept = keepStates(pot);
    let folded = 0;
    const counting = { ...kept, evolve: (s: Pot, e: Recorded) => (folded++, pot.evolve(s, e)) };
    for (let n = 0; n < 3; n++) expect((await handleBatch(t.appDb, step(n), counting, bopts(n))).every((o) => o.ok && !o.duplicate)).toBe(true);
    // Each event folded once, as it was decided: no stream was read and folded again.
    expect(folded).toBe(3 * streams.length);
    await appendToStreams(t.appDb, [{ streamId: streams[1]!, expectedVersion: 3, events: [sample('bkept-other', 7, 'pot')] }], testRegistry);
    folded = 0;
    const r = await handleBatch(t.appDb, step(3), counting, bopts(3));
    expect(r[1]).toMatchObject({ ok: true, duplicate: false, state: { total: 47, count: 5 } });
    expect(r[0]).toMatchObject({ ok: true, state: { total: 40, count: 4 } });
    // The other writer's event, then each command's own.
    expect(folded).toBe(1 + streams.length);
    expect((await readStream(t.appDb, streams[1]!, { registry: testRegistry })).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
  });

  it('answers a rerun of an earlier step from what it stored then, through the kept states, and appends nothing', async () => {
    const kept = keepStates(pot);
    const again = await handleBatch(t.appDb, step(1), kept, bopts(1));
    expect(again.map((o) => o.ok && o.duplicate)).toEqual(streams.map(() => true));
    expect(again[0]).toMatchObject({ events: [{ data: { sampleId: 's1-0' } }] });
    // Kept now at each stream's head: a rerun of a step below it reads back from its first event.
    const twiceMore = await handleBatch(t.appDb, step(2), kept, bopts(2));
    expect(twiceMore.map((o) => o.ok && o.duplicate)).toEqual(streams.map(() => true));
    for (const s of streams) expect(await readStream(t.appDb, s, { registry: testRegistry })).toHaveLength(s === streams[1] ? 5 : 4);
  });

  it('reads a stream whose kept event the store no longer holds afresh, alone', async () => {
    const kept = keepStates(pot);
    const ids = ['sample-bgone-0', 'sample-bgone-1'];
    const items = (n: number) => ids.map((streamId) => ({ streamId, command: { sampleId: `g${n}`, amountFen: 10, cap: 1000 } }));
    const o = (n: number) => ({ eventId: (s: string, i: number) => `bgone-${n}:${s}:${i}`, metadata: () => metadata(), registry: testRegistry });
    await handleBatch(t.appDb, items(0), kept, o(0));
    await asSuperuser(t.adminDb, async (c) => {
      await sql`UPDATE events SET event_id = 'bgone-restored', data = jsonb_set(data, '{amountFen}', '500') WHERE event_id = ${'bgone-0:sample-bgone-0:0'}`.execute(c);
    });
    const r = await handleBatch(t.appDb, items(1), kept, o(1));
    expect(r.map((x) => x.ok && x.state)).toEqual([
      { total: 510, count: 2 },
      { total: 20, count: 2 },
    ]);
  });

  it('a kept batch races single writers and neither overspends a stream', async () => {
    const kept = keepStates(pot);
    const ids = Array.from({ length: 4 }, (_, i) => `sample-bkrace-${i}`);
    const o = (n: string) => ({ eventId: (s: string, i: number) => `bkrace-${n}:${s}:${i}`, metadata: () => metadata(), registry: testRegistry });
    await handleBatch(
      t.appDb,
      ids.map((streamId) => ({ streamId, command: { sampleId: 'first', amountFen: 100, cap: 200 } })),
      kept,
      o('0'),
    );
    const [batch, ...singles] = await Promise.all([
      handleBatch(
        t.appDb,
        ids.map((streamId) => ({ streamId, command: { sampleId: 'second', amountFen: 100, cap: 200 } })),
        kept,
        o('1'),
      ),
      ...ids.map((id, i) => handleCommand(t.appDb, id, pot, { sampleId: `single${i}`, amountFen: 100, cap: 200 }, opts(`bkrace-single-${i}`))),
    ]);
    ids.forEach((_, i) => expect(Number(batch[i]!.ok) + Number(singles[i]!.ok)).toBe(1));
    for (const id of ids) expect(await readStream(t.appDb, id, { registry: testRegistry })).toHaveLength(2);
  });
});

describe("a batch at the versions its caller knows (a workflow's previous step: issue 18 point 5)", () => {
  /** The app database, counting the batch reads (readStreamTails) it runs. */
  const counting = () => {
    const seen = { reads: 0 };
    const db = t.appDb.withPlugin({
      transformQuery: (a) => {
        if (a.node.kind === 'RawNode' && a.node.sqlFragments.join('').includes('FROM unnest(')) seen.reads++;
        return a.node;
      },
      transformResult: async (a) => a.result,
    });
    return { db, seen };
  };
  const ids = ['sample-bknown-0', 'sample-bknown-1', 'sample-bknown-2'];
  const items = (n: number, known?: readonly number[], prefix = 'k') =>
    ids.map((streamId, i) => ({ streamId, command: { sampleId: `${prefix}${n}-${i}`, amountFen: 10, cap: 1000 }, ...(known ? { knownVersion: known[i]! } : {}) }));
  const o = (n: number) => ({ eventId: (s: string, i: number) => `bknown-${n}:${s}:${i}`, metadata: () => metadata(), registry: testRegistry });

  it('decides on the kept states without reading them, and reads when a step runs again (its outcome lost), answering it from the store', async () => {
    const { db, seen } = counting();
    const kept = keepStates(pot);
    const first = await handleBatch(db, items(0), kept, o(0));
    expect(first.map((x) => x.version)).toEqual([1, 1, 1]);
    expect(seen.reads).toBe(1);
    const second = await handleBatch(db, items(1, [1, 1, 1]), kept, o(1));
    expect(second.map((x) => [x.ok, x.ok && x.duplicate, x.version])).toEqual(ids.map(() => [true, false, 2]));
    expect(seen.reads).toBe(1); // none for the second step
    // The second step again, as a workflow whose task was lost sends it: at the versions before it.
    const again = await handleBatch(db, items(1, [1, 1, 1]), kept, o(1));
    expect(again.map((x) => x.ok && x.duplicate)).toEqual([true, true, true]);
    expect(seen.reads).toBe(2);
    for (const id of ids) expect(await readStream(t.appDb, id, { registry: testRegistry })).toHaveLength(2);
  });

  it('when another writer moved a stream past the known version, the append conflicts and the chunk is read and decided again', async () => {
    const { db, seen } = counting();
    const kept = keepStates(pot);
    await handleBatch(db, items(2, [2, 2, 2]), kept, o(2));
    await appendToStreams(t.appDb, [{ streamId: ids[1]!, expectedVersion: 3, events: [sample('bknown-other', 500, 'pot')] }], testRegistry);
    const reads = seen.reads;
    const r = await handleBatch(db, items(3, [3, 3, 3]), kept, o(3));
    expect(r.map((x) => [x.ok, x.version])).toEqual([
      [true, 4],
      [true, 5],
      [true, 4],
    ]);
    expect(r[1]).toMatchObject({ state: { total: 540, count: 5 } });
    expect(seen.reads).toBe(reads + 1);
  });

  it("answers from the store when another worker stored the step's events with another decision (its id is taken)", async () => {
    const kept = keepStates(pot);
    await handleBatch(t.appDb, items(4, [4, 5, 4]), kept, o(4));
    // Another attempt of step 5 on another worker stored a different event for the first household under the step's id.
    await appendToStreams(t.appDb, [{ streamId: ids[0]!, expectedVersion: 5, events: [sample('bknown-5:sample-bknown-0:0', 1, 'pot')] }], testRegistry);
    const r = await handleBatch(t.appDb, items(5, [5, 6, 5]), kept, o(5));
    expect(r.map((x) => [x.ok, x.ok && x.duplicate, x.version])).toEqual([
      [true, true, 6],
      [true, false, 7],
      [true, false, 6],
    ]);
    expect(r[0]).toMatchObject({ events: [{ data: { amountFen: 1 } }] });
  });
});

describe("a pair decided on the states its caller just read (a payment's record after its check: issue 18 point 2)", () => {
  /** The app database, counting the statements that read `events`. */
  const counting = () => {
    const seen = { reads: 0 };
    const db = t.appDb.withPlugin({
      transformQuery: (a) => {
        if (a.node.kind === 'RawNode' && a.node.sqlFragments.join('').includes('FROM events')) seen.reads++;
        return a.node;
      },
      transformResult: async (a) => a.result,
    });
    return { db, seen };
  };
  const sides = (kept: ReturnType<typeof keepStates<Put, Recorded, Pot>>, fund: string, step: string, held: number) =>
    [
      { streamId: fund, fold: kept, eventId: (i: number) => `${step}:fund-${i}`, metadata: () => metadata({ countyId: null }) },
      { streamId: `sample-pkept-${fund.slice(-1)}`, fold: kept, eventId: (i: number) => `${step}-${i}`, metadata: () => metadata(), heldVersion: held },
    ] as const;
  const recorded = (sampleId: string): Recorded => ({ type: 'SampleRecorded', data: { sampleId, fundId: 'pot', amountFen: 10 } });
  const spend = (f: { state: Pot }, p: { state: Pot }): PairDecision<Recorded, Recorded> => ({
    ok: true,
    events: [[recorded(`f${f.state.count}`)], [recorded(`p${p.state.count}`)]],
  });
  /** What a check does first: both streams folded through their kept states. */
  const check = (db: typeof t.appDb, kept: ReturnType<typeof keepStates<Put, Recorded, Pot>>, [f, p]: ReturnType<typeof sides>) =>
    Promise.all([foldStream(db, f.streamId, kept, testRegistry), foldStream(db, p.streamId, kept, testRegistry)]);

  it('sends only the append: the kept states are decided on without reading', async () => {
    const { db, seen } = counting();
    const kept = keepStates(pot);
    await handleCommandOnTwoStreams(db, ...sides(kept, 'sample-fkept-a', 'kept-a0', 0), spend, { registry: testRegistry });
    await check(db, kept, sides(kept, 'sample-fkept-a', 'kept-a1', 1));
    const reads = seen.reads;
    const r = await handleCommandOnTwoStreams(db, ...sides(kept, 'sample-fkept-a', 'kept-a1', 1), spend, { registry: testRegistry, decideOnKept: true });
    expect(r).toMatchObject({ ok: true, duplicate: false, streamVersions: [2, 2], states: [{ total: 20 }, { total: 20 }] });
    expect(seen.reads).toBe(reads);
    // Without the option the pair is read first, as every other command is.
    await check(db, kept, sides(kept, 'sample-fkept-a', 'kept-a2', 2));
    await handleCommandOnTwoStreams(db, ...sides(kept, 'sample-fkept-a', 'kept-a2', 2), spend, { registry: testRegistry });
    expect(seen.reads).toBe(reads + 4);
    expect(await readStream(t.appDb, 'sample-pkept-a', { registry: testRegistry })).toHaveLength(3);
  });

  /** Appends sent to the store so far in this process, refused ones included. */
  const appendsSent = async () => (await appendSeconds.get()).values.filter((v) => v.metricName === 'tuopin_append_seconds_count').reduce((n, v) => n + v.value, 0);

  it('reads and decides again when another writer moved a kept stream since: the append was refused, not the command', async () => {
    const { db, seen } = counting();
    const kept = keepStates(pot);
    await handleCommandOnTwoStreams(db, ...sides(kept, 'sample-fkept-b', 'kept-b0', 0), spend, { registry: testRegistry });
    await check(db, kept, sides(kept, 'sample-fkept-b', 'kept-b1', 1));
    await appendToStreams(t.appDb, [{ streamId: 'sample-fkept-b', expectedVersion: 1, events: [sample('kept-b-other', 100, 'pot')] }], testRegistry);
    const [reads, appends] = [seen.reads, await appendsSent()];
    const r = await handleCommandOnTwoStreams(db, ...sides(kept, 'sample-fkept-b', 'kept-b1', 1), spend, { registry: testRegistry, decideOnKept: true });
    expect(r).toMatchObject({ ok: true, duplicate: false, streamVersions: [3, 2], states: [{ total: 120, count: 3 }, { total: 20 }], attempt: 1 });
    // The append on the kept states, refused (and its look for the step's events); the two reads; the append on what they read.
    expect([seen.reads - reads, (await appendsSent()) - appends]).toEqual([3, 2]);
  });

  it('never answers a refusal on kept states: it decides again on what it reads', async () => {
    const kept = keepStates(pot);
    await handleCommandOnTwoStreams(t.appDb, ...sides(kept, 'sample-fkept-f', 'kept-f0', 0), spend, { registry: testRegistry });
    await check(t.appDb, kept, sides(kept, 'sample-fkept-f', 'kept-f1', 1));
    // Another writer put into the fund what the command needs; the kept state does not know it.
    await appendToStreams(t.appDb, [{ streamId: 'sample-fkept-f', expectedVersion: 1, events: [sample('kept-f-other', 100, 'pot')] }], testRegistry);
    const needs100 = (f: { state: Pot }, p: { state: Pot }): PairDecision<Recorded, Recorded> =>
      f.state.total >= 100 ? spend(f, p) : { ok: false, error: domainError('POT_SHORT', '不足', 'short') };
    const r = await handleCommandOnTwoStreams(t.appDb, ...sides(kept, 'sample-fkept-f', 'kept-f1', 1), needs100, { registry: testRegistry, decideOnKept: true });
    expect(r).toMatchObject({ ok: true, streamVersions: [3, 2] });
  });

  it("answers from the store when the step's events were stored by an attempt here or elsewhere, and appends nothing", async () => {
    const kept = keepStates(pot);
    await handleCommandOnTwoStreams(t.appDb, ...sides(kept, 'sample-fkept-c', 'kept-c0', 0), spend, { registry: testRegistry });
    const [f, p] = sides(kept, 'sample-fkept-c', 'kept-c1', 1);
    await check(t.appDb, kept, [f, p]);
    const first = await handleCommandOnTwoStreams(t.appDb, f, p, spend, { registry: testRegistry, decideOnKept: true });
    // The same step again in this process (its answer lost): its own append moved the kept states past the held version.
    await check(t.appDb, kept, [f, p]);
    const again = await handleCommandOnTwoStreams(t.appDb, f, p, spend, { registry: testRegistry, decideOnKept: true });
    expect(again).toMatchObject({ ok: true, duplicate: true, streamVersions: [2, 2] });
    if (!first.ok || !again.ok) throw new Error('unreachable');
    expect(again.appended).toEqual(first.appended);
    // A process that folded both streams before another one stored the step: its kept states are a version behind the store.
    const behind = keepStates(pot);
    await handleCommandOnTwoStreams(t.appDb, ...sides(behind, 'sample-fkept-d', 'kept-d0', 0), spend, { registry: testRegistry });
    const [bf, bp] = sides(behind, 'sample-fkept-d', 'kept-d1', 1);
    await check(t.appDb, behind, [bf, bp]);
    const elsewhere = await handleCommandOnTwoStreams(t.appDb, ...sides(keepStates(pot), 'sample-fkept-d', 'kept-d1', 1), spend, { registry: testRegistry });
    const appends = await appendsSent();
    const late = await handleCommandOnTwoStreams(t.appDb, bf, bp, spend, { registry: testRegistry, decideOnKept: true });
    expect(late).toMatchObject({ ok: true, duplicate: true, streamVersions: [2, 2] });
    expect((await appendsSent()) - appends).toBe(1); // the one on the kept states, refused
    if (!elsewhere.ok || !late.ok) throw new Error('unreachable');
    expect(late.appended).toEqual(elsewhere.appended);
    for (const id of ['sample-fkept-d', 'sample-pkept-d']) expect(await readStream(t.appDb, id, { registry: testRegistry })).toHaveLength(2);
  });
});

describe('a stream longer than one read page', () => {
  it('folds all of its events and takes a command at its real version (10,000 events were read and no more)', async () => {
    const n = 10_050;
    for (let v = 0; v < n; v += 1_000) {
      const events = Array.from({ length: Math.min(1_000, n - v) }, (_, i) => sample(`long-${v + i}`, 1, 'pot'));
      await appendToStreams(t.appDb, [{ streamId: 'sample-long', expectedVersion: v === 0 ? 'no-stream' : v, events }], testRegistry);
    }
    expect(await aggregateStream(t.appDb, 'sample-long', pot, testRegistry)).toMatchObject({ version: n, state: { total: n } });
    const r = await handleCommand(t.appDb, 'sample-long', pot, { sampleId: 'last', amountFen: 1, cap: 1_000_000 }, { ...opts('long-last'), maxAttempts: 1 });
    expect(r).toMatchObject({ ok: true, streamVersion: n + 1, state: { total: n + 1 } });
  });
});
