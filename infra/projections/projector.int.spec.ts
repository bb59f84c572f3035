import { jetstream, type JsMsg } from '@nats-io/jetstream';
import { sql, type Transaction } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { sample } from '../../test/support/events';
import { createTestEventStream, type TestEventStream } from '../../test/support/nats';
import { mixedRegistry, projectProposed } from '../../test/support/projects';
import { until } from '../../test/support/until';
import type { Database } from '../database';
import { appendToStream } from '../eventstore/append';
import type { StoredEvent } from '../eventstore/types';
import { WRITER_ROLE } from '../migrate';
import { startRelay, type Relay } from '../relay/relay';
import { projectSummary } from './project-summary';
import type { Projection } from './projection';
import { durableFor, startProjector, type Projector } from './projector';

jest.setTimeout(90_000);

let t: TestDatabase;
let ns: TestEventStream;
let relay: Relay;
let projector: Projector | undefined;

/** A read model of the test's own: one row an event, so an event applied twice fails its batch (primary key). */
let failNext = false;
const samples: Projection = {
  name: 'test_samples',
  table: 'test_samples',
  canHandle: ['SampleRecorded'],
  async apply(trx: Transaction<Database>, table: string, events: readonly StoredEvent[]): Promise<void> {
    if (failNext) {
      failNext = false;
      throw new Error('samples: failing once');
    }
    const values = events.map((e) => sql`(${e.eventId}, ${e.position})`);
    await sql`INSERT INTO ${sql.table(table)} (event_id, position) VALUES ${sql.join(values)}`.execute(trx);
  },
};

beforeAll(async () => {
  t = await createTestDatabase('projfeed');
  ns = await createTestEventStream('projfeed');
  await sql`CREATE TABLE test_samples (event_id text PRIMARY KEY, position bigint NOT NULL)`.execute(t.adminDb);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON test_samples TO ${sql.id(WRITER_ROLE)}`.execute(t.adminDb);
  relay = await startRelay({ db: t.appDb, databaseUrl: t.appUrl, nc: ns.nc, streamName: ns.streamName, subjectPrefix: ns.subjectPrefix, pollIntervalMs: 200 });
});
afterAll(async () => {
  await projector?.stop();
  await relay.stop();
  await ns.close();
  await t.drop();
});

const count = async (table: string): Promise<number> => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(t.appDb)).rows[0]!.n);
const counts = async () => ({ summaries: await count('project_summary'), samples: await count('test_samples') });
/** Waits for both read models to hold so many rows. */
const reach = (summaries: number, samples: number) =>
  until(`${summaries} project summaries and ${samples} samples`, counts, { ok: (c) => c.summaries === summaries && c.samples === samples, intervalMs: 50 });
const samplesReach = (n: number) => until(`${n} samples`, () => count('test_samples'), { ok: (c) => c === n, intervalMs: 50 });
/**
 * Waits for projectors to have counted `n` events applied: a batch is counted once its commit has returned, a
 * moment after its rows show, so a read of the rows may come before the count.
 */
const counted = (n: number, ...ps: Projector[]) =>
  until(`${n} events counted applied`, () => ps.reduce((sum, p) => sum + p.stats.applied, 0), { ok: (a) => a >= n, intervalMs: 50 });
const consumers = async (): Promise<string[]> => {
  const names: string[] = [];
  for await (const c of ns.jsm.consumers.list(ns.streamName)) names.push(c.name);
  return names.sort();
};
let serial = 0;
const write = async (projects: number, noise: number): Promise<void> => {
  for (let i = 0; i < projects; i++) {
    const p = projectProposed(++serial);
    await appendToStream(t.appDb, p.streamId, 'no-stream', [p.event], mixedRegistry);
  }
  for (let i = 0; i < noise; i++) await appendToStream(t.appDb, `sample-n${++serial}`, 'any', [sample(`noise-${serial}`)], mixedRegistry);
};
const start = async (projections: readonly Projection[], durableName?: string): Promise<Projector> =>
  (projector = await startProjector({ db: t.appDb, nc: ns.nc, streamName: ns.streamName, projections, durableName, registry: mixedRegistry, batchSize: 8 }));

describe('one consumer feeding several read models', () => {
  it("takes over from each read model's own consumer where the slowest had got to, and deletes them", async () => {
    // As the code before ran them: a consumer each, by the names it gave them.
    await write(5, 5);
    const own = [await start([projectSummary], 'proj_project_summary')];
    own.push(await start([samples], 'proj_test_samples'));
    await reach(5, 5);
    await Promise.all(own.map((p) => p.stop()));
    expect(await consumers()).toEqual(['proj_project_summary', 'proj_test_samples']);

    await write(4, 6);
    const both = await start([samples, projectSummary]);
    await reach(9, 11);
    await counted(10, both);
    const durable = durableFor([samples, projectSummary]);
    expect(await consumers()).toEqual([durable]);
    // Not from the stream's beginning: from after what both had acknowledged.
    const info = await ns.jsm.consumers.info(ns.streamName, durable);
    expect(info.config.opt_start_seq).toBeGreaterThan(10);
    expect(both.stats).toMatchObject({ applied: 10, errors: 0, refused: 0 });
  });

  it('retries a batch only for the read model that failed it; each applies every event once', async () => {
    const p = projector!;
    failNext = true;
    await write(3, 3);
    await reach(12, 14);
    await counted(16, p);
    expect(p.stats.errors).toBeGreaterThanOrEqual(1);
    expect(p.stats.applied).toBe(16);
  });

  it('a consumer made anew starts after the checkpoints when they point into this stream, and applies nothing twice', async () => {
    await projector!.stop();
    const durable = durableFor([samples, projectSummary]);
    await ns.jsm.consumers.delete(ns.streamName, durable);
    await write(1, 1);
    const again = await start([projectSummary, samples]);
    await reach(13, 15);
    await counted(2, again);
    expect((await ns.jsm.consumers.info(ns.streamName, durable)).config.opt_start_seq).toBeGreaterThan(20);
    expect(again.stats).toMatchObject({ applied: 2, errors: 0 });
  });

  it('applies what a dead worker took and never acknowledged before anything after it, not skipped by the ack of later ones', async () => {
    // A worker killed inside a batch leaves its messages pending until ack_wait (30 s), and JetStream hands the
    // next ones to the worker that replaces it: acknowledging those (AckAll) must not pass over the dead one's.
    const durable = durableFor([samples, projectSummary]);
    await projector!.stop();
    const before = await count('test_samples');
    const published = (await ns.jsm.streams.info(ns.streamName)).state.last_seq;
    await write(0, 3);
    // In the stream before they are taken: the fetch waits 2 s at most, and the relay may take longer than that under load.
    await until('the three samples in the stream', async () => (await ns.jsm.streams.info(ns.streamName)).state.last_seq, { ok: (seq) => seq >= published + 3, intervalMs: 50 });
    const dead: JsMsg[] = [];
    const taken = await (await jetstream(ns.nc).consumers.get(ns.streamName, durable)).fetch({ max_messages: 3, expires: 2000 });
    for await (const m of taken) dead.push(m);
    expect(dead).toHaveLength(3);
    await write(0, 3);
    const next = await start([samples, projectSummary]);
    await samplesReach(before + 6);
    await counted(6, next);
    expect(next.stats).toMatchObject({ applied: 6, errors: 0, refused: 0 });
  });

  it('two workers feeding the same read models share the consumer, and every event is applied once', async () => {
    const before = await count('test_samples');
    const other = await startProjector({ db: t.appDb, nc: ns.nc, streamName: ns.streamName, projections: [projectSummary, samples], registry: mixedRegistry, batchSize: 2 });
    try {
      await Promise.all(Array.from({ length: 4 }, () => write(0, 10)));
      await samplesReach(before + 40);
      await counted(40, projector!, other);
      expect(projector!.stats.refused + other.stats.refused + projector!.stats.errors + other.stats.errors).toBe(0);
    } finally {
      await other.stop();
    }
  });
});
