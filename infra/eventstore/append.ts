import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { eventRegistry as defaultRegistry } from '../../domain/event-types';
import type { EventRegistry } from '../../domain/shared/events';
import type { Database } from '../database';
import { logger } from '../logger';
import { appendedEvents, appendSeconds } from '../metrics';
import { inSpan, spanAttributes } from '../tracing';
import { canonicalJson, canonicalRefs } from './canonical';
import { toSafeInteger, validateForWrite } from './codec';
import { CODES, EventStoreError, ExpectedVersionConflictError, invalid } from './errors';
import { eventMetadataSchema } from './metadata';
import { checkEventId, checkStreamId } from './stream-id';
import type { AppendResult, ExpectedVersion, NewEvent, StreamAppend } from './types';

const checkExpected = (value: unknown, field: string): string => {
  if (value === 'no-stream' || value === 'stream-exists' || value === 'any') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  throw invalid(CODES.EXPECTED_VERSION_INVALID, field, 'must be a whole number >= 0, "no-stream", "stream-exists" or "any"', {
    value: typeof value === 'number' || typeof value === 'string' ? value : typeof value,
  });
};

const metadataField = (prefix: string, path: readonly PropertyKey[]): string => `${prefix}${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;

import { batcherFor, type AppendArgs } from './append-batcher';
import { pgError } from '../pg-error';

export { APPEND_SQL, appendParams, batchParams, type AppendArgs } from './append-batcher';

/**
 * Checks everything that can be checked without the database and renders the append function's
 * arguments. Any bad input throws before a connection is taken, so nothing is written.
 */
export const prepareAppend = (appends: readonly StreamAppend[], registry: EventRegistry): AppendArgs => {
  if (!Array.isArray(appends) || appends.length === 0) throw invalid(CODES.APPEND_INVALID, 'appends', 'must list at least one stream');
  const streamIds: string[] = [];
  const expectedVersions: string[] = [];
  const eventStreams: number[] = [];
  const eventIds: string[] = [];
  const seen = new Set<string>();
  const types: string[] = [];
  const schemaVersions: number[] = [];
  const dataJsons: string[] = [];
  const metadataJsons: string[] = [];
  const refsJsons: string[] = [];
  // A batch's events mostly share one metadata object (a step's households: household-batch.ts); it is
  // checked and rendered once per object. Nothing here is awaited, so no object changes in between.
  const metadataSeen = new Map<unknown, string>();
  appends.forEach((a, s) => {
    const at = `appends[${s}]`;
    const streamId = checkStreamId(a?.streamId, `${at}.streamId`);
    if (streamIds.includes(streamId)) throw invalid(CODES.APPEND_INVALID, `${at}.streamId`, `stream ${streamId} is listed twice`);
    streamIds.push(streamId);
    expectedVersions.push(checkExpected(a.expectedVersion, `${at}.expectedVersion`));
    if (!Array.isArray(a.events)) throw invalid(CODES.APPEND_INVALID, `${at}.events`, 'must be an array');
    a.events.forEach((e: NewEvent, i: number) => {
      const ef = `${at}.events[${i}]`;
      const eventId = checkEventId(e?.eventId, `${ef}.eventId`);
      if (seen.has(eventId)) throw invalid(CODES.APPEND_INVALID, `${ef}.eventId`, `event id ${eventId} is listed twice`);
      seen.add(eventId);
      if (typeof e.type !== 'string') throw invalid(CODES.EVENT_TYPE_UNKNOWN, `${ef}.type`, 'must be an event type name');
      // Canonical JSON refuses anything JSON would change (undefined in arrays, Dates, NaN), so the
      // value validated here is the value stored, hashed and read back.
      const dataJson = canonicalJson(e.data, `${ef}.data`);
      const def = validateForWrite(registry, e.type, e.data, ef);
      let metadataJson = typeof e.metadata === 'object' && e.metadata !== null ? metadataSeen.get(e.metadata) : undefined;
      if (metadataJson === undefined) {
        const m = eventMetadataSchema.safeParse(e.metadata);
        if (!m.success) {
          const issue = m.error.issues[0];
          throw invalid(CODES.METADATA_INVALID, metadataField(`${ef}.metadata`, issue?.path ?? []), issue?.message ?? 'invalid', {
            issues: m.error.issues.map((x) => ({ path: x.path.map(String), message: x.message })),
          });
        }
        metadataJson = canonicalJson(m.data, `${ef}.metadata`);
        if (typeof e.metadata === 'object' && e.metadata !== null) metadataSeen.set(e.metadata, metadataJson);
      }
      eventIds.push(eventId);
      types.push(e.type);
      schemaVersions.push(def.version);
      dataJsons.push(dataJson);
      metadataJsons.push(metadataJson);
      refsJsons.push(canonicalJson(canonicalRefs(def.refs(e.data as never).map((r) => [r.kind, r.id] as const)), `${ef}.refs`));
      eventStreams.push(s + 1);
    });
  });
  if (eventIds.length === 0) throw invalid(CODES.APPEND_INVALID, 'appends', 'must carry at least one event');
  return { streamIds, expected: expectedVersions, eventStreams, eventIds, types, schemaVersions, dataJsons, metadataJsons, refsJsons };
};

interface AppendRow {
  event_id: string;
  stream_id: string;
  stream_version: string;
  event_position: string;
  duplicate: boolean;
}

/**
 * What must match for a stored event to be the same event as a new one with its id: the data, less
 * the moment it was decided (`at`), which a repeated request outside a workflow takes afresh.
 * Everything else (amount, budget, reason, who) must be equal, compared as canonical JSON, so
 * jsonb's key order and number printing do not matter.
 */
const sameContent = (stored: unknown, fresh: unknown): boolean => {
  const withoutAt = (d: unknown) => {
    if (typeof d !== 'object' || d === null || Array.isArray(d)) return d;
    const { at: _at, ...rest } = d as Record<string, unknown>;
    return rest;
  };
  return canonicalJson(withoutAt(stored)) === canonicalJson(withoutAt(fresh));
};

/**
 * A refused append may be a retry of one that already committed (Temporal retries activities): a
 * retry at the same expected version conflicts, one at 'any' hits the event id's unique index.
 * Either way, if every event id is stored, for the same streams, types and content, the first
 * result is the answer; an id stored with other content is a reuse, never a silent duplicate.
 */
const originalOf = async (db: Kysely<Database>, appends: readonly StreamAppend[]): Promise<AppendRow[] | 'none' | 'reused'> => {
  const wanted = new Map(appends.flatMap((a) => a.events.map((e) => [e.eventId, { streamId: a.streamId, type: e.type, data: e.data }] as const)));
  const { rows } = await sql<AppendRow & { type: string; data: unknown }>`
    SELECT event_id, stream_id, stream_version, position AS event_position, true AS duplicate, type, data
      FROM events WHERE event_id = ANY(${[...wanted.keys()]}::text[])`.execute(db);
  if (rows.length === 0) return 'none';
  const same =
    rows.length === wanted.size &&
    rows.every((r) => {
      const w = wanted.get(r.event_id);
      return w?.streamId === r.stream_id && w.type === r.type && sameContent(r.data, w.data);
    });
  return same ? rows.map(({ event_id, stream_id, stream_version, event_position, duplicate }) => ({ event_id, stream_id, stream_version, event_position, duplicate })) : 'reused';
};

/**
 * The channel tailers LISTEN on. The payload is a wake-up, not data: the token of the database handle
 * whose append sent it (`appendedHereToken`), so a tailer in the same process, already woken at once
 * by that handle's append, can pass over it.
 */
export const EVENTS_CHANNEL = 'tuopin_events';

/**
 * Under load, NOTIFYs come at most this often per process. Sent back to back, one was in flight whenever
 * appends were: an extra statement and transaction per NOTIFY round trip, competing for the same
 * CPU and WAL flushes as the appends. A tailer woken a few ms
 * later still finds every event: the wake-up only saves it waiting for its poll.
 */
const NOTIFY_MIN_GAP_MS = 10;

/**
 * Wakes tailers after a commit. Sent as its own statement: a NOTIFY inside the append transaction
 * would serialise all appending commits on PostgreSQL's notify lock. It is not awaited (an append
 * costs one round trip, as a plain INSERT does) and concurrent appends share it: the first append
 * after a quiet spell notifies at once; appends committing while one is in flight or within
 * NOTIFY_MIN_GAP_MS of it ask for one more, sent when the gap has passed. A lost NOTIFY (crash,
 * dropped connection) costs latency only: tailers also poll.
 */
class Notifier {
  private inFlight = false;
  private again = false;
  private lastSentAt = 0;
  constructor(
    private readonly db: Kysely<Database>,
    private readonly token: string,
  ) {}

  poke(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    void this.send();
  }

  private async send(): Promise<void> {
    do {
      const wait = this.lastSentAt + NOTIFY_MIN_GAP_MS - Date.now();
      // unref: a pending wake-up must not keep a finished process alive.
      if (wait > 0) await new Promise<void>((resolve) => setTimeout(resolve, wait).unref());
      this.again = false;
      this.lastSentAt = Date.now();
      try {
        // A NOTIFY takes an xid, so its commit would wait for a WAL flush of its own: one more
        // fsync for every wake-up, competing with the appends' commits. The wake-up carries
        // nothing worth a flush (a lost one costs latency only), so this transaction alone
        // commits asynchronously; the appends it follows were flushed before they returned.
        await sql`SELECT set_config('synchronous_commit', 'off', true), pg_notify(${EVENTS_CHANNEL}, ${this.token})`.execute(this.db);
      } catch (e) {
        // After db.destroy() there is nobody left to wake; anything else is worth a warning.
        const destroyed = e instanceof Error && /destroyed/.test(e.message);
        logger[destroyed ? 'debug' : 'warn']({ err: e }, 'NOTIFY after append failed; tailers will find the events by polling');
        this.again = false;
      }
    } while (this.again);
    this.inFlight = false;
  }
}
const notifiers = new WeakMap<Kysely<Database>, Notifier>();
const notifyAppended = (db: Kysely<Database>): void => {
  for (const wake of tailersHere.get(db) ?? []) wake();
  let n = notifiers.get(db);
  if (!n) notifiers.set(db, (n = new Notifier(db, appendedHereToken(db))));
  n.poke();
};

const tokens = new WeakMap<Kysely<Database>, string>();
/**
 * The NOTIFY payload of appends through `db` in this process. Every such append has woken this
 * handle's tailers (`onAppendedHere`) before its NOTIFY is sent, so they pass over NOTIFYs carrying
 * it: each was one more read of the tail after every append of the process's own (a payment's
 * record, an approval's step), racing the workflow task that answers it (README, "Where an
 * approval's and a payment's time goes").
 */
export const appendedHereToken = (db: Kysely<Database>): string => {
  let t = tokens.get(db);
  if (!t) tokens.set(db, (t = randomUUID()));
  return t;
};

/**
 * Tailers in this process, by the database handle they read with. One that appends through the same
 * handle wakes them at once (the worker's relay, in a thread of its own, hears of its activities'
 * appends through the handle's wake-up posting it a message: workers/delivery.ts),
 * without the NOTIFY's statement and its delivery back over the LISTEN connection: that round trip
 * was part of every approval's way to the read model (README, "Where an approval's and a payment's
 * time goes"). The NOTIFY still goes out, for the tailers of other processes.
 */
const tailersHere = new WeakMap<Kysely<Database>, Set<() => void>>();

/** Calls `wake` after each append through `db` in this process that wrote something; returns how to stop. */
export const onAppendedHere = (db: Kysely<Database>, wake: () => void): (() => void) => {
  let set = tailersHere.get(db);
  if (!set) tailersHere.set(db, (set = new Set()));
  set.add(wake);
  return () => void set.delete(wake);
};

/**
 * Appends to one or several streams in one transaction (one statement: the `tuopin_append_batch`
 * function, shared with appends made at the same moment — see append-batcher.ts), each at its expected version. If every event id is already stored the original
 * positions come back with `duplicate: true` and nothing is written.
 *
 * ### Examples
 * ```ts
 * await appendToStreams(db, [{ streamId: 'project-prj-song-2016-0001', expectedVersion: 'no-stream',
 *   events: [{ eventId: `${workflowId}:propose`, type: 'ProjectProposed', data, metadata }] }]);
 * ```
 */
export const appendToStreams = (db: Kysely<Database>, appends: readonly StreamAppend[], registry: EventRegistry = defaultRegistry): Promise<AppendResult> =>
  // One span per append (a no-op unless tracing is on): the end of a command's trace.
  inSpan('tuopin.append', { 'tuopin.streams': appends.map((a) => a.streamId).join(','), 'tuopin.events': appends.reduce((n, a) => n + a.events.length, 0) }, async () => {
    const r = await appendUntraced(db, appends, registry);
    // Where the events landed: the relay's and the projectors' spans name the same positions (bench/trace-steps.ts joins them).
    spanAttributes({ 'tuopin.positions': r.events.map((e) => e.position).join(','), 'tuopin.duplicate': r.duplicate });
    return r;
  });

const appendUntraced = async (db: Kysely<Database>, appends: readonly StreamAppend[], registry: EventRegistry): Promise<AppendResult> => {
  if (db.isTransaction) {
    // Inside a caller's transaction that has already written, the xid would be taken before the
    // stream locks and commit-order tailing could deliver a stream out of version order.
    throw invalid(CODES.APPEND_INVALID, 'db', 'pass the Kysely instance, not a transaction: an append is its own transaction');
  }
  const args = prepareAppend(appends, registry);
  const timer = appendSeconds.startTimer();
  const outcome = await batcherFor(db).submit(args);
  timer({ outcome: outcome.kind });
  let rows: AppendRow[];
  if (outcome.kind === 'written') {
    appendedEvents.inc(outcome.rows.length);
    rows = outcome.rows.map((r) => ({ event_id: r.event_id!, stream_id: r.stream_id, stream_version: r.stream_version!, event_position: r.event_position!, duplicate: false }));
  } else {
    let conflict: { streamId: string; expected: string; actual: number | null } | undefined;
    let idTaken = false;
    if (outcome.kind === 'conflict') conflict = outcome;
    else {
      const pg = pgError(outcome.error);
      idTaken = pg.code === '23505' && pg.constraint === 'events_event_id_key';
      // TU001 from inside the function: a stream moved while locked, which the locks should make impossible.
      if (pg.code === 'TU001') conflict = JSON.parse(pg.detail ?? '{}') as { streamId: string; expected: string; actual: number | null };
      // A data exception (class 22: text jsonb cannot hold, a number out of range) is the input's
      // fault and will be refused again: a typed error callers treat as final, never a retry.
      if (pg.code?.startsWith('22')) {
        throw new EventStoreError(CODES.DATA_REFUSED_BY_DATABASE, `the database refused the events' data: ${pg.message ?? pg.code}`, 'data', { sqlState: pg.code });
      }
      if (!conflict && !idTaken) throw outcome.error;
    }
    const original = await originalOf(db, appends);
    if (original === 'reused' || (original === 'none' && idTaken)) {
      const err = new EventStoreError(CODES.EVENT_ID_REUSED, 'an event id is already stored for another event, or only part of the batch is', 'eventId', {
        eventIds: appends.flatMap((a) => a.events.map((x) => x.eventId)).slice(0, 20),
      });
      logger.debug({ code: err.code, streamIds: appends.map((a) => a.streamId) }, 'append refused');
      throw err;
    }
    if (original === 'none') {
      const d = conflict!;
      const err = new ExpectedVersionConflictError(d.streamId, d.expected, d.actual);
      logger.debug({ code: err.code, streamId: d.streamId, expected: d.expected, actual: d.actual }, 'append refused');
      throw err;
    }
    rows = original;
  }
  const byId = new Map(rows.map((r) => [r.event_id, r]));
  const streamVersions: Record<string, number> = {};
  const events = appends.flatMap((a) =>
    a.events.map((e) => {
      const r = byId.get(e.eventId);
      if (!r) throw new EventStoreError('APPEND_RESULT_MISSING', `append returned no row for event ${e.eventId}`);
      const streamVersion = toSafeInteger(r.stream_version, 'stream version');
      streamVersions[r.stream_id] = Math.max(streamVersions[r.stream_id] ?? 0, streamVersion);
      return { eventId: r.event_id, streamId: r.stream_id, streamVersion, position: toSafeInteger(r.event_position, 'position') };
    }),
  );
  const duplicate = rows.length > 0 && rows.every((r) => r.duplicate);
  if (!duplicate) notifyAppended(db);
  if (logger.isLevelEnabled('debug')) {
    const first = appends[0]?.events[0]?.metadata;
    logger.debug(
      { streamIds: Object.keys(streamVersions), correlationId: first?.correlationId, events: events.length, duplicate },
      duplicate ? 'append was a retry: original positions returned' : 'appended',
    );
  }
  return { duplicate, events, streamVersions };
};

/** One stream: a convenience over `appendToStreams`. */
export const appendToStream = (
  db: Kysely<Database>,
  streamId: string,
  expectedVersion: ExpectedVersion,
  events: readonly NewEvent[],
  registry: EventRegistry = defaultRegistry,
): Promise<AppendResult> => appendToStreams(db, [{ streamId, expectedVersion, events }], registry);
