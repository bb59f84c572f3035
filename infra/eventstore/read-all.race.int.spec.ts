import { sql } from 'kysely';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { sample, testRegistry } from '../../test/support/events';
import { until } from '../../test/support/until';
import { APPEND_SQL, appendParams, appendToStream, prepareAppend } from './append';
import { headCursor, readAll, sawHead, tailStall } from './read';
import { START, type Cursor, type StreamAppend } from './types';

/**
 * Forced interleavings: a transaction that took a lower position (or a lower xid) commits after one
 * that took a higher one. The tail must deliver both, never step past the late one.
 */
jest.setTimeout(60_000);

let t: TestDatabase;
const clients: pg.Client[] = [];
beforeAll(async () => {
  t = await createTestDatabase('race');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
  await t.drop();
});

const client = async (): Promise<pg.Client> => {
  const c = new pg.Client({ connectionString: t.appUrl });
  await c.connect();
  clients.push(c);
  return c;
};

/** A transaction open on a connection of its own that has taken its xid and written nothing yet: the gate, below whatever is appended after it. */
const holdXid = async (): Promise<pg.Client> => {
  const c = await client();
  await c.query('BEGIN');
  await c.query('SELECT pg_current_xact_id()');
  return c;
};

/** Appends inside an open transaction on `c`, leaving it open. */
const appendOpen = async (c: pg.Client, append: StreamAppend): Promise<number> => {
  const r = await c.query<{ event_position: string }>(APPEND_SQL, appendParams(prepareAppend([append], testRegistry)));
  return Number(r.rows[0]?.event_position);
};

/**
 * Reads until `count` events have come. The gate is cluster-wide: a transaction anywhere on the
 * server (another test's database) may hold it a moment longer, so "committed" is not "readable
 * this instant". Waiting for a state, not a time: only the jest timeout bounds it.
 */
const drainUntil = async (after: Cursor, count: number): Promise<{ ids: string[]; cursor: Cursor }> => {
  const ids: string[] = [];
  let cursor = after;
  while (ids.length < count) {
    const r = await readAll(t.appDb, { after: cursor, limit: 100, registry: testRegistry });
    ids.push(...r.events.map((e) => e.eventId));
    cursor = r.cursor;
    if (r.events.length === 0) await new Promise((res) => setTimeout(res, 10));
  }
  return { ids, cursor };
};

/** The cursor after every event stored so far (no writer is running when this is called). */
const caughtUp = async (): Promise<Cursor> => {
  const n = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(t.appDb)).rows[0]?.n);
  return (await drainUntil(START, n)).cursor;
};

/**
 * tailStall once it counts `n` from `after`. Another database's transaction that ends while the
 * statement runs (after its snapshot, before it reads pg_stat_activity) counts as this database's
 * for that statement (ownGate in read.ts): while other tests write, the count can be too high a
 * moment, never too low.
 */
const stallReaches = (after: Cursor, n: number) =>
  until(`tailStall counting ${n} after ${after.txId}:${after.position}`, () => tailStall(t.appDb, after), {
    ok: (s) => s.waiting === n,
    intervalMs: 20,
    timeoutMs: 20_000,
  });

const drain = async (after: Cursor): Promise<{ ids: string[]; cursor: Cursor }> => {
  const ids: string[] = [];
  let cursor = after;
  for (;;) {
    const r = await readAll(t.appDb, { after: cursor, limit: 100, registry: testRegistry });
    if (r.events.length === 0) return { ids, cursor };
    ids.push(...r.events.map((e) => e.eventId));
    cursor = r.cursor;
  }
};

describe('gap-safe tailing', () => {
  it('does not pass a lower position that commits after a higher one', async () => {
    const a = await client();
    await a.query('BEGIN');
    const lowPosition = await appendOpen(a, { streamId: 'sample-late', expectedVersion: 'any', events: [sample('late-low')] });
    const high = await appendToStream(t.appDb, 'sample-early', 'any', [sample('early-high')], testRegistry);
    expect(high.events[0]!.position).toBeGreaterThan(lowPosition);

    // The naive "position > last seen" read would take early-high now and never see late-low.
    const naive = await sql<{ event_id: string }>`SELECT event_id FROM events WHERE position > 0 ORDER BY position`.execute(t.appDb);
    expect(naive.rows.map((r) => r.event_id)).toEqual(['early-high']);

    const held = await drain(START);
    expect(held.ids).toEqual([]);
    const stall = await tailStall(t.appDb, held.cursor);
    expect(stall.waiting).toBe(1);

    await a.query('COMMIT');
    const after = await drainUntil(held.cursor, 2);
    expect(after.ids).toEqual(['late-low', 'early-high']);
    expect(await tailStall(t.appDb, after.cursor)).toMatchObject({ waiting: 0 });
  });

  it('does not pass a transaction that took its xid first but writes and commits last', async () => {
    const start = await caughtUp();
    const b = await holdXid(); // lower xid, no event yet
    await appendToStream(t.appDb, 'sample-x1', 'any', [sample('x-first-committed')], testRegistry);
    expect((await drain(start)).ids).toEqual([]);
    await appendOpen(b, { streamId: 'sample-x2', expectedVersion: 'any', events: [sample('x-last-committed')] });
    expect((await drain(start)).ids).toEqual([]);
    await b.query('COMMIT');
    expect((await drainUntil(start, 2)).ids).toEqual(['x-last-committed', 'x-first-committed']);
  });

  it('tailStall counts, from any cursor, only the committed events after it that the gate holds back', async () => {
    const cursorOf = async (eventId: string): Promise<Cursor> => {
      const { rows } = await sql<{ tx_id: string; position: string }>`SELECT tx_id::text AS tx_id, position FROM events WHERE event_id = ${eventId}`.execute(t.appDb);
      return { txId: rows[0]!.tx_id, position: Number(rows[0]!.position) };
    };
    await appendToStream(t.appDb, 'sample-stall', 'any', [sample('stall-seen-1')], testRegistry);
    await appendToStream(t.appDb, 'sample-stall', 'any', [sample('stall-seen-2')], testRegistry);
    const seen = await caughtUp();
    const h = await holdXid();
    await appendToStream(t.appDb, 'sample-stall', 'any', [sample('stall-hidden-1'), sample('stall-hidden-2')], testRegistry);
    await appendToStream(t.appDb, 'sample-stall', 'any', [sample('stall-hidden-3')], testRegistry);
    try {
      // Below the gate, wherever the cursor is: the three hidden events, not what it has still to read below the gate.
      await stallReaches(START, 3);
      await stallReaches(await cursorOf('stall-seen-1'), 3);
      await stallReaches(seen, 3);
      // Past the gate (a cursor of a transaction above it): only what follows the cursor, within its transaction too.
      await stallReaches(await cursorOf('stall-hidden-1'), 2);
      await stallReaches(await cursorOf('stall-hidden-2'), 1);
      expect(await stallReaches(await cursorOf('stall-hidden-3'), 0)).toMatchObject({ waiting: 0, oldestWaitingRecordedAt: null });
    } finally {
      await h.query('ROLLBACK');
    }
    await stallReaches(START, 0);
  });

  it('a page read withBehind says that committed events wait behind its gate, and sawHead that it has not seen the head, until they are readable', async () => {
    const seen = await caughtUp();
    const h = await holdXid();
    await appendToStream(t.appDb, 'sample-behind', 'any', [sample('behind-hidden')], testRegistry);
    const head = await headCursor(t.appDb);
    try {
      const page = await readAll(t.appDb, { after: seen, limit: 100, registry: testRegistry, withBehind: true });
      expect(page).toMatchObject({ events: [], behind: true });
      expect(sawHead(page, head)).toBe(false);
      // Without withBehind, nothing is said of what waits.
      expect((await readAll(t.appDb, { after: seen, limit: 100, registry: testRegistry })).behind).toBe(false);
    } finally {
      await h.query('ROLLBACK');
    }
    const done = await until('the page past the head', () => readAll(t.appDb, { after: seen, limit: 100, registry: testRegistry, withBehind: true }), {
      ok: (p) => sawHead(p, head),
      intervalMs: 20,
      timeoutMs: 20_000,
    });
    expect(done.events.map((e) => e.eventId)).toEqual(['behind-hidden']);
  });

  it('a rolled-back append leaves no hole the tail waits on', async () => {
    const start = await caughtUp();
    const c = await client();
    await c.query('BEGIN');
    await appendOpen(c, { streamId: 'sample-rb', expectedVersion: 'any', events: [sample('rolled-back')] });
    await appendToStream(t.appDb, 'sample-rb2', 'any', [sample('kept')], testRegistry);
    await c.query('ROLLBACK');
    const r = await drainUntil(start, 1);
    expect(r.ids).toEqual(['kept']);
    expect((await drain(r.cursor)).ids).toEqual([]);
  });

  it('refuses a cursor beyond every transaction id so far (a restore into another cluster), never reading past it', async () => {
    await expect(readAll(t.appDb, { after: { txId: '999999999999', position: 0 }, registry: testRegistry })).rejects.toMatchObject({ code: 'TX_ID_REGRESSED' });
  });

  it('delivers every event exactly once, each stream in version order, under concurrent writers with random holds', async () => {
    const start = await caughtUp();
    const writers = 6;
    const perWriter = 60;
    const streams = 5;
    const seen: { id: string; stream: string; version: number }[] = [];
    let writing = true;
    const total = writers * perWriter;
    const tail = (async () => {
      let cursor = start;
      while (writing || seen.length < total) {
        const r = await readAll(t.appDb, { after: cursor, limit: 50, registry: testRegistry });
        seen.push(...r.events.map((e) => ({ id: e.eventId, stream: e.streamId, version: e.streamVersion })));
        cursor = r.cursor;
        if (r.events.length === 0) await new Promise((res) => setTimeout(res, 2));
      }
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const c = await client();
        for (let i = 0; i < perWriter; i++) {
          await c.query('BEGIN');
          await appendOpen(c, { streamId: `sample-conc${(w + i) % streams}`, expectedVersion: 'any', events: [sample(`c-${w}-${i}`)] });
          // Hold some transactions open so later positions commit first.
          if (i % 3 === w % 3) await new Promise((res) => setTimeout(res, (i * 7 + w * 3) % 11));
          await c.query('COMMIT');
        }
      }),
    );
    writing = false;
    await tail;
    const ids = seen.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(total);
    const lastVersion = new Map<string, number>();
    for (const s of seen) {
      expect(s.version).toBe((lastVersion.get(s.stream) ?? 0) + 1);
      lastVersion.set(s.stream, s.version);
    }
  });
});
