import { parentPort, workerData } from 'node:worker_threads';
import type { NatsConnection } from '@nats-io/transport-node';
import { createDb } from '../infra/database';
import { logFileOpen, logger } from '../infra/logger';
import { connectNats } from '../infra/nats';
import { startRelay, type Relay } from '../infra/relay/relay';
import { startProjector, type Projector } from '../infra/projections/projector';
import { PROJECTIONS } from '../infra/projections/all';
import { natsProbe } from '../infra/health';
import { metrics } from '../infra/metrics';
import { compareCursors, headCursor } from '../infra/eventstore';
import { forwardSpans } from '../infra/tracing';
import type { DeliveryData, FromDelivery, ToDelivery } from './delivery';

/**
 * The relay and the projectors, in a thread of their own (started by workers/delivery.ts): their
 * reads, publishes and read-model transactions run beside the Temporal workers' event loop instead of
 * on it, where they raced the workflow tasks that answer Updates (README, "Where an approval's and a
 * payment's time goes").
 */
const port = parentPort!;
const data = workerData as DeliveryData;
const post = (m: FromDelivery): void => port.postMessage(m);

/** How long a stopping worker waits for its relay to publish what is committed before stopping it. */
const RELAY_DRAIN_MS = 5_000;

if (data.traced) forwardSpans('tuopin-worker', (spans) => post({ type: 'spans', spans }));
// A handle of its own, kept small: max_connections is shared by every process on the machine.
const db = createDb(data.databaseUrl, { applicationName: 'tuopin-delivery', max: 4 });
/** Appends of the worker's thread: each posts a wake-up; their NOTIFYs carry its token. */
const wakes = new Set<() => void>();
const appendedHere = {
  token: data.appendedHereToken,
  on: (wake: () => void) => {
    wakes.add(wake);
    return () => void wakes.delete(wake);
  },
};

interface Running {
  readonly nc: NatsConnection;
  readonly relay: Relay;
  readonly projector: Projector;
}
let running: Running | undefined;
let stopping = false;

const start = async (nc: NatsConnection): Promise<void> => {
  if (stopping) return void (await nc.close());
  const relay = await startRelay({ db, databaseUrl: data.databaseUrl, nc, streamName: data.streamName, subjectPrefix: data.subjectPrefix, appendedHere });
  const projector = await startProjector({ db, nc, streamName: data.streamName, projections: PROJECTIONS });
  running = { nc, relay, projector };
};

/**
 * Graceful: the relay publishes what is committed (bounded; the worker's Temporal workers have stopped
 * by now, so nothing more is appended); each projector finishes its batch, commits its checkpoint and
 * leaves the rest unacknowledged for the next one.
 */
const stop = async (): Promise<void> => {
  stopping = true;
  const d = running;
  if (d) {
    const head = await headCursor(db);
    for (const t0 = Date.now(); d.relay.stats.leader && compareCursors(d.relay.stats.cursor, head) < 0 && Date.now() - t0 < RELAY_DRAIN_MS;)
      await new Promise((r) => setTimeout(r, 50));
    await d.projector.stop();
    await d.relay.stop();
    await d.nc.close();
  }
  await db.destroy();
  await logFileOpen();
  post({ type: 'stopped', relayCursor: d?.relay.stats.cursor ?? null });
  // Nothing more to answer: the thread ends once its last handles close (workers/delivery.ts ends it if one lingers).
  port.close();
};

port.on('message', (m: ToDelivery) => {
  if (m.type === 'appended') for (const wake of wakes) wake();
  else if (m.type === 'probe')
    (running ? natsProbe(running.nc) : Promise.reject(new Error('not connected yet: relay and projectors wait for NATS'))).then(
      () => post({ type: 'probe', id: m.id }),
      (e: unknown) => post({ type: 'probe', id: m.id, error: e instanceof Error ? e.message : String(e) }),
    );
  else if (m.type === 'metrics')
    metrics.getMetricsAsJSON().then(
      (json) => post({ type: 'metrics', id: m.id, json }),
      (e: unknown) => post({ type: 'metrics', id: m.id, error: e instanceof Error ? e.message : String(e) }),
    );
  else if (m.type === 'stop')
    stop().catch((e: unknown) => {
      logger.error({ err: e }, 'relay and projectors could not stop cleanly');
      post({ type: 'stopped', relayCursor: running?.relay.stats.cursor ?? null });
      port.close();
    });
});

// NATS carries events to the read models; it is not the record. Started while NATS is down, the worker
// runs its Temporal workers and this thread starts the relay and projectors once NATS answers: before,
// the worker exited, and under a supervisor nothing took workflow tasks for the outage (found by npm run chaos).
void (async () => {
  const first = await connectNats(data.natsUrl, 'tuopin-worker').catch((err: unknown) => {
    logger.warn({ err, natsUrl: data.natsUrl }, 'NATS unreachable at start: the Temporal workers run; the relay and projectors start once it answers');
    return undefined;
  });
  if (first) {
    try {
      await start(first);
      post({ type: 'started', running: true });
    } catch (e) {
      await first.close().catch(() => undefined);
      post({ type: 'started', running: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
    return;
  }
  post({ type: 'started', running: false });
  await connectNats(data.natsUrl, 'tuopin-worker', { waitOnFirstConnect: true })
    .then(start)
    .then(
      () => running && logger.info('NATS answers: relay and projectors running'),
      (err: unknown) => logger.error({ err }, 'relay and projectors could not start'),
    );
})();
