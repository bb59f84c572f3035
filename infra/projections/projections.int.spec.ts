import { jetstream } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { sample } from '../../test/support/events';
import { createTestEventStream, type TestEventStream } from '../../test/support/nats';
import { mixedRegistry, projectProposed } from '../../test/support/projects';
import { until } from '../../test/support/until';
import { appendToStream } from '../eventstore/append';
import type { StoredEvent } from '../eventstore/types';
import { startRelay, type Relay } from '../relay/relay';
import { projectSummary } from './project-summary';
import type { Projection } from './projection';
import { durableFor, startProjector, type Projector } from './projector';
import { rebuildProjection } from './rebuild';

jest.setTimeout(60_000);

let t: TestDatabase;
let ns: TestEventStream;
let relay: Relay;
let projector: Projector;

beforeAll(async () => {
  t = await createTestDatabase('proj');
  ns = await createTestEventStream('proj');
  relay = await startRelay({ db: t.appDb, databaseUrl: t.appUrl, nc: ns.nc, streamName: ns.streamName, subjectPrefix: ns.subjectPrefix, pollIntervalMs: 200 });
});
afterAll(async () => {
  await projector?.stop();
  await relay.stop();
  await ns.close();
  await t.drop();
});

const rows = async () =>
  (
    await sql<Record<string, unknown>>`SELECT project_id, county_id, category, name, budget_fen, fiscal_year, stage, proposed_by FROM project_summary ORDER BY project_id`.execute(
      t.appDb,
    )
  ).rows;
const rowCount = async (): Promise<number> => (await rows()).length;
const rowsReach = (n: number) => until(`${n} project summaries`, rowCount, { ok: (c) => c === n, intervalMs: 50 });

const propose = async (serial: number): Promise<void> => {
  const p = projectProposed(serial);
  await appendToStream(t.appDb, p.streamId, 'no-stream', [p.event], mixedRegistry);
};

describe('project_summary fed from JetStream', () => {
  it('projects ProjectProposed and ignores what it cannot handle', async () => {
    for (let i = 1; i <= 20; i++) {
      await propose(i);
      if (i % 5 === 0) await appendToStream(t.appDb, `sample-noise${i}`, 'any', [sample(`noise-${i}`)], mixedRegistry);
    }
    projector = await startProjector({ db: t.appDb, nc: ns.nc, streamName: ns.streamName, projections: [projectSummary], registry: mixedRegistry, batchSize: 8 });
    await rowsReach(20);
    expect((await rows())[0]).toEqual({
      project_id: 'prj-luanchuan-2016-0001',
      county_id: 'luanchuan',
      category: 'industry',
      name: 'Project 1',
      budget_fen: '1000001',
      fiscal_year: 2016,
      stage: 'proposed',
      proposed_by: 'official.song.1',
    });
  });

  it('a message delivered again, even republished under a new msg id, changes nothing', async () => {
    // Every stored event acknowledged first (one message each so far): the last noise event comes after the twentieth
    // proposal, and its skip, counted after the rows' wait, would pass for the redelivery's.
    const stored = Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM events`.execute(t.appDb)).rows[0]!.n);
    await until(`${stored} messages acknowledged`, async () => (await ns.jsm.consumers.info(ns.streamName, durableFor([projectSummary]))).ack_floor.stream_seq, {
      ok: (seq) => seq >= stored,
      intervalMs: 50,
    });
    const before = await rows();
    const original = await ns.jsm.streams.getMessage(ns.streamName, { seq: 1 });
    const event = original!.json<StoredEvent<{ name: string }>>();
    const h = headers();
    for (const [k, v] of original!.header) if (k.startsWith('Tuopin-')) h.set(k, v[0]!);
    // Counted before the publish: its delivery can overtake the publish's acknowledgement on the socket,
    // and a count read after it would then wait for a skip that had already happened.
    const skipped = projector.stats.skipped;
    await jetstream(ns.nc).publish(original!.subject, JSON.stringify({ ...event, data: { ...event.data, name: 'tampered' } }), { msgID: `again-${event.eventId}`, headers: h });
    await until('the tampered redelivery skipped', () => projector.stats.skipped, { ok: (n) => n > skipped, intervalMs: 50 });
    expect(await rows()).toEqual(before);

    // A durable consumer lost and recreated where the checkpoint's stream sequence says nothing (a stream made anew)
    // redelivers everything: all skipped by the checkpoint's cursor.
    await projector.stop();
    await ns.jsm.consumers.delete(ns.streamName, durableFor([projectSummary]));
    await sql`UPDATE projection_checkpoints SET stream_seq = 0 WHERE name = ${projectSummary.name}`.execute(t.appDb);
    projector = await startProjector({ db: t.appDb, nc: ns.nc, streamName: ns.streamName, projections: [projectSummary], registry: mixedRegistry, batchSize: 8 });
    const total = (await ns.jsm.streams.info(ns.streamName)).state.messages;
    // At least: a batch redelivered after its ack wait on a loaded machine is skipped twice.
    await until(`all ${total} redelivered skipped`, () => projector.stats.skipped, { ok: (n) => n >= total, intervalMs: 50 });
    expect(projector.stats.applied).toBe(0);
    expect(await rows()).toEqual(before);
  });

  it('rebuilds from the store without NATS, swapping the fresh table in, and the live projector carries on', async () => {
    const good = await rows();
    await sql`UPDATE project_summary SET name = 'corrupted'`.execute(t.appDb);
    const r = await rebuildProjection(t.adminDb, projectSummary, { registry: mixedRegistry, batchSize: 7 });
    expect(r.events).toBe(20);
    expect(await rows()).toEqual(good);
    const tables = await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE tablename LIKE 'project_summary%'`.execute(t.adminDb);
    expect(tables.rows.map((x) => x.tablename)).toEqual(['project_summary']);

    await propose(21);
    await rowsReach(21);
    // The application role can still write the swapped-in table.
    await sql`UPDATE project_summary SET stage = stage WHERE project_id = 'prj-luanchuan-2016-0021'`.execute(t.appDb);
  });

  it("rebuilds into the live table's own shape: a column a migration added survives, and index names stay the migrations' after two swaps", async () => {
    const indexes = async () =>
      (await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'project_summary' ORDER BY indexname`.execute(t.adminDb)).rows.map((r) => r.name);
    const before = await indexes();
    // As a later migration would: a column and an index the projection's code knows nothing of.
    await sql`ALTER TABLE project_summary ADD COLUMN note text NOT NULL DEFAULT 'kept'`.execute(t.adminDb);
    await sql`CREATE INDEX project_summary_note ON project_summary (note)`.execute(t.adminDb);
    await rebuildProjection(t.adminDb, projectSummary, { registry: mixedRegistry });
    await rebuildProjection(t.adminDb, projectSummary, { registry: mixedRegistry });
    expect(await indexes()).toEqual([...before, 'project_summary_note'].sort());
    const notes = await sql<{ note: string }>`SELECT DISTINCT note FROM project_summary`.execute(t.adminDb);
    expect(notes.rows).toEqual([{ note: 'kept' }]);
    await sql`DROP INDEX project_summary_note`.execute(t.adminDb);
    await sql`ALTER TABLE project_summary DROP COLUMN note`.execute(t.adminDb);
  });

  it('a failed rebuild leaves the live read model untouched', async () => {
    const before = await rows();
    const failing: Projection = {
      ...projectSummary,
      apply: async () => {
        throw new Error('boom');
      },
    };
    await expect(rebuildProjection(t.adminDb, failing, { registry: mixedRegistry })).rejects.toThrow('boom');
    expect(await rows()).toEqual(before);
    const tables = await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE tablename LIKE 'project_summary%'`.execute(t.adminDb);
    expect(tables.rows.map((x) => x.tablename)).toEqual(['project_summary']);
  });

  it('refuses a message injected on the event subjects: an event the store never had, a forged position, garbage; the read model and the checkpoint stay', async () => {
    const before = await rows();
    const last = (await ns.jsm.streams.info(ns.streamName)).state.last_seq;
    const real = (await ns.jsm.streams.getMessage(ns.streamName, { seq: last }))!;
    const template = real.json<StoredEvent>();
    const forged = projectProposed(9001);
    // Far past the real head, as a forger would claim to move the checkpoint beyond every real event.
    const position = Number(template.position) + 1_000_000;
    const txId = String(BigInt(template.txId) + 1_000_000n);
    const message = { ...template, position, txId, streamId: forged.streamId, eventId: forged.event.eventId, type: 'ProjectProposed', data: forged.event.data };
    const h = headers();
    h.set('Tuopin-Tx', txId);
    h.set('Tuopin-Position', String(position));
    h.set('Tuopin-Type', 'ProjectProposed');
    h.set('Tuopin-Stream-Id', forged.streamId);
    const refused = projector.stats.refused;
    await jetstream(ns.nc).publish(real.subject, JSON.stringify(message), { msgID: `forged-${position}`, headers: h });
    // A real event's position with another event's id (a replayed position header), and a message that is not JSON.
    await jetstream(ns.nc).publish(real.subject, JSON.stringify({ ...message, position: template.position, txId: template.txId }), { msgID: `forged-old-${position}` });
    await jetstream(ns.nc).publish(real.subject, 'not json', { msgID: `garbage-${position}` });
    await until('the three forged messages refused', () => projector.stats.refused, { ok: (n) => n >= refused + 3, intervalMs: 50 });
    expect(await rows()).toEqual(before);
    const checkpoint = await sql<{ position: string }>`SELECT position FROM projection_checkpoints WHERE name = ${projectSummary.name}`.execute(t.appDb);
    expect(Number(checkpoint.rows[0]!.position)).toBeLessThan(position);
    // The checkpoint did not jump past real events: a later real event is still above it (and is applied when the relay
    // brings it; not awaited here, as the tail's gate may wait on other tests' transactions on the shared cluster).
    const ids = (await rows()).map((r) => r.project_id);
    expect(ids).not.toContain((forged.event.data as { projectId: string }).projectId);
  });
});

describe('a rebuild and a transaction left open', () => {
  // The tail's gate is the oldest open transaction that may be this database's: one open here hides
  // every event committed after it began from every tail, including a rebuild's. One open in another
  // database on the cluster cannot write this store's events, and hides nothing.
  const open = async (connectionString: string): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString });
    await c.connect();
    await c.query('BEGIN');
    await c.query('SELECT pg_current_xact_id()');
    return c;
  };
  const openElsewhere = (): Promise<pg.Client> => open(process.env.TEST_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const openHere = (): Promise<pg.Client> => open(t.adminUrl);
  /** Whether a connection of the owner's has begun the gate's query (waitForGate) in this database since `t0`. */
  const askingGate = async (t0: string): Promise<boolean> => {
    const { rows: asking } = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM pg_stat_activity
       WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()
         AND query LIKE '%)::text AS gate' AND query_start > ${t0}::timestamptz`.execute(t.adminDb);
    return asking[0]!.n !== '0';
  };

  it('waits until the transaction ends and swaps in a model with every event committed before it started', async () => {
    const other = await openHere();
    try {
      await propose(22);
      const [{ t0 }] = (await sql<{ t0: string }>`SELECT clock_timestamp()::text AS t0`.execute(t.adminDb)).rows as [{ t0: string }];
      let done = false;
      const rebuilt = rebuildProjection(t.adminDb, projectSummary, { registry: mixedRegistry, batchSize: 7 }).finally(() => {
        done = true;
      });
      // Held 700 ms from when the rebuild is seen at the gate: its wait is timed from its first look there, after a
      // read a loaded machine may delay, so 700 ms counted from the call could be less than 600 ms of its wait.
      await until('the rebuild asking the gate', () => askingGate(t0), { intervalMs: 20 });
      await new Promise((r) => setTimeout(r, 700));
      expect(done).toBe(false);
      await other.query('COMMIT');
      const r = await rebuilt;
      expect(r.events).toBe(22);
      expect(r.gateWaitMs).toBeGreaterThanOrEqual(600);
      expect((await rows()).map((x) => x.project_id)).toContain('prj-song-2016-0022');
    } finally {
      await other.end();
    }
  });

  it('refuses, naming how many events are hidden, when the transaction outlasts its patience', async () => {
    const other = await openHere();
    try {
      await propose(23);
      const before = await rows();
      await expect(rebuildProjection(t.adminDb, projectSummary, { registry: mixedRegistry, gateTimeoutMs: 300 })).rejects.toMatchObject({
        code: 'TAIL_GATE_BLOCKED',
        details: expect.objectContaining({ behind: expect.any(Number) }),
      });
      expect(await rows()).toEqual(before);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });

  it('does not wait for a transaction open in another database', async () => {
    const other = await openElsewhere();
    try {
      await propose(24);
      const r = await rebuildProjection(t.adminDb, projectSummary, { registry: mixedRegistry, gateTimeoutMs: 60_000 });
      expect((await rows()).map((x) => x.project_id)).toContain('prj-song-2016-0024');
      expect(r.events).toBeGreaterThan(0);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });
});

describe('project_summary: a project’s place', () => {
  it('keeps a project’s place: level, township and village; a proposal without one reads as a village project (issue 14 point 5)', async () => {
    const hospital = projectProposed(90, {
      countyId: 'song',
      category: 'health',
      place: { level: 'county' },
      villageRecord: undefined,
      appraisal: { department: '嵩县卫计委', documentRef: '嵩卫〔2016〕3号', appraisedOn: '2016-02-01' },
    });
    const road = projectProposed(92, { countyId: 'song', place: { level: 'village', villageId: 'vil-song-042', townshipId: 'twp-song-checun' } });
    for (const p of [hospital, road]) await appendToStream(t.appDb, p.streamId, 'no-stream', [p.event], mixedRegistry);
    await rebuildProjection(t.adminDb, projectSummary, { registry: mixedRegistry });
    const places = await sql<
      Record<string, unknown>
    >`SELECT project_id, level, township_id, village_id FROM project_summary WHERE project_id IN ('prj-song-2016-0090', 'prj-song-2016-0092', 'prj-luanchuan-2016-0001') ORDER BY project_id`.execute(
      t.appDb,
    );
    expect(places.rows).toEqual([
      { project_id: 'prj-luanchuan-2016-0001', level: 'village', township_id: null, village_id: null },
      { project_id: 'prj-song-2016-0090', level: 'county', township_id: null, village_id: null },
      { project_id: 'prj-song-2016-0092', level: 'village', township_id: 'twp-song-checun', village_id: 'vil-song-042' },
    ]);
  });
});
