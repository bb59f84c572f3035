import { sql, type Kysely, type RawBuilder } from 'kysely';
import { eventRegistry as defaultRegistry } from '../../domain/event-types';
import type { EventRegistry, RefKind } from '../../domain/shared/events';
import { REF_KINDS } from '../../domain/shared/events';
import type { Database } from '../database';
import { decodeRaw, decodeRow, rawRow, toSafeInteger, type EventRow } from './codec';
import { CODES, EventStoreError, invalid } from './errors';
import { checkStreamId } from './stream-id';
import { START, type Cursor, type StoredEvent } from './types';

const COLUMNS = sql`position, tx_id, stream_id, category, stream_version, event_id, type, schema_version, data, metadata, recorded_at`;

export interface ReadStreamOptions {
  /** First version to return (default 1). */
  fromVersion?: number;
  limit?: number;
  registry?: EventRegistry;
}

/** A stream's events in version order, upcast to current schemas. An unknown stream reads as empty. */
export const readStream = async (db: Kysely<Database>, streamId: string, opts: ReadStreamOptions = {}): Promise<StoredEvent[]> => {
  checkStreamId(streamId, 'streamId');
  const from = opts.fromVersion ?? 1;
  if (!Number.isSafeInteger(from) || from < 1) throw invalid(CODES.EXPECTED_VERSION_INVALID, 'fromVersion', 'must be a whole number >= 1');
  const limit = opts.limit ?? 10_000;
  const { rows } = await sql<EventRow>`
    SELECT ${COLUMNS} FROM events
     WHERE stream_id = ${streamId} AND stream_version >= ${from}
     ORDER BY stream_version LIMIT ${limit}`.execute(db);
  const registry = opts.registry ?? defaultRegistry;
  return rows.map((r) => decodeRow(registry, r));
};

/** A stream's events, every one of them, read a page at a time (`readStream` stops at its limit). */
export const readWholeStream = async (db: Kysely<Database>, streamId: string, opts: { fromVersion?: number; registry?: EventRegistry } = {}): Promise<StoredEvent[]> => {
  const PAGE = 10_000;
  const out: StoredEvent[] = [];
  for (let from = opts.fromVersion ?? 1; ;) {
    const page = await readStream(db, streamId, { fromVersion: from, limit: PAGE, ...(opts.registry ? { registry: opts.registry } : {}) });
    out.push(...page);
    if (page.length < PAGE) return out;
    from = page.at(-1)!.streamVersion + 1;
  }
};

/**
 * A kept state's tail: the stream's events from `fromVersion` on (the first is the one the state was
 * folded to, for the caller to check it is still that event), and the event `eventId` wherever it is
 * on the stream (a command's first event: was it handled before?). One query, two index ranges.
 */
export const readStreamTail = async (
  db: Kysely<Database>,
  streamId: string,
  fromVersion: number,
  eventId: string | undefined,
  opts: { registry?: EventRegistry } = {},
): Promise<StoredEvent[]> => {
  checkStreamId(streamId, 'streamId');
  // UNION ALL, not OR: each half stays an index range, however long the stream.
  const byId =
    eventId === undefined ? sql`` : sql`UNION ALL SELECT ${COLUMNS} FROM events WHERE event_id = ${eventId} AND stream_id = ${streamId} AND stream_version < ${fromVersion}`;
  const { rows } = await sql<EventRow>`
    SELECT ${COLUMNS} FROM events WHERE stream_id = ${streamId} AND stream_version >= ${fromVersion}
    ${byId}
    ORDER BY stream_version`.execute(db);
  const registry = opts.registry ?? defaultRegistry;
  return rows.map((r) => decodeRow(registry, r));
};

/**
 * Several streams' events in one query, ordered by stream id then version (each stream's events
 * together, in version order). Unknown streams contribute nothing. For folding many small streams
 * at once (a village's households); one large stream reads better with `readStream`.
 */
export const readStreams = async (db: Kysely<Database>, streamIds: readonly string[], opts: { registry?: EventRegistry } = {}): Promise<StoredEvent[]> => {
  streamIds.forEach((id, i) => checkStreamId(id, `streamIds[${i}]`));
  if (streamIds.length === 0) return [];
  const { rows } = await sql<EventRow>`
    SELECT ${COLUMNS} FROM events WHERE stream_id = ANY(${[...streamIds]}::text[]) ORDER BY stream_id, stream_version`.execute(db);
  const registry = opts.registry ?? defaultRegistry;
  return rows.map((r) => decodeRow(registry, r));
};

/**
 * Many streams' tails in one query (a batch's kept states): each stream's events from its
 * `fromVersion` on (1: the whole stream), and besides, wherever they are, the events whose ids are
 * in `eventIds` (a command's first event: was it handled before?). Ordered by stream id then
 * version, each event once. The batch form of `readStreamTail`.
 */
export const readStreamTails = async (
  db: Kysely<Database>,
  tails: readonly { readonly streamId: string; readonly fromVersion: number }[],
  eventIds: readonly string[],
  opts: { registry?: EventRegistry } = {},
): Promise<StoredEvent[]> => {
  tails.forEach((t, i) => {
    checkStreamId(t.streamId, `tails[${i}].streamId`);
    if (!Number.isSafeInteger(t.fromVersion) || t.fromVersion < 1) throw invalid(CODES.EXPECTED_VERSION_INVALID, `tails[${i}].fromVersion`, 'must be a whole number >= 1');
  });
  if (tails.length === 0) return [];
  // UNION ALL of two index ranges (stream and version; event id), duplicates dropped below.
  const { rows } = await sql<EventRow>`
    SELECT ${sql.join(['position', 'tx_id', 'stream_id', 'category', 'stream_version', 'event_id', 'type', 'schema_version', 'data', 'metadata', 'recorded_at'].map((c) => sql.ref(`e.${c}`)))}
      FROM unnest(${tails.map((t) => t.streamId)}::text[], ${tails.map((t) => t.fromVersion)}::bigint[]) AS u(sid, v)
      JOIN events e ON e.stream_id = u.sid AND e.stream_version >= u.v
    UNION ALL
    SELECT ${COLUMNS} FROM events WHERE event_id = ANY(${[...eventIds]}::text[]) AND stream_id = ANY(${tails.map((t) => t.streamId)}::text[])
    ORDER BY stream_id, stream_version`.execute(db);
  const registry = opts.registry ?? defaultRegistry;
  const out: StoredEvent[] = [];
  for (const r of rows) if (out.at(-1)?.position !== toSafeInteger(r.position, 'position')) out.push(decodeRow(registry, r));
  return out;
};

/**
 * The stored events at these positions, by position, upcast (positions with no event are absent).
 * What a consumer of JetStream checks each message against: the message only says where to look.
 * With `decode`, only the types it accepts are upcast and parsed; the others come back as stored (a
 * projector only checks those against the message that named them, and parsing every event of a
 * batch for one it applies was most of its read).
 */
export const readByPositions = async (
  db: Kysely<Database>,
  positions: readonly number[],
  opts: { registry?: EventRegistry; decode?: (type: string) => boolean } = {},
): Promise<Map<number, StoredEvent>> => {
  const wanted = [...new Set(positions.filter((p) => Number.isSafeInteger(p) && p > 0))];
  if (wanted.length === 0) return new Map();
  const { rows } = await sql<EventRow>`SELECT ${COLUMNS} FROM events WHERE position = ANY(${wanted}::bigint[])`.execute(db);
  const registry = opts.registry ?? defaultRegistry;
  const decode = opts.decode ?? (() => true);
  return new Map(rows.map((r) => (decode(r.type) ? decodeRow(registry, r) : rawRow(r))).map((e) => [e.position, e]));
};

export interface ReadByRefOptions {
  after?: Cursor;
  limit?: number;
  registry?: EventRegistry;
}

/** Every event touching `kind`/`id` (e.g. fund X), in commit order; the refs index makes it a range scan. */
export const readByRef = async (db: Kysely<Database>, kind: RefKind, id: string, opts: ReadByRefOptions = {}): Promise<StoredEvent[]> => {
  if (!REF_KINDS.includes(kind)) throw invalid(CODES.APPEND_INVALID, 'kind', `must be one of ${REF_KINDS.join(', ')}`);
  const after = checkCursor(opts.after ?? START);
  const { rows } = await sql<EventRow>`
    SELECT ${sql.join(['position', 'tx_id', 'stream_id', 'category', 'stream_version', 'event_id', 'type', 'schema_version', 'data', 'metadata', 'recorded_at'].map((c) => sql.ref(`e.${c}`)))}
      FROM refs r JOIN events e ON e.position = r.position
     WHERE r.kind = ${kind} AND r.ref_id = ${id} AND (r.tx_id, r.position) > (${after.txId}::xid8, ${after.position})
     ORDER BY r.tx_id, r.position LIMIT ${opts.limit ?? 10_000}`.execute(db);
  const registry = opts.registry ?? defaultRegistry;
  return rows.map((r) => decodeRow(registry, r));
};

export const checkCursor = (c: Cursor): Cursor => {
  if (typeof c?.txId !== 'string' || !/^\d{1,20}$/.test(c.txId)) throw invalid(CODES.CURSOR_INVALID, 'cursor.txId', 'must be a decimal transaction id');
  if (!Number.isSafeInteger(c.position) || c.position < 0) throw invalid(CODES.CURSOR_INVALID, 'cursor.position', 'must be a whole number >= 0');
  return c;
};

export interface ReadAllOptions {
  after?: Cursor;
  limit?: number;
  /** Only these types; the cursor still covers everything up to what was read. */
  types?: readonly string[];
  registry?: EventRegistry;
  /** Also whether committed events wait behind the page's gate (`behind`): for a reader that must know it has seen them all (see sawHead). */
  withBehind?: boolean;
}

export interface ReadAllResult {
  events: StoredEvent[];
  /** Where to resume: the last event returned, or `after` unchanged when none was. */
  cursor: Cursor;
  /**
   * The gate at read time, the oldest transaction in the snapshot that may be this database's
   * (the snapshot's xmin, passed over other databases' transactions: see ownGate): events of
   * transactions at or above it were not considered yet, even if committed. If it stays put while events wait behind it, a transaction is stalling
   * the tail (see `tailStall`).
   */
  gate: string;
  /** With `withBehind`: committed events wait behind `gate`, seen in the page's snapshot (false without it). */
  behind: boolean;
}

/**
 * The whole store in commit order, gap-safe. Sequence order is not commit order: a transaction can
 * take position 10 and commit after another committed position 11. This reads only events written
 * by transactions below the snapshot's xmin, which have all ended, so nothing with a smaller
 * (tx_id, position) can still appear. The cursor therefore never passes a late committer; a
 * long-running transaction delays the tail but never causes a skip.
 */
export const readAll = async (db: Kysely<Database>, opts: ReadAllOptions = {}): Promise<ReadAllResult> => {
  const raw = await readAllRaw(db, opts);
  const registry = opts.registry ?? defaultRegistry;
  return { ...raw, events: raw.events.map((e) => decodeRaw(registry, e)) };
};

/**
 * As `readAll`, without decoding: data stays in the version it was written with and
 * `schemaVersion` is that version. For pass-through readers (the relay) that must not stop on a type
 * they do not know; whoever finally reads the data upcasts it (`upcast` in codec.ts).
 */
export const readAllRaw = async (
  db: Kysely<Database>,
  opts: Omit<ReadAllOptions, 'registry'> = {},
): Promise<{ events: StoredEvent[]; cursor: Cursor; gate: string; behind: boolean }> => {
  const r = await gatedPage<EventRow>(db, COLUMNS, opts, opts.withBehind === true);
  const events = r.rows.map(rawRow);
  const last = events[events.length - 1];
  return { events, cursor: last ? { txId: last.txId, position: last.position } : r.after, gate: r.gate, behind: r.behind };
};

/** One event as the relay forwards it: routing fields, and the `StoredEvent` JSON rendered by PostgreSQL. */
export interface EventPayload {
  position: number;
  txId: string;
  eventId: string;
  streamId: string;
  category: string;
  type: string;
  countyId: string | null;
  /** `StoredEvent` as JSON, data as stored (`schemaVersion` = the stored version). */
  json: string;
}

/**
 * As `readAllRaw`, with each event already rendered as JSON by PostgreSQL: a pass-through reader
 * then neither parses the jsonb nor serialises it again.
 */
export const readAllPayloads = async (
  db: Kysely<Database>,
  opts: Omit<ReadAllOptions, 'registry' | 'types'> = {},
): Promise<{ events: EventPayload[]; cursor: Cursor; gate: string; behind: boolean }> => {
  const r = await gatedPage<{ position: string; tx_id: string; event_id: string; stream_id: string; category: string; type: string; county_id: string | null; json: string }>(
    db,
    sql`position, tx_id, event_id, stream_id, category, type, metadata->>'countyId' AS county_id,
        json_build_object('position', position, 'txId', tx_id::text, 'streamId', stream_id, 'category', category,
          'streamVersion', stream_version, 'eventId', event_id, 'type', type, 'schemaVersion', schema_version,
          'storedSchemaVersion', schema_version, 'data', data, 'metadata', metadata,
          'recordedAt', to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text AS json`,
    opts,
    true,
  );
  const events = r.rows.map((row) => ({
    position: toSafeInteger(row.position, 'position'),
    txId: row.tx_id,
    eventId: row.event_id,
    streamId: row.stream_id,
    category: row.category,
    type: row.type,
    countyId: row.county_id,
    json: row.json,
  }));
  const last = events[events.length - 1];
  return { events, cursor: last ? { txId: last.txId, position: last.position } : r.after, gate: r.gate, behind: r.behind };
};

/**
 * The transactions of other databases on the same cluster cannot write this store's events, so they
 * need not hold the tail's gate: the gate is the oldest transaction in the snapshot that may be this
 * database's, one not seen running in another database (pg_stat_activity, read after the snapshot;
 * a transaction that has ended since, or whose backend is not listed, counts as this database's). A
 * cluster shared with other databases (tests and benches; a managed server with other schemas) held
 * the read model seconds behind an approval whenever another database had a write transaction open
 * (bench/api-approval.ts: gates held 2–12 s by other databases' migrations and benches). Looked up
 * only when committed events wait behind the snapshot's own xmin.
 */
const ownGate = (snap: RawBuilder<unknown>): RawBuilder<unknown> => sql`COALESCE(
  (SELECT min(x) FROM pg_snapshot_xip(${snap}) x
    WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.backend_xid = xid(x) AND a.datname IS NOT NULL AND a.datname <> current_database())),
  pg_snapshot_xmax(${snap}))`;

/** The tail's gate for the statement's snapshot (ownGate): what the relay reads below, rebuilds wait for, and stalls and the gate metric count from. */
export const TAIL_GATE: RawBuilder<unknown> = ownGate(sql`pg_current_snapshot()`);

/**
 * The (tx_id, position) bound past which lie the events after `after` that `gate` holds back (tx_id
 * at or above it): the cursor, or the gate's first entry when the gate is later (positions start at
 * 1). One row bound, so an index walk starts at it: beside a scalar `tx_id >= gate`, PostgreSQL's
 * btree starts the walk at the cursor's row bound and reads every entry from there to the gate (a
 * tail far behind on a 500,000-event store: 1,920 index pages a look, 92 ms, where this reads 5).
 */
const atGate = (after: Cursor, gate: RawBuilder<unknown>): RawBuilder<unknown> =>
  sql`(GREATEST(${after.txId}::xid8, ${gate}), CASE WHEN ${gate} > ${after.txId}::xid8 THEN 0 ELSE ${after.position}::bigint END)`;

/**
 * The gated, commit-ordered page every tail reads (see readAll). With `withBehind`, also whether
 * committed events wait behind the gate, seen in the same snapshot as the page: a tail that read
 * nothing knows then that what it was told of is there and hidden for a moment, not absent.
 */
const gatedPage = async <R>(
  db: Kysely<Database>,
  columns: RawBuilder<unknown>,
  opts: Omit<ReadAllOptions, 'registry'>,
  withBehind = false,
): Promise<{ rows: R[]; after: Cursor; gate: string; behind: boolean }> => {
  const after = checkCursor(opts.after ?? START);
  const limit = opts.limit ?? 1000;
  const types = opts.types ? sql`AND type = ANY(${[...opts.types]}::text[])` : sql``;
  // Is an event after the cursor at or above `gate`? A walk of the (tx_id, position) index from
  // whichever is later, the cursor or the gate (atGate), to its first entry: an EXISTS over the same
  // condition was planned as a sequential scan of the whole store (the planner takes a third of the
  // rows to match), once a statement, and once a row of the page for `behind` (bench/exit-county.ts:
  // 18–70 ms a look at 27,000 events, growing with the store). A scalar subquery keeps its ORDER BY and LIMIT.
  const past = (gate: RawBuilder<unknown>) =>
    sql`((SELECT b.tx_id FROM events b WHERE (b.tx_id, b.position) > ${atGate(after, gate)} ORDER BY b.tx_id, b.position LIMIT 1) IS NOT NULL)`;
  // Each CTE once per statement (MATERIALIZED), not once per row; ownGate and `behind` only when something is held.
  const { rows } = await sql<R & { gate: string; next_xid: string; position: string | null; behind: boolean }>`
    WITH s AS MATERIALIZED (SELECT snap, pg_snapshot_xmin(snap) AS xmin, pg_snapshot_xmax(snap) AS next_xid FROM pg_current_snapshot() snap),
         h AS MATERIALIZED (SELECT s.*, ${past(sql`s.xmin`)} AS held FROM s),
         g0 AS MATERIALIZED (SELECT CASE WHEN h.held THEN ${ownGate(sql`h.snap`)} ELSE h.xmin END AS gate, h.next_xid, h.held FROM h),
         g AS MATERIALIZED (SELECT g0.*, ${withBehind ? sql`CASE WHEN g0.held THEN ${past(sql`g0.gate`)} ELSE false END` : sql`false`} AS behind FROM g0)
    SELECT e.*, g.gate::text AS gate, g.next_xid::text AS next_xid, g.behind
      FROM g LEFT JOIN LATERAL (
        SELECT ${columns} FROM events
         WHERE (tx_id, position) > (${after.txId}::xid8, ${after.position}) AND tx_id < g.gate ${types}
         ORDER BY tx_id, position LIMIT ${limit}
      ) e ON true`.execute(db);
  const gate = rows[0]?.gate ?? '0';
  const nextXid = rows[0]?.next_xid;
  if (nextXid !== undefined && BigInt(after.txId) >= BigInt(nextXid)) {
    // No transaction has had this id yet: the store was restored into a cluster whose xids are
    // behind the stored ones, and new events would sort before the cursor. Re-base before tailing.
    throw new EventStoreError(CODES.TX_ID_REGRESSED, `cursor transaction ${after.txId} is at or beyond the cluster's next xid ${nextXid}`, 'cursor.txId', {
      cursor: after,
      nextXid,
    });
  }
  return { rows: rows.filter((r) => r.position !== null), after, gate, behind: rows[0]?.behind === true };
};

export interface TailStall {
  /** Committed events waiting behind the gate. */
  waiting: number;
  oldestWaitingRecordedAt: string | null;
  gate: string;
}

/**
 * How many committed events a tail at `after` cannot take yet because an older transaction that may
 * be this database's is still open (TAIL_GATE). Used to report a stall (the relay, from its cursor)
 * and as the gate's metric (from START); the tail never resolves one by skipping.
 */
export const tailStall = async (db: Kysely<Database>, after: Cursor): Promise<TailStall> => {
  checkCursor(after);
  // The gate first, then a walk of the (tx_id, position) index from atGate, one entry a step (each
  // step an ORDER BY … LIMIT 1, which the planner takes from the index whatever it guesses): hidden
  // events are few, so the walk is short. An unbounded ordered walk was planned from the planner's
  // guess of the gate, a third of the store: a sequential scan and a sort of a 1M-event store (1.5 s)
  // where hidden events were none, and counted straight off `tx_id >= gate`, a scan of it all (3.4 s).
  const next = (from: RawBuilder<unknown>) =>
    sql`SELECT b.tx_id, b.position, b.recorded_at FROM events b WHERE (b.tx_id, b.position) > ${from} ORDER BY b.tx_id, b.position LIMIT 1`;
  const { rows } = await sql<{ waiting: string; oldest: Date | null; gate: string }>`
    WITH RECURSIVE g AS MATERIALIZED (SELECT ${TAIL_GATE} AS gate),
      w AS (
        SELECT f.* FROM g CROSS JOIN LATERAL (${next(atGate(after, sql`g.gate`))}) f
        UNION ALL
        SELECT n.* FROM w CROSS JOIN LATERAL (${next(sql`(w.tx_id, w.position)`)}) n
      )
    SELECT (SELECT count(*) FROM w) AS waiting, (SELECT min(recorded_at) FROM w) AS oldest, g.gate::text AS gate FROM g`.execute(db);
  const r = rows[0];
  return { waiting: Number(r?.waiting ?? 0), oldestWaitingRecordedAt: r?.oldest?.toISOString() ?? null, gate: r?.gate ?? '0' };
};

/** Whether a read under `gate` (TAIL_GATE, a page's `gate`) sees every event committed up to `target`. */
export const gatePassed = (gate: string, target: Cursor): boolean => target.txId === START.txId || BigInt(gate) > BigInt(target.txId);

/**
 * Whether a page read `withBehind` saw every event committed up to `head`: nothing committed waited
 * behind its gate, or its gate had passed the head. A reader that must hold them all (a rebuild, the
 * read models as of a day), once the gate has passed the head (waitForGate), stops on a short page
 * only when this holds: a page's gate can be too low for a moment, never too high (ownGate counts a
 * transaction of another database that ends while the statement runs as this database's), and its
 * page is then short without being the end.
 */
export const sawHead = (page: { gate: string; behind: boolean }, head: Cursor): boolean => !page.behind || gatePassed(page.gate, head);

export interface GateWait {
  /** True once every event committed up to `target` is visible to a tail. */
  passed: boolean;
  waitedMs: number;
  /** Committed events still behind the gate when the wait ended (0 once passed). */
  behind: number;
  gate: string;
}

/**
 * Waits until the tail's gate (TAIL_GATE: the oldest open transaction that may be this database's)
 * has passed `target`, so that a reader that starts now sees every event committed up to it. A write
 * transaction left open in this database holds it back, and a reader that does not wait stops short
 * without knowing it.
 */
export const waitForGate = async (db: Kysely<Database>, target: Cursor, opts: { timeoutMs?: number; pollMs?: number } = {}): Promise<GateWait> => {
  checkCursor(target);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const pollMs = opts.pollMs ?? 50;
  const started = Date.now();
  for (;;) {
    const { rows } = await sql<{ gate: string }>`SELECT (${TAIL_GATE})::text AS gate`.execute(db);
    const gate = rows[0]?.gate ?? '0';
    const waitedMs = Date.now() - started;
    if (gatePassed(gate, target)) return { passed: true, waitedMs, behind: 0, gate };
    if (waitedMs >= timeoutMs) {
      const { rows: b } = await sql<{ behind: string }>`
        SELECT count(*) AS behind FROM events WHERE (tx_id, position) <= (${target.txId}::xid8, ${target.position}) AND tx_id >= ${gate}::xid8`.execute(db);
      return { passed: false, waitedMs, behind: Number(b[0]?.behind ?? 0), gate };
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
};

/** The last committed cursor visible to a tail right now (used to decide "caught up"). */
export const headCursor = async (db: Kysely<Database>): Promise<Cursor> => {
  const { rows } = await sql<{ tx_id: string; position: string }>`
    SELECT tx_id::text AS tx_id, position FROM events ORDER BY tx_id DESC, position DESC LIMIT 1`.execute(db);
  const r = rows[0];
  return r ? { txId: r.tx_id, position: Number(r.position) } : START;
};
