import { config, runsAsDevelopment, saltFingerprint } from '../infra/config';
import { createDb } from '../infra/database';
import { logger } from '../infra/logger';
import { connectNats } from '../infra/nats';
import { startRelay } from '../infra/relay/relay';
import { startProjector, type Projector } from '../infra/projections/projector';
import { PROJECTIONS } from '../infra/projections/all';
import { createProjectWorker } from './project-worker';
import { createExitWorker } from './exit-worker';
import { startOperationsServer } from './operations-server';
import { natsProbe, postgresProbes, temporalProbe } from '../infra/health';

/**
 * Everything one machine needs in one process: the Temporal worker, the relay (store → JetStream)
 * and the projectors. Each part also scales out on its own; the relay holds a lock so only one
 * relays at a time, and projectors share durable consumers.
 */
export const startAll = async (cfg = config(), opts: { readonly httpPort?: number } = {}) => {
  const db = createDb(cfg.DATABASE_URL, { applicationName: 'tuopin-worker' });
  const nc = await connectNats(cfg.NATS_URL, 'tuopin-worker');
  const relay = await startRelay({ db, databaseUrl: cfg.DATABASE_URL, nc, streamName: cfg.NATS_STREAM, subjectPrefix: cfg.NATS_SUBJECT_PREFIX });
  const projectors: Projector[] = [];
  for (const projection of PROJECTIONS) projectors.push(await startProjector({ db, nc, streamName: cfg.NATS_STREAM, projection }));
  const { worker, connection } = await createProjectWorker(cfg, db);
  const exits = await createExitWorker(cfg, db);
  const running = Promise.all([worker.run(), exits.worker.run()]).then(() => undefined);
  // Operators' endpoints only where asked for (npm run worker, tuopin worker): a test or the demo runs several workers in one machine.
  const operations =
    opts.httpPort === undefined
      ? undefined
      : await startOperationsServer({
          port: opts.httpPort,
          host: cfg.WORKER_HTTP_HOST,
          db,
          probes: {
            ...postgresProbes(db),
            nats: () => natsProbe(nc),
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
  const stop = async () => {
    await operations?.close();
    if (worker.getState() === 'RUNNING') worker.shutdown();
    if (exits.worker.getState() === 'RUNNING') exits.worker.shutdown();
    await running;
    await connection.close();
    await exits.connection.close();
    await Promise.all(projectors.map((p) => p.stop()));
    await relay.stop();
    await nc.close();
    await db.destroy();
  };
  return { worker, relay, projectors, running, stop, operationsPort: operations?.port };
};

if (require.main === module) {
  const cfg = config();
  startAll(cfg, cfg.WORKER_HTTP_PORT > 0 ? { httpPort: cfg.WORKER_HTTP_PORT } : {}).then(
    (all) => {
      const onSignal = () => {
        logger.info('stopping');
        all.stop().then(
          () => process.exit(0),
          (e: unknown) => {
            logger.error({ err: e }, 'stop failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      all.running.catch((e: unknown) => {
        logger.error({ err: e }, 'worker failed');
        process.exit(1);
      });
    },
    (e: unknown) => {
      logger.error({ err: e }, 'start failed');
      process.exit(1);
    },
  );
}
