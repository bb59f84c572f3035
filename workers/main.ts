import { config, runsAsDevelopment, saltFingerprint } from '../infra/config';
import { createDb } from '../infra/database';
import { logger } from '../infra/logger';
import { createProjectWorker } from './project-worker';
import { createExitWorker } from './exit-worker';
import { startOperationsServer } from './operations-server';
import { postgresProbes, temporalProbe } from '../infra/health';
import { freeLoopbackPort, installTemporalRuntime, sdkMetricsText } from '../infra/temporal-runtime';
import { verify } from '../infra/eventstore';
import { checkpointChains } from '../infra/eventstore/chain-checkpoints';
import { startTracing, stopTracing } from '../infra/tracing';
import { startDelivery } from './delivery';

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

/**
 * Everything one machine needs in one process: the Temporal worker, and in a thread of their own the
 * relay (store → JetStream) and the projectors (workers/delivery.ts). Each part also scales out on its own; the relay holds a lock so only one
 * relays at a time, and workers feeding the same read models share one durable consumer.
 */
export const startAll = async (cfg = config(), opts: { readonly httpPort?: number } = {}) => {
  // The SDK's runtime metrics are passed on by the worker's /metrics: only where it serves one.
  if (opts.httpPort !== undefined) installTemporalRuntime({ metricsPort: await freeLoopbackPort() });
  startTracing('tuopin-worker', { endpoint: cfg.OTEL_EXPORTER_OTLP_ENDPOINT });
  const db = createDb(cfg.DATABASE_URL, { applicationName: 'tuopin-worker' });
  // The relay and the projectors, in a thread of their own (workers/delivery.ts), which loads its code
  // while the Temporal workers are made here. Started while NATS is down, they start once it answers,
  // and the Temporal workers run meanwhile (approvals, payments, exits go on).
  const delivery = startDelivery(cfg, db);
  const deliveryStarted = delivery.started.then(
    () => undefined,
    (e: unknown) => e,
  );
  const made: { close(): Promise<void> }[] = [];
  let worker: Awaited<ReturnType<typeof createProjectWorker>>['worker'];
  let connection: Awaited<ReturnType<typeof createProjectWorker>>['connection'];
  let exits: Awaited<ReturnType<typeof createExitWorker>>;
  try {
    ({ worker, connection } = await createProjectWorker(cfg, db));
    made.push(connection);
    exits = await createExitWorker(cfg, db);
    made.push(exits.connection);
    const failed = await deliveryStarted;
    if (failed) throw failed;
  } catch (e) {
    for (const c of made) await c.close();
    await delivery.stop();
    await db.destroy();
    throw e;
  }
  const workersRan = Promise.all([worker.run(), exits.worker.run()]).then(() => undefined);
  // A failed delivery thread fails the worker, as an error escaping the relay or a projector did on its thread.
  const running = Promise.race([workersRan, delivery.failed]);
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
          threadMetrics: async () => [await delivery.metrics()],
          probes: {
            // First: a balancer stops sending work to a process that is shutting down.
            draining: async () => {
              if (draining) throw new Error('shutting down: draining activities and Updates');
            },
            ...postgresProbes(db),
            nats: () => delivery.probeNats(),
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
    logger.info({ graceMs: cfg.SHUTDOWN_GRACE_MS }, 'draining: polling stopped, finishing the work under way');
    if (worker.getState() === 'RUNNING') worker.shutdown();
    if (exits.worker.getState() === 'RUNNING') exits.worker.shutdown();
    await workersRan;
    await connection.close();
    await exits.connection.close();
    await verifying?.stop();
    await checkpointing?.stop();
    const relayCursor = await delivery.stop();
    await operations?.close();
    await db.destroy();
    await stopTracing();
    logger.info({ relayCursor }, 'stopped cleanly');
  };
  return { worker, running, stop, operationsPort: operations?.port };
};

/**
 * Starts the worker (`start`), runs it until SIGINT or SIGTERM, then drains (`stop`) and resolves;
 * rejects when the start fails, a Temporal worker fails on its own, or the drain fails. The handlers
 * come before the start, which takes seconds under load: a signal meanwhile stops the worker as soon
 * as it has started (before, the SDK's runtime took it alone and the process waited for another).
 */
export const runUntilSignalled = async (start: () => Promise<{ readonly running: Promise<unknown>; stop(): Promise<unknown> }>): Promise<void> => {
  let signalled!: () => void;
  const asked = new Promise<void>((resolve) => (signalled = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping');
    signalled();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const all = await start();
  await new Promise<void>((resolve, reject) => {
    void asked.then(() => all.stop().then(() => resolve(), reject));
    all.running.catch(reject);
  });
};

/** The worker as `npm run worker` and `tuopin worker` run it: its operators' endpoints on WORKER_HTTP_PORT (0: none), until signalled. */
export const runWorker = (cfg = config()): Promise<void> => runUntilSignalled(() => startAll(cfg, cfg.WORKER_HTTP_PORT > 0 ? { httpPort: cfg.WORKER_HTTP_PORT } : {}));

if (require.main === module) {
  runWorker().then(
    () => process.exit(0),
    (e: unknown) => {
      logger.error({ err: e }, 'worker failed');
      process.exit(1);
    },
  );
}
