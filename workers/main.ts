import { config, runsAsDevelopment, saltFingerprint } from '../infra/config';
import { createDb } from '../infra/database';
import { logger } from '../infra/logger';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '../infra/nats';
import { startRelay } from '../infra/relay/relay';
import { startProjector, type Projector } from '../infra/projections/projector';
import { PROJECTIONS } from '../infra/projections/all';
import { createProjectWorker } from './project-worker';
import { createExitWorker } from './exit-worker';
import { startOperationsServer } from './operations-server';
import { natsProbe, postgresProbes, temporalProbe } from '../infra/health';
import { freeLoopbackPort, installTemporalRuntime, sdkMetricsText } from '../infra/temporal-runtime';
import { compareCursors, headCursor, verify } from '../infra/eventstore';
import { checkpointChains } from '../infra/eventstore/chain-checkpoints';
import { startTracing, stopTracing } from '../infra/tracing';

/** How long a stopping worker waits for its relay to publish what is committed before stopping it. */
const RELAY_DRAIN_MS = 5_000;

/** Verifies every hash chain now and then every `minutes` (the metric `tuopin_verify_ok`); a run that cannot finish is logged. */
const verifyEvery = (db: Parameters<typeof verify>[0], minutes: number): { stop(): Promise<void> } => {
  let current: Promise<unknown> = Promise.resolve();
  const run = () => {
    current = verify(db).then(
      (r) =>
        r.ok
          ? logger.info({ streams: r.streams, events: r.events }, 'every hash chain holds')
          : logger.error({ firstBroken: r.firstBroken, broken: r.broken }, 'event store verification failed'),
      (err: unknown) => logger.error({ err }, 'event store verification could not run'),
    );
  };
  run();
  const timer = setInterval(run, minutes * 60_000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await current;
    },
  };
};

/**
 * Checkpoints the events appended since the last run every `seconds` (chain-checkpoints.ts), so an
 * audit trail walks at most that much of any stream; one run at a time, a failed one logged. Each run
 * looks only at the streams written since the one before (its gate); the first run after a start,
 * and one an hour, look at every stream, so a broken link is reported again at least hourly.
 */
const checkpointEvery = (db: Parameters<typeof checkpointChains>[0], seconds: number): { stop(): Promise<void> } => {
  let current: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let since: string | undefined;
  let runs = 0;
  const fullEvery = Math.max(1, Math.round(3600 / seconds));
  const run = () => {
    current = checkpointChains(db, runs++ % fullEvery === 0 ? {} : { since }).then(
      (r) => {
        since = r.gate;
        if (r.broken.length > 0) logger.error({ broken: r.broken.slice(0, 10), streams: r.broken.length }, 'chain checkpoints stopped at broken links');
        else if (r.added > 0) logger.debug({ added: r.added, streams: r.streams }, 'chain checkpoints added');
      },
      (err: unknown) => logger.error({ err }, 'chain checkpoints could not be added'),
    );
    void current.then(() => {
      if (!stopped) timer = setTimeout(run, seconds * 1000).unref();
    });
  };
  let timer = setTimeout(run, 0).unref();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
};

/** The relay and the projectors, over one NATS connection. */
interface Delivery {
  readonly nc: NatsConnection;
  readonly relay: Awaited<ReturnType<typeof startRelay>>;
  readonly projector: Projector;
}

/**
 * Everything one machine needs in one process: the Temporal worker, the relay (store → JetStream)
 * and the projectors. Each part also scales out on its own; the relay holds a lock so only one
 * relays at a time, and workers feeding the same read models share one durable consumer.
 */
export const startAll = async (cfg = config(), opts: { readonly httpPort?: number } = {}) => {
  // The SDK's runtime metrics are passed on by the worker's /metrics: only where it serves one.
  if (opts.httpPort !== undefined) installTemporalRuntime({ metricsPort: await freeLoopbackPort() });
  startTracing('tuopin-worker', { endpoint: cfg.OTEL_EXPORTER_OTLP_ENDPOINT });
  const db = createDb(cfg.DATABASE_URL, { applicationName: 'tuopin-worker' });
  let delivery: Delivery | undefined;
  let stopping = false;
  const startDelivery = async (nc: NatsConnection): Promise<void> => {
    if (stopping) return void (await nc.close());
    const relay = await startRelay({ db, databaseUrl: cfg.DATABASE_URL, nc, streamName: cfg.NATS_STREAM, subjectPrefix: cfg.NATS_SUBJECT_PREFIX });
    const projector = await startProjector({ db, nc, streamName: cfg.NATS_STREAM, projections: PROJECTIONS });
    delivery = { nc, relay, projector };
  };
  // NATS carries events to the read models; it is not the record. A worker started while NATS is down
  // runs its Temporal workers (approvals, payments, exits go on) and starts the relay and projectors once
  // NATS answers: before, it exited, and under a supervisor nothing took workflow tasks for the outage
  // (found by npm run chaos).
  const first = await connectNats(cfg.NATS_URL, 'tuopin-worker').catch((err: unknown) => {
    logger.warn({ err, natsUrl: cfg.NATS_URL }, 'NATS unreachable at start: the Temporal workers run; the relay and projectors start once it answers');
    return undefined;
  });
  if (first) await startDelivery(first);
  else
    void connectNats(cfg.NATS_URL, 'tuopin-worker', { waitOnFirstConnect: true })
      .then(startDelivery)
      .then(
        () => delivery && logger.info('NATS answers: relay and projectors running'),
        (err: unknown) => logger.error({ err }, 'relay and projectors could not start'),
      );
  const { worker, connection } = await createProjectWorker(cfg, db);
  const exits = await createExitWorker(cfg, db);
  const running = Promise.all([worker.run(), exits.worker.run()]).then(() => undefined);
  let draining = false;
  // Operators' endpoints only where asked for (npm run worker, tuopin worker): a test or the demo runs several workers in one machine.
  const operations =
    opts.httpPort === undefined
      ? undefined
      : await startOperationsServer({
          port: opts.httpPort,
          host: cfg.WORKER_HTTP_HOST,
          db,
          extraMetrics: sdkMetricsText,
          probes: {
            // First: a balancer stops sending work to a process that is shutting down.
            draining: async () => {
              if (draining) throw new Error('shutting down: draining activities and Updates');
            },
            ...postgresProbes(db),
            nats: async () => {
              if (!delivery) throw new Error('not connected yet: relay and projectors wait for NATS');
              await natsProbe(delivery.nc);
            },
            temporal: () => temporalProbe(connection),
            workers: async () => {
              const states = [worker.getState(), exits.worker.getState()];
              if (states.some((s) => s !== 'RUNNING')) throw new Error(`worker states ${states.join(', ')}`);
            },
          },
        });
  logger.info(
    {
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      namespace: cfg.TEMPORAL_NAMESPACE,
      mode: runsAsDevelopment(cfg) ? 'development' : 'production',
      memberKeySalt: saltFingerprint(cfg.MEMBER_KEY_SALT),
    },
    'worker, relay and projectors running',
  );
  const verifying = opts.httpPort !== undefined && cfg.VERIFY_INTERVAL_MINUTES > 0 ? verifyEvery(db, cfg.VERIFY_INTERVAL_MINUTES) : undefined;
  const checkpointing = opts.httpPort !== undefined && cfg.CHAIN_CHECKPOINT_INTERVAL_SECONDS > 0 ? checkpointEvery(db, cfg.CHAIN_CHECKPOINT_INTERVAL_SECONDS) : undefined;
  /**
   * Graceful: /readyz answers 503 from the first moment; the Temporal workers stop polling and let
   * the activities and Updates under way finish (SHUTDOWN_GRACE_MS) and report; the relay publishes
   * what is committed (bounded); each projector finishes its batch, commits its checkpoint and
   * leaves the rest unacknowledged for the next one; the operators' endpoints close last.
   */
  const stop = async () => {
    draining = true;
    stopping = true;
    logger.info({ graceMs: cfg.SHUTDOWN_GRACE_MS }, 'draining: polling stopped, finishing the work under way');
    if (worker.getState() === 'RUNNING') worker.shutdown();
    if (exits.worker.getState() === 'RUNNING') exits.worker.shutdown();
    await running;
    await connection.close();
    await exits.connection.close();
    await verifying?.stop();
    await checkpointing?.stop();
    const d = delivery;
    if (d) {
      const head = await headCursor(db);
      for (const t0 = Date.now(); d.relay.stats.leader && compareCursors(d.relay.stats.cursor, head) < 0 && Date.now() - t0 < RELAY_DRAIN_MS;)
        await new Promise((r) => setTimeout(r, 50));
      await d.projector.stop();
      await d.relay.stop();
    }
    await operations?.close();
    await d?.nc.close();
    await db.destroy();
    await stopTracing();
    logger.info({ relayCursor: d?.relay.stats.cursor ?? null }, 'stopped cleanly');
  };
  return { worker, running, stop, operationsPort: operations?.port };
};

/** Runs until SIGINT or SIGTERM, then drains (`stop`) and resolves; rejects when a Temporal worker fails on its own or the drain fails. */
export const untilSignalled = (all: Pick<Awaited<ReturnType<typeof startAll>>, 'running' | 'stop'>): Promise<void> =>
  new Promise((resolve, reject) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'stopping');
      all.stop().then(resolve, reject);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    all.running.catch(reject);
  });

if (require.main === module) {
  const cfg = config();
  startAll(cfg, cfg.WORKER_HTTP_PORT > 0 ? { httpPort: cfg.WORKER_HTTP_PORT } : {})
    .then(untilSignalled)
    .then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ err: e }, 'worker failed');
        process.exit(1);
      },
    );
}
