import { jetstream } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { sample, testRegistry } from '../../test/support/events';
import { createTestEventStream, type TestEventStream } from '../../test/support/nats';
import { until } from '../../test/support/until';
import pg from 'pg';
import { APPEND_SQL, appendParams, appendToStream, appendToStreams, prepareAppend } from '../eventstore/append';
import { readAllRaw } from '../eventstore/read';
import type { StoredEvent } from '../eventstore/types';
import { startRelay, type Relay } from './relay';

jest.setTimeout(60_000);

let t: TestDatabase;
let ns: TestEventStream;
beforeAll(async () => {
  t = await createTestDatabase('relay');
  ns = await createTestEventStream('relay');
});
afterAll(async () => {
  await ns.close();
  await t.drop();
});

const start = (over: Partial<Parameters<typeof startRelay>[0]> = {}): Promise<Relay> =>
  startRelay({
    db: t.appDb,
    databaseUrl: t.appUrl,
    nc: ns.nc,
    streamName: ns.streamName,
    subjectPrefix: ns.subjectPrefix,
    batchSize: 7,
    pollIntervalMs: 200,
    ...over,
  });

/** Waits until the stream holds `n` messages. */
const published = (n: number) =>
  until(`${n} messages in the stream`, async () => (await ns.jsm.streams.info(ns.streamName)).state.messages, { ok: (m) => m === n, intervalMs: 50 });

const messages = async (): Promise<{ subject: string; msgId: string | undefined; event: StoredEvent }[]> => {
  const info = await ns.jsm.streams.info(ns.streamName);
  const out = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await ns.jsm.streams.getMessage(ns.streamName, { seq });
    if (m) out.push({ subject: m.subject, msgId: m.header.get('Nats-Msg-Id'), event: m.subject.endsWith('.stray._') ? (null as unknown as StoredEvent) : m.json<StoredEvent>() });
  }
  return out;
};

const storeOrder = async (): Promise<string[]> =>
  (await sql<{ event_id: string }>`SELECT event_id FROM events ORDER BY tx_id, position`.execute(t.appDb)).rows.map((r) => r.event_id);

describe('relay', () => {
  it('publishes every event in commit order with msg-id = event id and the category/county subject', async () => {
    for (let i = 0; i < 10; i++) {
      await appendToStreams(
        t.appDb,
        [
          { streamId: `sample-r${i % 3}`, expectedVersion: 'any', events: [sample(`r-${i}-a`), sample(`r-${i}-b`)] },
          { streamId: `fund-r${i % 2}`, expectedVersion: 'any', events: [sample(`r-${i}-c`, 1, 'f', { countyId: null })] },
        ],
        testRegistry,
      );
    }
    const relay = await start();
    await published(30);
    // Woken by NOTIFY (or the poll): more events flow without a restart.
    await appendToStream(t.appDb, 'sample-r9', 'any', [sample('r-late')], testRegistry);
    await published(31);
    await relay.stop();

    const got = await messages();
    expect(got.map((m) => m.event.eventId)).toEqual(await storeOrder());
    // The body PostgreSQL renders is exactly the StoredEvent a raw read gives (data as stored).
    expect(got.map((m) => m.event)).toEqual((await readAllRaw(t.appDb, { limit: 1000 })).events);
    expect(got.every((m) => m.msgId === m.event.eventId)).toBe(true);
    expect(got.find((m) => m.event.eventId === 'r-0-a')?.subject).toBe(`${ns.subjectPrefix}.sample.song`);
    expect(got.find((m) => m.event.eventId === 'r-0-c')?.subject).toBe(`${ns.subjectPrefix}.fund._`);
    const cp = await t.appDb.selectFrom('relay_checkpoints').selectAll().executeTakeFirstOrThrow();
    expect(Number(cp.stream_seq)).toBe(31);
  });

  it('resumes after a crash without loss, duplicates or reordering, even if the checkpoint was lost', async () => {
    // A crash after publishing but before the checkpoint: simulate by rewinding the checkpoint.
    await sql`UPDATE relay_checkpoints SET tx_id = '0'::xid8, position = 0, stream_seq = 0`.execute(t.appDb);
    for (let i = 0; i < 5; i++) await appendToStream(t.appDb, 'sample-after-crash', 'any', [sample(`ac-${i}`)], testRegistry);
    const relay = await start();
    await published(36);
    await relay.stop();
    const got = await messages();
    expect(got.map((m) => m.event.eventId)).toEqual(await storeOrder());
    expect(new Set(got.map((m) => m.event.eventId)).size).toBe(got.length);
  });

  it('only one relay of a name publishes at a time; a standby takes over', async () => {
    const a = await start();
    await until('a leads', () => a.stats.leader, { intervalMs: 50 });
    const b = await start();
    for (let i = 0; i < 4; i++) await appendToStream(t.appDb, 'sample-ha', 'any', [sample(`ha-${i}`)], testRegistry);
    await published(40);
    expect(b.stats.leader).toBe(false);
    await a.stop();
    await until('b leads', () => b.stats.leader, { intervalMs: 50 });
    await appendToStream(t.appDb, 'sample-ha', 'any', [sample('ha-after')], testRegistry);
    await published(41);
    await b.stop();
    const got = await messages();
    expect(got.map((m) => m.event.eventId)).toEqual(await storeOrder());
  });

  it('reports a transaction holding the gate as a stall and waits for it, skipping nothing', async () => {
    const holder = new pg.Client({ connectionString: t.appUrl });
    await holder.connect();
    try {
      const relay = await start({ stallWarnAfterMs: 0 });
      await until('leads', () => relay.stats.leader, { intervalMs: 50 });
      const before = (await ns.jsm.streams.info(ns.streamName)).state.messages;
      await holder.query('BEGIN');
      await holder.query(APPEND_SQL, appendParams(prepareAppend([{ streamId: 'sample-held', expectedVersion: 'any', events: [sample('held-low')] }], testRegistry)));
      await appendToStream(t.appDb, 'sample-free', 'any', [sample('free-high')], testRegistry);
      await until('a stall reported', () => relay.stats.stalls > 0, { intervalMs: 50 });
      expect((await ns.jsm.streams.info(ns.streamName)).state.messages).toBe(before);
      await holder.query('COMMIT');
      await published(before + 2);
      await relay.stop();
      const got = await messages();
      expect(got.slice(-2).map((m) => m.event.eventId)).toEqual(['held-low', 'free-high']);
    } finally {
      await holder.end();
    }
  });

  it('publishes a commit that met the gate once the gate passes, without waiting for the next poll, even after an idle spell', async () => {
    // The poll is ten minutes away: only the relay's quick looks behind the gate can publish the event in time.
    const relay = await start({ pollIntervalMs: 600_000 });
    await until('leads', () => relay.stats.leader, { intervalMs: 50 });
    const before = (await ns.jsm.streams.info(ns.streamName)).state.messages;
    // Idle first: the relay has read nothing new and waits for a NOTIFY (where the second-long lags began).
    await new Promise((r) => setTimeout(r, 300));
    const holder = new pg.Client({ connectionString: t.appUrl });
    await holder.connect();
    try {
      // An open transaction with an id, as another database's writer on the same cluster holds the gate.
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      await appendToStream(t.appDb, 'sample-gated', 'any', [sample('gated-after-idle')], testRegistry);
      await new Promise((r) => setTimeout(r, 300));
      expect((await ns.jsm.streams.info(ns.streamName)).state.messages).toBe(before);
      // The gate passes without a NOTIFY (the holder wrote no event).
      await holder.query('COMMIT');
      await published(before + 1);
    } finally {
      await holder.end();
      await relay.stop();
    }
    expect((await messages()).at(-1)?.event.eventId).toBe('gated-after-idle');
  });

  it('is woken at once by an append made in its own process through its own database handle, with no NOTIFY reaching it', async () => {
    // Its LISTEN connection on another database hears none of this store's NOTIFYs, and its poll is ten minutes away.
    const elsewhere = await createTestDatabase('relaylisten');
    const relay = await start({ databaseUrl: elsewhere.appUrl, pollIntervalMs: 600_000 });
    try {
      await until('leads', () => relay.stats.leader, { intervalMs: 50 });
      const before = (await ns.jsm.streams.info(ns.streamName)).state.messages;
      // Idle first: it has read what there was and waits.
      await new Promise((r) => setTimeout(r, 300));
      await appendToStream(t.appDb, 'sample-here', 'any', [sample('appended-here')], testRegistry);
      await published(before + 1);
    } finally {
      await relay.stop();
      await elsewhere.drop();
    }
    expect((await messages()).at(-1)?.event.eventId).toBe('appended-here');
  });

  it("does not wait for another database's open transaction on the same cluster: only this database's can write its events", async () => {
    const relay = await start({ pollIntervalMs: 600_000 });
    await until('leads', () => relay.stats.leader, { intervalMs: 50 });
    const before = (await ns.jsm.streams.info(ns.streamName)).state.messages;
    const elsewhere = new pg.Client({ connectionString: t.adminUrl.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
    await elsewhere.connect();
    try {
      await elsewhere.query('BEGIN');
      await elsewhere.query('SELECT pg_current_xact_id()');
      await appendToStream(t.appDb, 'sample-other-db', 'any', [sample('past-other-db')], testRegistry);
      // Published while the other database's transaction is still open.
      await published(before + 1);
      await elsewhere.query('COMMIT');
    } finally {
      await elsewhere.end();
      await relay.stop();
    }
    expect((await messages()).map((m) => m.event?.eventId)).toEqual(await storeOrder());
  });

  it('never leaves a gap when a publish fails part way: later publishes fail too, and it resumes in order', async () => {
    const relay = await start();
    const before = (await ns.jsm.streams.info(ns.streamName)).state.messages;
    // Resumed (it has read the stream's last sequence), so the stray message below lands under it, not before it looked.
    await until('leads and resumed', () => relay.stats.leader && relay.stats.lastSeq === before, { intervalMs: 50 });
    // A stray message moves the stream's last sequence under the relay: its next expected-sequence publish fails.
    await jetstream(ns.nc).publish(`${ns.subjectPrefix}.stray._`, 'not an event');
    for (let i = 0; i < 12; i++) await appendToStream(t.appDb, 'sample-gap', 'any', [sample(`gap-${i}`)], testRegistry);
    await published(before + 13);
    await relay.stop();
    expect(relay.stats.errors).toBeGreaterThan(0);
    const got = (await messages()).filter((m) => m.subject !== `${ns.subjectPrefix}.stray._`);
    expect(got.map((m) => m.event.eventId)).toEqual(await storeOrder());
    expect(got).toHaveLength(before + 12);
  });

  it('resumes from its own last message, not from a forged cursor header on top of the stream (which would skip every real event below it)', async () => {
    const before = (await ns.jsm.streams.info(ns.streamName)).state.messages;
    // The checkpoint lost, as after a crash: the relay must take its cursor from JetStream's headers.
    await sql`UPDATE relay_checkpoints SET tx_id = '0'::xid8, position = 0, stream_seq = 0`.execute(t.appDb);
    const h = headers();
    h.set('Tuopin-Tx', '999999999999');
    h.set('Tuopin-Position', '999999999999');
    await jetstream(ns.nc).publish(`${ns.subjectPrefix}.stray._`, 'forged', { headers: h });
    for (let i = 0; i < 3; i++) await appendToStream(t.appDb, 'sample-forged-cursor', 'any', [sample(`fc-${i}`)], testRegistry);
    const relay = await start();
    await published(before + 4);
    await relay.stop();
    const got = (await messages()).filter((m) => m.subject !== `${ns.subjectPrefix}.stray._`);
    expect(got.map((m) => m.event.eventId)).toEqual(await storeOrder());
    expect(relay.stats.cursor.position).toBeLessThan(999_999_999_999);
  }, 240_000);
});
