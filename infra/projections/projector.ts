import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerInfo,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Kysely, Transaction } from 'kysely';
import { eventRegistry as defaultRegistry } from '../../domain/event-types';
import type { EventRegistry } from '../../domain/shared/events';
import type { Database } from '../database';
import { compareCursors } from '../eventstore/cursor';
import { readByPositions } from '../eventstore/read';
import type { StoredEvent } from '../eventstore/types';
import { logger as rootLogger, type Logger } from '../logger';
import { inSpan } from '../tracing';
import { projectorFailures } from '../metrics';
import { HEADER_POSITION, HEADER_TX } from '../relay/relay';
import { lockCheckpoint, lockCheckpoints, saveCheckpoint, saveCheckpoints, type ProjectionCheckpoint } from './checkpoints';
import type { Projection } from './projection';

export interface ProjectorOptions {
  db: Kysely<Database>;
  nc: NatsConnection;
  streamName: string;
  /** The read models this process feeds: any subset of PROJECTIONS, each with its own checkpoint. */
  projections: readonly Projection[];
  /** Durable consumer name; default `durableFor(projections)`. */
  durableName?: string;
  batchSize?: number;
  registry?: EventRegistry;
  log?: Logger;
}

export interface ProjectorStats {
  /** Events applied, summed over the projections. */
  applied: number;
  /** Messages a projection passed over (at or below its checkpoint, or of no type it handles), summed over the projections. */
  skipped: number;
  batches: number;
  errors: number;
  /** Messages that did not match the store at the position they claim (injected, or forged): logged, never applied. */
  refused: number;
}

export interface Projector {
  readonly stats: Readonly<ProjectorStats>;
  stop(): Promise<void>;
}

/**
 * One durable consumer per set of read models: processes feeding the same set share it (a batch goes to
 * one of them), and a process feeding another set has its own. Never `proj_<name>`, the name each read
 * model's own consumer had before: those are deleted once a consumer here is in place.
 */
export const durableFor = (projections: readonly Projection[]): string =>
  `feed_${projections
    .map((p) => p.name)
    .sort()
    .join('-')}`;

/** What a message says it is: only where to look in the store. Anything unreadable is nothing. */
interface Claimed {
  readonly position: number;
  readonly txId: string;
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
}
/** A message of the stream: as delivered to this consumer, or read from the stream where another consumer's delivery left a gap. */
type Delivered = Pick<JsMsg, 'seq' | 'subject' | 'json'>;

const claimOf = (m: Delivered): Claimed | undefined => {
  try {
    const e = m.json<Partial<Claimed>>();
    const ok = Number.isSafeInteger(e.position) && [e.txId, e.eventId, e.streamId, e.type].every((v) => typeof v === 'string');
    // Only the pointer is kept (and logged): never the message's data.
    return ok ? { position: e.position!, txId: e.txId!, eventId: e.eventId!, streamId: e.streamId!, type: e.type! } : undefined;
  } catch {
    return undefined;
  }
};

/** The stream sequence a new consumer for `projections` may start after, every earlier message having been taken by each of them. */
const startAfter = async (jsm: JetStreamManager, db: Kysely<Database>, streamName: string, projections: readonly Projection[], log: Logger): Promise<number> => {
  const checkpoints = await db
    .selectFrom('projection_checkpoints')
    .select(['name', 'tx_id', 'position', 'stream_seq'])
    .where(
      'name',
      'in',
      projections.map((p) => p.name),
    )
    .execute();
  const taken = await Promise.all(
    projections.map(async (p) => {
      // The consumer each read model had of its own, while it is still there: what it acknowledged, it applied.
      const own = await jsm.consumers.info(streamName, `proj_${p.name}`).catch(notFound);
      if (own) return own.ack_floor.stream_seq;
      // Else the checkpoint's sequence, if this stream's message there is at or below the checkpoint's cursor: the
      // relay publishes in the store's order, so every message before it is too. A stream made anew (or
      // purged) fails the check, and the consumer starts at its beginning, each message skipped by the cursor.
      const cp = checkpoints.find((c) => c.name === p.name);
      const seq = Number(cp?.stream_seq ?? 0);
      if (!cp || seq === 0) return 0;
      // Any failure (the user may not read the stream's messages: README "NATS accounts") only costs the skipping.
      const m = await jsm.streams.getMessage(streamName, { seq }).catch((err: unknown) => {
        log.warn({ err, seq, projection: p.name }, "the checkpoint's message could not be read: the new consumer starts earlier");
        return undefined;
      });
      const txId = m?.header?.get(HEADER_TX);
      const position = Number(m?.header?.get(HEADER_POSITION));
      const ok =
        txId && /^\d{1,20}$/.test(txId) && Number.isSafeInteger(position) && compareCursors({ txId, position }, { txId: String(cp.tx_id), position: Number(cp.position) }) <= 0;
      return ok ? seq : 0;
    }),
  );
  return Math.min(...taken);
};

const notFound = (e: unknown): undefined => {
  if (e instanceof JetStreamApiError && (e.code === JetStreamApiCodes.ConsumerNotFound || e.code === JetStreamApiCodes.NoMessageFound)) return undefined;
  throw e;
};

/**
 * The durable consumer, made if it is not there yet. A new one starts where every read model it feeds had
 * got to, not at the stream's beginning; the consumers each read model had of its own before are deleted
 * once it is in place (a worker of the code before them then logs its consumer ended until it is replaced).
 */
const ensureConsumer = async (
  jsm: JetStreamManager,
  db: Kysely<Database>,
  streamName: string,
  durable: string,
  projections: readonly Projection[],
  batchSize: number,
  log: Logger,
): Promise<ConsumerInfo> => {
  const existing = await jsm.consumers.info(streamName, durable).catch(notFound);
  if (existing) return existing;
  const after = await startAfter(jsm, db, streamName, projections, log);
  const start = after > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after + 1 } : { deliver_policy: DeliverPolicy.All };
  let info: ConsumerInfo;
  try {
    info = await jsm.consumers.add(streamName, { durable_name: durable, ack_policy: AckPolicy.All, ...start, max_ack_pending: batchSize, ack_wait: nanos(30_000) });
  } catch (e) {
    // Another worker feeding the same read models made it first (from the same place, or from further on).
    const theirs = await jsm.consumers.info(streamName, durable).catch(notFound);
    if (!theirs) throw e;
    info = theirs;
  }
  log.info({ durable, startSeq: after + 1 }, 'projection consumer made');
  for (const own of projections.map((p) => `proj_${p.name}`)) {
    if (own !== durable && (await jsm.consumers.delete(streamName, own).catch(notFound)))
      log.info({ durable: own }, "a read model's own consumer deleted: it is fed by the new one");
  }
  return info;
};

/** A message checked against the store: the store's copy of the event and the message's sequence. */
interface Checked {
  readonly event: StoredEvent;
  readonly seq: number;
}

/**
 * Feeds read models from one JetStream durable consumer: each message is received, parsed and checked
 * against the store once, however many read models the process runs (each had a consumer of its own, and
 * an exit round's household events were delivered, parsed and looked up five times though three of the five
 * take none of them). The read models that take any of a batch apply it and write their checkpoints in one
 * PostgreSQL transaction; if that fails, each in a transaction of its own, so one that fails holds back none
 * of the others. The batch is acknowledged once every read model that takes any of it has committed. A message
 * that comes again (a redelivery, or a republish after JetStream's duplicate window) is at or below each
 * checkpoint and is skipped, so its effect happens exactly once. A failed batch is retried in place, for the
 * read models that did not commit it, until it applies, before anything after it; `max_ack_pending` equals
 * the batch size, so no more than one batch waits unacknowledged. The consumer has no filter: a read model's
 * checkpoint moves past every message it is given, so it must be given every message in the store's order
 * (consumers of different sets feeding one read model are safe, each skipping what the other applied).
 *
 * A message is a pointer, not the record: each is checked against the store before it counts. The
 * event at its position must exist with the same event id, transaction, stream and type, and what is
 * applied is the store's copy of that event, never the message's data. Whoever can publish on the
 * event subjects (they should not: README "NATS accounts") can therefore neither inject an event nor
 * move a checkpoint past real ones with a forged position; such a message is logged and counted
 * (`refused`), and acknowledged so it does not come again.
 */
export const startProjector = async (opts: ProjectorOptions): Promise<Projector> => {
  const { projections } = opts;
  if (projections.length === 0) throw new Error('startProjector: no projection to feed');
  const batchSize = opts.batchSize ?? 500;
  const durable = opts.durableName ?? durableFor(projections);
  const registry = opts.registry ?? defaultRegistry;
  const log = (opts.log ?? rootLogger).child({ component: 'projector', projections: projections.map((p) => p.name), stream: opts.streamName });
  const jsm = await jetstreamManager(opts.nc);
  const made = await ensureConsumer(jsm, opts.db, opts.streamName, durable, projections, batchSize, log);
  const consumer = await jetstream(opts.nc).consumers.get(opts.streamName, durable);
  const stats: ProjectorStats = { applied: 0, skipped: 0, batches: 0, errors: 0, refused: 0 };
  // The types each takes, as a set: a batch of an exit round's step asks each of ~190 messages of every projection.
  const fed = projections.map((projection) => ({ projection, types: new Set(projection.canHandle) }));
  type Fed = (typeof fed)[number];
  let stopped = false;

  const refuse = (m: Delivered, claimed: Claimed | undefined, stored: StoredEvent | undefined): void => {
    stats.refused++;
    const found = stored ? { eventId: stored.eventId, txId: stored.txId, streamId: stored.streamId, type: stored.type } : null;
    log.error({ seq: m.seq, subject: m.subject, claimed: claimed ?? 'unreadable', stored: found }, 'message does not match the store at its position: refused, not applied');
  };

  /** The batch's messages that match the store, with the store's copies; the others refused (once a batch). */
  const check = (msgs: readonly Delivered[], claims: readonly (Claimed | undefined)[], stored: ReadonlyMap<number, StoredEvent>): Checked[] => {
    const checked: Checked[] = [];
    msgs.forEach((m, i) => {
      const c = claims[i];
      if (!c) return; // unreadable: refused by the caller
      const e = stored.get(c.position);
      if (!e || e.eventId !== c.eventId || e.txId !== c.txId || e.streamId !== c.streamId || e.type !== c.type) return refuse(m, c, e);
      checked.push({ event: e, seq: m.seq });
    });
    return checked;
  };

  /**
   * One read model's part of a batch, in `trx`, from its checkpoint `cp` (locked by `trx`): what it
   * counts once `trx` has committed, and where its checkpoint moves (undefined: it stays).
   */
  const applyIn = async (
    trx: Transaction<Database>,
    { projection, types }: Fed,
    checking: Promise<Checked[]>,
    cp: ProjectionCheckpoint,
  ): Promise<{ applied: number; skipped: number; next: ProjectionCheckpoint | undefined }> => {
    const fresh: StoredEvent[] = [];
    let next = cp;
    let skipped = 0;
    for (const { event: e, seq } of await checking) {
      const cursor = { txId: e.txId, position: e.position };
      // The store cursor, not the JetStream sequence: a recreated stream restarts its sequence.
      if (compareCursors(cursor, cp.cursor) <= 0) {
        skipped++;
        continue;
      }
      next = { cursor, streamSeq: seq };
      if (types.has(e.type)) fresh.push(e);
    }
    if (fresh.length > 0) await projection.apply(trx, projection.table, fresh);
    return { applied: fresh.length, skipped, next: next === cp ? undefined : next };
  };
  /** A read model's part of a batch, counted once its transaction has committed. */
  const count = (c: { applied: number; skipped: number }): void => {
    stats.applied += c.applied;
    stats.skipped += c.skipped;
  };
  const span = (f: Fed, positions: readonly number[]) => ({ 'tuopin.projection': f.projection.name, 'tuopin.positions': positions.join(',') });

  /**
   * The batch's read models in one transaction, one after another: one BEGIN and one COMMIT (one WAL
   * flush) where each had its own. A payment's events feed four read models; their twenty statements and
   * four flushes ran right while the payment's second workflow task was answering it, in the same process
   * and on the same cores (README, "Where an approval's and a payment's time goes"). The store's copies
   * are read beside the transaction while it begins and locks the first checkpoint: stored events never
   * change (append-only), so the answer is the same, one round trip shorter. Each read model's checkpoint
   * still moves with its own rows only; the checkpoints are locked in the read models' fixed order,
   * all in one statement before the first applies, and moved in one after the last (two statements where
   * each read model took two: 43 of a whole project's 245, bench/project-lifecycle.ts).
   */
  const applyTogether = async (pending: readonly Fed[], checking: Promise<Checked[]>, positions: readonly number[]): Promise<void> => {
    const counted = await opts.db.transaction().execute(async (trx) => {
      const cps = await lockCheckpoints(
        trx,
        pending.map((f) => f.projection.name),
      );
      const out: { applied: number; skipped: number }[] = [];
      const moved = new Map<string, ProjectionCheckpoint>();
      for (const f of pending) {
        const r = await inSpan('tuopin.projection.apply', span(f, positions), () => applyIn(trx, f, checking, cps.get(f.projection.name)!));
        if (r.next) moved.set(f.projection.name, r.next);
        out.push(r);
      }
      await saveCheckpoints(trx, moved);
      return out;
    });
    counted.forEach(count);
  };

  /** One read model in a transaction of its own: after the batch failed together, so one that fails holds back none of the others. */
  const applyAlone = async (f: Fed, checking: Promise<Checked[]>, positions: readonly number[]): Promise<void> => {
    const name = f.projection.name;
    const applied = await inSpan('tuopin.projection.apply', span(f, positions), () =>
      opts.db.transaction().execute(async (trx) => {
        const r = await applyIn(trx, f, checking, await lockCheckpoint(trx, name));
        if (r.next) await saveCheckpoint(trx, name, r.next);
        return r;
      }),
    );
    count(applied);
  };

  /*
   * Messages stream in (consume) and are applied in batches of what has arrived. A fetch of up to
   * `batchSize` used to wait out its whole `expires` (2 s) whenever fewer came, so a read model
   * trailed a single command by two seconds (measured by bench/api-approval.ts).
   */
  const buffer: JsMsg[] = [];
  let wake: (() => void) | undefined;
  let messages: Awaited<ReturnType<typeof consumer.consume>> | undefined;
  const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

  const receive = async (): Promise<void> => {
    while (!stopped) {
      try {
        messages = await consumer.consume({ max_messages: batchSize, expires: 2000 });
        for await (const m of messages) {
          buffer.push(m);
          wake?.();
        }
      } catch (e) {
        stats.errors++;
        for (const p of projections) projectorFailures.inc({ projection: p.name, stage: 'consume' });
        log.warn({ err: e }, 'projection consumer ended; consuming again');
      }
      if (!stopped) await pause(500);
    }
  };

  /*
   * The stream's sequence up to which every message has been applied (by this process or another feeding the
   * same consumer). A message handed to a worker that died before acknowledging it stays pending until
   * ack_wait while the next ones go to its replacement, and acknowledging those (AckAll) would acknowledge it
   * too: applied after them, it would fall below each checkpoint and be skipped for ever. So a batch is applied
   * as the unbroken run of messages after this sequence, whatever another delivery holds read from the stream.
   */
  let through = made.ack_floor.stream_seq;

  /** The batch with every message between `through` and its last read in, in the stream's order. */
  const unbroken = async (batch: readonly JsMsg[]): Promise<Delivered[]> => {
    const last = Math.max(...batch.map((m) => m.seq));
    const have = new Set(batch.map((m) => m.seq));
    const gap = (from: number) => Array.from({ length: Math.max(0, last - from) }, (_, i) => from + 1 + i).filter((seq) => !have.has(seq));
    if (gap(through).length > 0) {
      // Another worker may have applied and acknowledged them meanwhile; the stream may no longer hold the oldest.
      const [info, stream] = await Promise.all([jsm.consumers.info(opts.streamName, durable), jsm.streams.info(opts.streamName)]);
      through = Math.max(through, info.ack_floor.stream_seq, stream.state.first_seq - 1);
    }
    const missing = gap(through);
    if (missing.length > 0)
      log.warn(
        { from: missing[0], to: missing[missing.length - 1], messages: missing.length },
        'messages another delivery holds unacknowledged: read from the stream and applied first',
      );
    const read = await Promise.all(missing.map((seq) => jsm.streams.getMessage(opts.streamName, { seq }).catch(notFound)));
    return [...batch, ...read.flatMap((m) => (m ? [m] : []))].sort((a, b) => a.seq - b.seq);
  };

  const run = async (): Promise<void> => {
    while (!stopped) {
      if (buffer.length === 0) {
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 1000);
        });
        wake = undefined;
        continue;
      }
      // Let what is already on the socket land, so a burst is one batch.
      await new Promise((r) => setImmediate(r));
      const delivered = buffer.splice(0, batchSize);
      const newest = delivered.reduce((a, b) => (b.seq > a.seq ? b : a));
      let batch: Delivered[];
      try {
        batch = await unbroken(delivered);
      } catch (e) {
        // Unacknowledged: delivered again after ack_wait, nothing after it applied meanwhile.
        stats.errors++;
        log.error({ err: e, messages: delivered.length }, 'projection batch: the messages before it could not be read; left to come again');
        continue;
      }
      const claims = batch.map(claimOf);
      batch.forEach((m, i) => claims[i] === undefined && refuse(m, undefined, undefined));
      const positions = claims.flatMap((c) => (c ? [c.position] : []));
      // A read model that takes nothing of the batch: no transaction, no checkpoint (nothing to apply twice).
      // Five read models each committing every event slowed the commands themselves.
      let pending = fed.filter((f) => claims.some((c) => c !== undefined && f.types.has(c.type)));
      stats.skipped += batch.length * (fed.length - pending.length);
      let checking: Promise<Checked[]> | undefined;
      // A failed batch is retried here, in order, never nak'd: newer messages may already be in the
      // buffer, and applying them first would move a checkpoint past the failed ones.
      for (let attempt = 1; ; attempt++) {
        try {
          if (pending.length > 0) {
            if (!checking) {
              const types = new Set(pending.flatMap((f) => f.projection.canHandle));
              const reading = readByPositions(opts.db, positions, {
                registry,
                // Only what some read model here applies is parsed; the rest is only checked against its message.
                decode: (type) => types.has(type),
              }).then((stored) => check(batch, claims, stored));
              // Read again on the next attempt if it failed; awaited by each transaction, so not left unhandled.
              reading.catch(() => {
                if (checking === reading) checking = undefined;
              });
              checking = reading;
            }
            const reading = checking;
            if (attempt === 1) {
              try {
                await applyTogether(pending, reading, positions);
                pending = [];
              } catch (e) {
                // Nothing of it committed: each read model tries again on its own, so the failing one is found and retried alone.
                stats.errors++;
                log.warn({ err: e, messages: batch.length, projections: pending.map((f) => f.projection.name) }, 'projection batch failed; applying it read model by read model');
              }
            }
            const results = await Promise.allSettled(pending.map((f) => applyAlone(f, reading, positions)));
            const failed = pending.filter((_, i) => results[i]!.status === 'rejected');
            const errs = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
            pending = failed;
            if (failed.length > 0) {
              for (const f of failed) projectorFailures.inc({ projection: f.projection.name, stage: 'batch' });
              throw errs[0];
            }
          }
          newest.ack();
          through = Math.max(through, newest.seq);
          stats.batches++;
          break;
        } catch (e) {
          stats.errors++;
          log.error({ err: e, messages: batch.length, attempt, projections: pending.map((f) => f.projection.name) }, 'projection batch failed; retrying it');
          if (stopped) return; // unacknowledged: JetStream delivers it again after ack_wait
          await pause(Math.min(500 * attempt, 5000));
        }
      }
    }
  };
  const receiving = receive();
  const running = run();
  return {
    stats,
    stop: async () => {
      stopped = true;
      wake?.();
      await messages?.close();
      await running;
      await receiving;
    },
  };
};
