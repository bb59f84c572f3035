import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type PubAck } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { eventRegistry as defaultRegistry } from '../../domain/registry';
import type { EventRegistry } from '../../domain/shared/events';
import type { Database } from '../database';
import { readAll, tailStall } from '../eventstore/read';
import { START, type Cursor, type StoredEvent } from '../eventstore/types';
import { logger as rootLogger, type Logger } from '../logger';
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
  /** Publishes awaiting their ack at once. */
  maxInFlight?: number;
  /** Poll when no NOTIFY arrives (a NOTIFY can be lost when the connection drops). */
  pollIntervalMs?: number;
  /** Report a stall when committed events have waited behind the gate this long. */
  stallWarnAfterMs?: number;
  registry?: EventRegistry;
  log?: Logger;
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

export const subjectFor = (prefix: string, e: StoredEvent): string => `${prefix}.${e.category}.${e.metadata.countyId ?? '_'}`;

const LEADER_LOCK_CLASS = 1953853297;

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
 * - Order and no gaps: each publish states the stream sequence it expects to follow
 *   (`expect.lastSequence`), so if one publish in a pipelined batch fails, every later one fails
 *   too, and JetStream never holds event n+1 without event n.
 * - Resume: the position comes from the last message in JetStream (its headers carry the store
 *   cursor) or the PostgreSQL checkpoint, whichever is further; a crash between publish and
 *   checkpoint therefore republishes nothing, and `Nats-Msg-Id` dedupes the in-flight remainder.
 * - One active relay per name: a session advisory lock; others wait as standbys.
 * - Independent of activities: it reads committed events only.
 */
export const startRelay = async (opts: RelayOptions): Promise<Relay> => {
  const name = opts.name ?? `relay:${opts.streamName}`;
  const batchSize = opts.batchSize ?? 1000;
  const maxInFlight = opts.maxInFlight ?? 512;
  const pollIntervalMs = opts.pollIntervalMs ?? 1000;
  const stallWarnAfterMs = opts.stallWarnAfterMs ?? 30_000;
  const registry = opts.registry ?? defaultRegistry;
  const log = (opts.log ?? rootLogger).child({ component: 'relay', relay: name, stream: opts.streamName });
  const js: JetStreamClient = jetstream(opts.nc);
  const jsm: JetStreamManager = await jetstreamManager(opts.nc);
  const stats: RelayStats = { published: 0, batches: 0, stalls: 0, errors: 0, cursor: START, lastSeq: 0, leader: false };
  const state = { stopped: false };
  let wake: (() => void) | undefined;
  let notified = false;
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
        fromNats = { txId: tx, position: Number(pos) };
        break;
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

  const saveCheckpoint = async (): Promise<void> => {
    await sql`
      INSERT INTO relay_checkpoints (name, tx_id, position, stream_seq, updated_at)
      VALUES (${name}, ${stats.cursor.txId}::xid8, ${stats.cursor.position}, ${stats.lastSeq}, now())
      ON CONFLICT (name) DO UPDATE SET tx_id = excluded.tx_id, position = excluded.position,
        stream_seq = excluded.stream_seq, updated_at = excluded.updated_at`.execute(opts.db);
  };

  const publishBatch = async (events: readonly StoredEvent[]): Promise<void> => {
    type Settled = { ok: true; ack: PubAck } | { ok: false; error: unknown };
    const pending: Promise<Settled>[] = [];
    const base = stats.lastSeq;
    let done = 0;
    let failure: unknown;
    const settle = async (): Promise<void> => {
      const r = await pending[done++]!;
      if (!r.ok) failure ??= r.error;
      else if (failure === undefined) {
        const e = events[done - 1]!;
        stats.lastSeq = r.ack.seq;
        stats.cursor = { txId: e.txId, position: e.position };
        stats.published++;
      }
    };
    for (let i = 0; i < events.length && failure === undefined; i++) {
      const e = events[i]!;
      const h = headers();
      h.set(HEADER_TX, e.txId);
      h.set(HEADER_POSITION, String(e.position));
      h.set(HEADER_TYPE, e.type);
      h.set(HEADER_STREAM, e.streamId);
      pending.push(
        js
          .publish(subjectFor(opts.subjectPrefix, e), JSON.stringify(e), {
            msgID: e.eventId,
            headers: h,
            // Chained to the previous publish of this pipeline by sequence and by id, so a stray
            // message or a failed publish makes every later one in the window fail as well.
            expect: i === 0 ? { lastSequence: base } : { lastSequence: base + i, lastMsgID: events[i - 1]!.eventId },
          })
          .then(
            (ack): Settled => ({ ok: true, ack }),
            (error: unknown): Settled => ({ ok: false, error }),
          ),
      );
      if (pending.length - done >= maxInFlight) await settle();
    }
    while (done < pending.length) await settle();
    if (failure !== undefined) throw failure;
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
      listener.on('notification', nudge);
      try {
        await listener.connect();
        while (!state.stopped) {
          const got = await listener.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LEADER_LOCK_CLASS, name]);
          if (got.rows[0]?.ok) break;
          await sleep(pollIntervalMs, state);
        }
        if (state.stopped) break;
        stats.leader = true;
        await listener.query('LISTEN tuopin_events');
        await reconcile();
        let lastStallCheck = Date.now();
        while (!state.stopped && broken === undefined) {
          const r = await readAll(opts.db, { after: stats.cursor, limit: batchSize, registry });
          if (r.events.length === 0) {
            if (Date.now() - lastStallCheck >= Math.min(stallWarnAfterMs, 5000)) {
              lastStallCheck = Date.now();
              await checkStall();
            }
            await waitForWork(pollIntervalMs);
            continue;
          }
          try {
            await publishBatch(r.events);
          } finally {
            // Whatever was acknowledged is recorded, even when the batch stopped part way.
            await saveCheckpoint();
          }
          stats.batches++;
          log.debug({ events: r.events.length, cursor: stats.cursor, lastSeq: stats.lastSeq }, 'published batch');
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

  const running = run();
  return {
    stats,
    stop: async () => {
      state.stopped = true;
      wake?.();
      await running;
    },
  };
};
