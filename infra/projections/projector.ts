import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Kysely } from 'kysely';
import { eventRegistry as defaultRegistry } from '../../domain/event-types';
import type { EventRegistry } from '../../domain/shared/events';
import type { Database } from '../database';
import { compareCursors } from '../eventstore/cursor';
import { readByPositions } from '../eventstore/read';
import type { StoredEvent } from '../eventstore/types';
import { logger as rootLogger, type Logger } from '../logger';
import { inSpan } from '../tracing';
import { projectorFailures } from '../metrics';
import { lockCheckpoint, saveCheckpoint } from './checkpoints';
import { handles, type Projection } from './projection';

export interface ProjectorOptions {
  db: Kysely<Database>;
  nc: NatsConnection;
  streamName: string;
  projection: Projection;
  /** Durable consumer name; default `proj_<projection name>`. */
  durableName?: string;
  batchSize?: number;
  registry?: EventRegistry;
  log?: Logger;
}

export interface ProjectorStats {
  applied: number;
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

/** What a message says it is: only where to look in the store. Anything unreadable is nothing. */
interface Claimed {
  readonly position: number;
  readonly txId: string;
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
}
const claimOf = (m: JsMsg): Claimed | undefined => {
  try {
    const e = m.json<Partial<Claimed>>();
    const ok = Number.isSafeInteger(e.position) && [e.txId, e.eventId, e.streamId, e.type].every((v) => typeof v === 'string');
    // Only the pointer is kept (and logged): never the message's data.
    return ok ? { position: e.position!, txId: e.txId!, eventId: e.eventId!, streamId: e.streamId!, type: e.type! } : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Feeds a projection from a JetStream durable consumer. Each batch is applied and its checkpoint
 * written in one PostgreSQL transaction, then acknowledged: a message that comes again (a
 * redelivery, or a republish after JetStream's duplicate window) is at or below the checkpoint and is
 * skipped, so its effect happens exactly once. A failed batch is retried in place until it applies,
 * before anything after it; `max_ack_pending` equals the batch size, so no more than one batch
 * waits unacknowledged.
 *
 * A message is a pointer, not the record: each is checked against the store before it counts. The
 * event at its position must exist with the same event id, transaction, stream and type, and what is
 * applied is the store's copy of that event, never the message's data. Whoever can publish on the
 * event subjects (they should not: README "NATS accounts") can therefore neither inject an event nor
 * move the checkpoint past real ones with a forged position; such a message is logged and counted
 * (`refused`), and acknowledged so it does not come again.
 */
export const startProjector = async (opts: ProjectorOptions): Promise<Projector> => {
  const { projection } = opts;
  const batchSize = opts.batchSize ?? 500;
  const durable = opts.durableName ?? `proj_${projection.name}`;
  const registry = opts.registry ?? defaultRegistry;
  const log = (opts.log ?? rootLogger).child({ component: 'projector', projection: projection.name, stream: opts.streamName });
  const jsm = await jetstreamManager(opts.nc);
  await jsm.consumers.add(opts.streamName, {
    durable_name: durable,
    ack_policy: AckPolicy.All,
    deliver_policy: DeliverPolicy.All,
    max_ack_pending: batchSize,
    ack_wait: nanos(30_000),
  });
  const consumer = await jetstream(opts.nc).consumers.get(opts.streamName, durable);
  const stats: ProjectorStats = { applied: 0, skipped: 0, batches: 0, errors: 0, refused: 0 };
  let stopped = false;

  const refuse = (m: JsMsg, claimed: Claimed | undefined, stored: StoredEvent | undefined): void => {
    stats.refused++;
    const found = stored ? { eventId: stored.eventId, txId: stored.txId, streamId: stored.streamId, type: stored.type } : null;
    log.error({ seq: m.seq, subject: m.subject, claimed: claimed ?? 'unreadable', stored: found }, 'message does not match the store at its position: refused, not applied');
  };

  const applyBatch = async (msgs: readonly JsMsg[], claims: readonly (Claimed | undefined)[]): Promise<void> => {
    // The store's copies of the events the messages point at, read beside the transaction while it
    // begins and locks the checkpoint, not inside it after the lock: stored events never change
    // (append-only), so the answer is the same, and every read model's way is one round trip shorter.
    const reading = readByPositions(
      opts.db,
      claims.flatMap((c) => (c ? [c.position] : [])),
      // Only what this projection applies is parsed; the rest is only checked against its message.
      { registry, decode: (type) => handles(projection, type) },
    );
    // Awaited below; if the transaction fails first, its error is the batch's, and this one is not left unhandled.
    reading.catch(() => undefined);
    await opts.db.transaction().execute(async (trx) => {
      const cp = await lockCheckpoint(trx, projection.name);
      const fresh: StoredEvent[] = [];
      let next = cp;
      const stored = await reading;
      msgs.forEach((m, i) => {
        const c = claims[i];
        if (!c) return; // unreadable: refused by the caller
        const e = stored.get(c.position);
        if (!e || e.eventId !== c.eventId || e.txId !== c.txId || e.streamId !== c.streamId || e.type !== c.type) return refuse(m, c, e);
        const cursor = { txId: e.txId, position: e.position };
        // The store cursor, not the JetStream sequence: a recreated stream restarts its sequence.
        if (compareCursors(cursor, cp.cursor) <= 0) {
          stats.skipped++;
          return;
        }
        next = { cursor, streamSeq: m.seq };
        if (handles(projection, e.type)) fresh.push(e);
      });
      if (fresh.length > 0) await projection.apply(trx, projection.table, fresh);
      if (next !== cp) await saveCheckpoint(trx, projection.name, next);
      stats.applied += fresh.length;
    });
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
        projectorFailures.inc({ projection: projection.name, stage: 'consume' });
        log.warn({ err: e }, 'projection consumer ended; consuming again');
      }
      if (!stopped) await pause(500);
    }
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
      const batch = buffer.splice(0, batchSize);
      // A failed batch is retried here, in order, never nak'd: newer messages may already be in the
      // buffer, and applying them first would move the checkpoint past the failed ones.
      for (let attempt = 1; ; attempt++) {
        try {
          // Nothing this read model reads: no transaction, no checkpoint (nothing to apply twice), only
          // the ack. Five projectors each committing every event slowed the commands themselves.
          const claims = batch.map(claimOf);
          if (attempt === 1) batch.forEach((m, i) => claims[i] === undefined && refuse(m, undefined, undefined));
          if (claims.some((c) => c !== undefined && handles(projection, c.type)))
            await inSpan('tuopin.projection.apply', { 'tuopin.projection': projection.name, 'tuopin.positions': claims.flatMap((c) => (c ? [c.position] : [])).join(',') }, () =>
              applyBatch(batch, claims),
            );
          else stats.skipped += batch.length;
          batch[batch.length - 1]!.ack();
          stats.batches++;
          break;
        } catch (e) {
          stats.errors++;
          projectorFailures.inc({ projection: projection.name, stage: 'batch' });
          log.error({ err: e, messages: batch.length, attempt }, 'projection batch failed; retrying it');
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
