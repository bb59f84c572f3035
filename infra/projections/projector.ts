import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Kysely } from 'kysely';
import { eventRegistry as defaultRegistry } from '../../domain/event-types';
import type { EventRegistry } from '../../domain/shared/events';
import type { Database } from '../database';
import { upcast } from '../eventstore/codec';
import { compareCursors } from '../eventstore/cursor';
import type { StoredEvent } from '../eventstore/types';
import { logger as rootLogger, type Logger } from '../logger';
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
}

export interface Projector {
  readonly stats: Readonly<ProjectorStats>;
  stop(): Promise<void>;
}

/**
 * Feeds a projection from a JetStream durable consumer. Each batch is applied and its checkpoint
 * written in one PostgreSQL transaction, then acknowledged: a message that comes again (a
 * redelivery, or a republish after JetStream's duplicate window) is at or below the checkpoint and is
 * skipped, so its effect happens exactly once. A failed batch is retried in place until it applies,
 * before anything after it; `max_ack_pending` equals the batch size, so no more than one batch
 * waits unacknowledged.
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
  const stats: ProjectorStats = { applied: 0, skipped: 0, batches: 0, errors: 0 };
  let stopped = false;

  const applyBatch = async (msgs: readonly JsMsg[]): Promise<void> => {
    await opts.db.transaction().execute(async (trx) => {
      const cp = await lockCheckpoint(trx, projection.name);
      const fresh: StoredEvent[] = [];
      let next = cp;
      for (const m of msgs) {
        const e = m.json<StoredEvent>();
        const cursor = { txId: e.txId, position: e.position };
        // The store cursor, not the JetStream sequence: a recreated stream restarts its sequence.
        if (compareCursors(cursor, cp.cursor) <= 0) {
          stats.skipped++;
          continue;
        }
        next = { cursor, streamSeq: m.seq };
        if (handles(projection, e.type)) {
          const data = upcast(registry, e.type, e.schemaVersion, e.data, `event ${e.eventId}`);
          fresh.push({ ...e, data });
        }
      }
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
          if (batch.some((m) => handles(projection, m.json<{ type: string }>().type))) await applyBatch(batch);
          else stats.skipped += batch.length;
          batch[batch.length - 1]!.ack();
          stats.batches++;
          break;
        } catch (e) {
          stats.errors++;
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
