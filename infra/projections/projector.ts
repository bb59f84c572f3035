import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Kysely } from 'kysely';
import { eventRegistry as defaultRegistry } from '../../domain/registry';
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
 * skipped, so its effect happens exactly once. `max_ack_pending` equals the batch size, so a failed
 * batch is redelivered before anything newer can arrive and order is kept.
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

  const run = async (): Promise<void> => {
    while (!stopped) {
      const msgs: JsMsg[] = [];
      try {
        // Two missed heartbeats (half of expires each) end a fetch; on a loaded machine 2s is kinder than 1s.
        const iter = await consumer.fetch({ max_messages: batchSize, expires: 2000 });
        for await (const m of iter) msgs.push(m);
        if (msgs.length === 0) continue;
        await applyBatch(msgs);
        msgs[msgs.length - 1]!.ack();
        stats.batches++;
      } catch (e) {
        stats.errors++;
        // A fetch that lost its heartbeats is a slow moment, not a fault: the batch simply comes again.
        const transient = e instanceof Error && /heartbeats missed/.test(e.message);
        log[transient ? 'warn' : 'error']({ err: e, messages: msgs.length }, 'projection batch failed; it will be redelivered');
        for (const m of msgs) m.nak(1000);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const running = run();
  return {
    stats,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
};
