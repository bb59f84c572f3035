import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { headers, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../database';
import { appendedHereToken, EVENTS_CHANNEL, onAppendedHere } from '../eventstore/append';
import { readAllPayloads, tailStall, type EventPayload } from '../eventstore/read';
import { START, type Cursor } from '../eventstore/types';
import { logger as rootLogger, type Logger } from '../logger';
import { inSpan } from '../tracing';
import { compareCursors } from '../eventstore/cursor';

export const HEADER_TX = 'Tuopin-Tx';
export const HEADER_POSITION = 'Tuopin-Position';
export const HEADER_TYPE = 'Tuopin-Type';
export const HEADER_STREAM = 'Tuopin-Stream-Id';

export interface RelayOptions {
  db: Kysely<Database>;
  /** For the LISTEN connection, which also holds the single-active-relay lock. */
  databaseUrl: string;
  nc: NatsConnection;
  streamName: string;
  subjectPrefix: string;
  /** Checkpoint key; default `relay:<streamName>`. */
  name?: string;
  batchSize?: number;
  /** How long the fence publish waits for JetStream's ack. */
  fenceTimeoutMs?: number;
  /** Poll when no NOTIFY arrives (a NOTIFY can be lost when the connection drops). */
  pollIntervalMs?: number;
  /** Report a stall when committed events have waited behind the gate this long. */
  stallWarnAfterMs?: number;
  /**
   * The appends that wake the relay at once, and the token their NOTIFYs carry (which it then passes
   * over). Default: those through `db` in this process. A relay in a thread of its own is woken by
   * the appends of the thread that makes them (workers/delivery.ts).
   */
  appendedHere?: AppendedHere;
  log?: Logger;
}

/** Appends that wake a relay without their NOTIFY: `on` calls `wake` after each; their NOTIFYs carry `token`. */
export interface AppendedHere {
  readonly token: string;
  on(wake: () => void): () => void;
}

export interface RelayStats {
  published: number;
  batches: number;
  stalls: number;
  errors: number;
  cursor: Cursor;
  /** JetStream's last sequence as the relay knows it. */
  lastSeq: number;
  leader: boolean;
}

export interface Relay {
  readonly stats: Readonly<RelayStats>;
  stop(): Promise<void>;
}

export class RelayError extends Error {
  readonly code = 'RELAY_FENCE_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'RelayError';
  }
}

const eventHeaders = (e: EventPayload): MsgHdrs => {
  const h = headers();
  h.set(HEADER_TX, e.txId);
  h.set(HEADER_POSITION, String(e.position));
  h.set(HEADER_TYPE, e.type);
  h.set(HEADER_STREAM, e.streamId);
  return h;
};

export const subjectFor = (prefix: string, e: { category: string; countyId: string | null }): string => `${prefix}.${e.category}.${e.countyId ?? '_'}`;

const LEADER_LOCK_CLASS = 1953853297;

/** The longest the relay waits between looks while committed events wait behind the gate (a look is one indexed read). */
const GATED_LOOK_MAX_MS = 50;

const sleep = (ms: number, signal: { stopped: boolean }): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    if (signal.stopped) {
      clearTimeout(t);
      resolve();
    }
  });

/**
 * Tails the store in commit order and publishes every event to JetStream, exactly in that order.
 *
 * - Order and no gaps: each message states the stream sequence and the msg id it must follow, so
 *   if one in a batch is lost every later one is refused, and JetStream never holds event n+1
 *   without event n; one acknowledged fence per batch bounds what is unconfirmed.
 * - Resume: the position comes from the last message in JetStream (its headers carry the store
 *   cursor) or the PostgreSQL checkpoint, whichever is further; a crash between publish and
 *   checkpoint therefore republishes nothing, and `Nats-Msg-Id` dedupes the in-flight remainder.
 * - One active relay per name: a session advisory lock; others wait as standbys.
 * - Independent of activities: it reads committed events only.
 * - Pass-through: events go out as stored (`schemaVersion` = the stored version); consumers upcast,
 *   so a relay never stops on an event type newer than its own code.
 */
export const startRelay = async (opts: RelayOptions): Promise<Relay> => {
  const name = opts.name ?? `relay:${opts.streamName}`;
  const batchSize = opts.batchSize ?? 1000;
  const fenceTimeoutMs = opts.fenceTimeoutMs ?? 10_000;
  const pollIntervalMs = opts.pollIntervalMs ?? 1000;
  const stallWarnAfterMs = opts.stallWarnAfterMs ?? 30_000;
  const log = (opts.log ?? rootLogger).child({ component: 'relay', relay: name, stream: opts.streamName });
  const js: JetStreamClient = jetstream(opts.nc);
  const jsm: JetStreamManager = await jetstreamManager(opts.nc);
  const appendedHere: AppendedHere = opts.appendedHere ?? { token: appendedHereToken(opts.db), on: (wake) => onAppendedHere(opts.db, wake) };
  const stats: RelayStats = { published: 0, batches: 0, stalls: 0, errors: 0, cursor: START, lastSeq: 0, leader: false };
  const state = { stopped: false };
  let wake: (() => void) | undefined;
  let notified = false;
  /**
   * The next look's delay while committed events wait behind the gate (the oldest open transaction
   * that may be this database's, which can hide a commit for a moment after its NOTIFY): the
   * relay looks again within milliseconds, backing off to GATED_LOOK_MAX_MS, and never waits out the
   * poll interval while it knows something is there. The page's read says so (`behind`, in the
   * same snapshot). An earlier form backed off from the poll interval itself whenever the relay had
   * been idle before the NOTIFY, so a commit that met the gate waited a whole second: the read
   * model's 1 s lags at p95/p99 behind an approval (bench/api-approval.ts, README "Where an
   * approval's and a payment's time goes").
   */
  let gatedBackoffMs = 0;
  const nudge = (): void => {
    notified = true;
    wake?.();
  };
  const waitForWork = (ms: number): Promise<void> => {
    if (notified || state.stopped) {
      notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        wake = undefined;
        notified = false;
        resolve();
      }
      wake = done;
    });
  };

  const reconcile = async (): Promise<void> => {
    const info = await jsm.streams.info(opts.streamName);
    stats.lastSeq = info.state.last_seq;
    let fromNats: Cursor | undefined;
    // The last message of ours: a stray publish by someone else may sit on top of it.
    for (let seq = info.state.last_seq; seq >= Math.max(info.state.first_seq, info.state.last_seq - 100) && seq > 0; seq--) {
      const m = await jsm.streams.getMessage(opts.streamName, { seq });
      const tx = m?.header?.get(HEADER_TX);
      const pos = m?.header?.get(HEADER_POSITION);
      if (tx && pos) {
        // Only a cursor the store has: a forged header on top of the stream would otherwise make the relay skip every event up to it.
        const known =
          /^\d{1,20}$/.test(tx) && /^\d{1,18}$/.test(pos) ? await sql`SELECT 1 FROM events WHERE position = ${Number(pos)} AND tx_id = ${tx}::xid8`.execute(opts.db) : { rows: [] };
        if (known.rows.length > 0) {
          fromNats = { txId: tx, position: Number(pos) };
          break;
        }
        log.error({ seq, subject: m?.subject, txId: tx, position: pos }, 'a message in the event stream names a store position the store does not have: ignored');
        continue;
      }
      if (m) log.warn({ seq, subject: m.subject }, 'a message in the event stream was not published by a relay');
    }
    const row = await opts.db
      .selectFrom('relay_checkpoints')
      .select([sql<string>`tx_id::text`.as('tx_id'), 'position'])
      .where('name', '=', name)
      .executeTakeFirst();
    const fromPg: Cursor = row ? { txId: row.tx_id, position: Number(row.position) } : START;
    if (fromNats && compareCursors(fromNats, fromPg) < 0) {
      log.warn({ fromNats, fromPg }, 'JetStream holds less than the checkpoint says was published (stream purged or recreated?); resuming from the checkpoint');
    }
    stats.cursor = fromNats && compareCursors(fromNats, fromPg) > 0 ? fromNats : fromPg;
    log.info({ cursor: stats.cursor, lastSeq: stats.lastSeq }, 'relay resumes');
  };

  /*
   * Committed asynchronously: the checkpoint is a hint, the relay resumes from the later of it and the
   * last message of its own in JetStream (reconcile), so one lost in a database crash costs nothing.
   * Flushed, it was one more WAL flush after every batch, at the moment the projectors commit the same
   * events and wait for flushes of their own.
   */
  const saveCheckpoint = async (): Promise<void> => {
    await sql`
      INSERT INTO relay_checkpoints (name, tx_id, position, stream_seq, updated_at)
      SELECT ${name}, ${stats.cursor.txId}::xid8, ${stats.cursor.position}, ${stats.lastSeq}, now()
        FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unflushed
      ON CONFLICT (name) DO UPDATE SET tx_id = excluded.tx_id, position = excluded.position,
        stream_seq = excluded.stream_seq, updated_at = excluded.updated_at`.execute(opts.db);
  };

  /*
   * A batch goes out as core publishes followed by one acknowledged publish, the fence. JetStream
   * acks cost a round trip each (about 5,000/s here); core publishes stream. Every message carries
   * its expectations (the stream's last sequence, and for all but the first the previous event's
   * msg id), so if the server drops or refuses one, every later one is refused too: JetStream never
   * holds event n+1 without event n. The fence's ack proves the whole batch landed in order; if it
   * fails, the relay reconciles from the last message of its own in the stream and goes on.
   */
  const publishBatch = async (events: readonly EventPayload[]): Promise<void> => {
    const base = stats.lastSeq;
    const last = events.length - 1;
    for (let i = 0; i < last; i++) {
      const e = events[i]!;
      const h = eventHeaders(e);
      h.set('Nats-Msg-Id', e.eventId);
      h.set('Nats-Expected-Last-Sequence', String(base + i));
      if (i > 0) h.set('Nats-Expected-Last-Msg-Id', events[i - 1]!.eventId);
      opts.nc.publish(subjectFor(opts.subjectPrefix, e), e.json, { headers: h });
    }
    const fence = events[last]!;
    const ack = await js.publish(subjectFor(opts.subjectPrefix, fence), fence.json, {
      msgID: fence.eventId,
      headers: eventHeaders(fence),
      expect: last === 0 ? { lastSequence: base } : { lastSequence: base + last, lastMsgID: events[last - 1]!.eventId },
      timeout: fenceTimeoutMs,
    });
    if (ack.duplicate || ack.seq !== base + events.length) {
      throw new RelayError(`fence landed at sequence ${ack.seq}${ack.duplicate ? ' as a duplicate' : ''}, expected ${base + events.length}`);
    }
    stats.lastSeq = ack.seq;
    stats.cursor = { txId: fence.txId, position: fence.position };
    stats.published += events.length;
  };

  const checkStall = async (): Promise<void> => {
    const s = await tailStall(opts.db, stats.cursor);
    if (s.waiting > 0 && s.oldestWaitingRecordedAt && Date.now() - Date.parse(s.oldestWaitingRecordedAt) > stallWarnAfterMs) {
      stats.stalls++;
      // Never resolved by skipping: a long transaction delays the relay, it cannot make it lose events.
      log.warn({ gate: s.gate, waiting: s.waiting, oldestWaitingRecordedAt: s.oldestWaitingRecordedAt, metric: 'relay_tail_stalled' }, 'tail stalled behind an open transaction');
    }
  };

  const run = async (): Promise<void> => {
    while (!state.stopped) {
      const listener = new pg.Client({ connectionString: opts.databaseUrl, application_name: `tuopin-relay-${name}` });
      let broken: unknown;
      listener.on('error', (e) => {
        broken = e;
        nudge();
      });
      // A NOTIFY of the appends that woke the relay at once already (appendedHere).
      const own = appendedHere.token;
      listener.on('notification', (n) => {
        if (n.payload !== own) nudge();
      });
      try {
        await listener.connect();
        while (!state.stopped) {
          const got = await listener.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LEADER_LOCK_CLASS, name]);
          if (got.rows[0]?.ok) break;
          await sleep(pollIntervalMs, state);
        }
        if (state.stopped) break;
        stats.leader = true;
        await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
        await reconcile();
        let lastStallCheck = Date.now();
        let prefetched: ReturnType<typeof readAllPayloads> | undefined;
        while (!state.stopped && broken === undefined) {
          const r = await (prefetched ?? readAllPayloads(opts.db, { after: stats.cursor, limit: batchSize }));
          prefetched = undefined;
          if (r.events.length === 0) {
            if (Date.now() - lastStallCheck >= Math.min(stallWarnAfterMs, 5000)) {
              lastStallCheck = Date.now();
              await checkStall();
            }
            gatedBackoffMs = r.behind ? Math.min(Math.max(2, gatedBackoffMs * 2), GATED_LOOK_MAX_MS, pollIntervalMs) : 0;
            await waitForWork(r.behind ? gatedBackoffMs : pollIntervalMs);
            continue;
          }
          gatedBackoffMs = 0;
          if (r.events.length === batchSize) {
            // Read the next page while this one is in flight. It is only used if this batch lands in
            // full, so it always starts right after what JetStream holds.
            const last = r.events[r.events.length - 1]!;
            prefetched = readAllPayloads(opts.db, { after: { txId: last.txId, position: last.position }, limit: batchSize });
          }
          try {
            // A span per batch (a no-op unless tracing is on), naming the positions it carries: a command's trace continues here (bench/trace-steps.ts).
            await inSpan('tuopin.relay.publish', { 'tuopin.positions': r.events.map((e) => e.position).join(',') }, () => publishBatch(r.events));
          } catch (e) {
            // The speculative page is stale now; its own failure, if any, does not matter.
            prefetched?.catch((err: unknown) => log.debug({ err }, 'discarded prefetch failed'));
            prefetched = undefined;
            throw e;
          } finally {
            // Whatever was acknowledged is recorded, even when the batch stopped part way.
            await saveCheckpoint();
          }
          stats.batches++;
          log.debug({ events: r.events.length, cursor: stats.cursor, lastSeq: stats.lastSeq }, 'published batch');
          // A page short of full with nothing behind the gate held all there was: anything committed since
          // has woken the relay (in-process or NOTIFY; a lost one is found by the poll), so it waits for
          // that instead of reading an empty tail after every append.
          if (r.events.length < batchSize && !r.behind) await waitForWork(pollIntervalMs);
        }
        if (broken !== undefined) throw broken;
      } catch (e) {
        stats.errors++;
        log.error({ err: e }, 'relay failed; reconnecting and resuming from JetStream and the checkpoint');
        await sleep(Math.min(pollIntervalMs, 1000), state);
      } finally {
        stats.leader = false;
        await listener.end().catch((e: unknown) => log.warn({ err: e }, 'closing the LISTEN connection failed'));
      }
    }
  };

  // Appends made in this process wake the relay at once; the NOTIFY brings those of other processes.
  const stopHearingHere = appendedHere.on(nudge);
  const running = run();
  return {
    stats,
    stop: async () => {
      state.stopped = true;
      stopHearingHere();
      wake?.();
      await running;
    },
  };
};
