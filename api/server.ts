import Fastify from 'fastify';
import { config, runsAsDevelopment, saltFingerprint } from '../infra/config';
import { createDb } from '../infra/database';
import { REDACTED_PATHS } from '../infra/logger';
import { connectTemporal } from '../infra/temporal-client';
import { startTracing, stopTracing } from '../infra/tracing';
import { apiApp } from './app';
import { apiDepsOf } from './deps';
import { tokenKeyFingerprints, tokenKeysOf } from '../infra/tokens/token-keys';
import { webUi } from './web-ui';

/** The longest one database statement of the API may run. */
const API_STATEMENT_TIMEOUT_MS = 30_000;

/** Starts the API from configuration; closes the listener, Temporal and the pool on SIGINT/SIGTERM. */
const main = async (): Promise<void> => {
  const cfg = config();
  // Keys first: a process that would refuse every token (or accept forged ones) does not connect to anything.
  const tokenKeys = tokenKeysOf(cfg);
  // Before the client: with tracing on, it carries each request's span into the Updates it sends.
  startTracing('tuopin-api', { endpoint: cfg.OTEL_EXPORTER_OTLP_ENDPOINT });
  const client = await connectTemporal(cfg);
  // A request's query that runs past 30 s is ended by the database: no unbounded read holds the pool.
  const db = createDb(cfg.DATABASE_URL, { applicationName: 'tuopin-api', statementTimeoutMs: API_STATEMENT_TIMEOUT_MS });
  const app = Fastify({ logger: { level: cfg.LOG_LEVEL, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, requestIdHeader: 'x-request-id', disableRequestLogging: true });
  // Fingerprints, never keys: enough to tell which keys a process runs with, and that it is not the development one.
  app.log.info(
    { mode: runsAsDevelopment(cfg) ? 'development' : 'production', tokenKeys: tokenKeyFingerprints(tokenKeys), memberKeySalt: saltFingerprint(cfg.MEMBER_KEY_SALT) },
    runsAsDevelopment(cfg) ? 'API starting in development mode: development keys allowed' : 'API starting',
  );
  await app.register(apiApp(apiDepsOf(cfg, { client, db }, { tokenKeys })));
  await app.register(webUi({ log: app.log }));
  /**
   * Graceful: fastify stops accepting, answers 503 to requests that still arrive on open
   * connections (so /readyz reads not ready while draining), and lets the requests under way (an
   * Update waiting for its workflow) finish; past SHUTDOWN_GRACE_MS the process exits anyway.
   */
  const stop = async (signal: NodeJS.Signals) => {
    app.log.info({ signal, graceMs: cfg.SHUTDOWN_GRACE_MS }, 'draining: no new requests, finishing those under way');
    setTimeout(() => {
      app.log.error({ graceMs: cfg.SHUTDOWN_GRACE_MS }, 'requests still under way after the grace time: exiting');
      process.exit(1);
    }, cfg.SHUTDOWN_GRACE_MS).unref();
    await app.close();
    await db.destroy();
    await client.connection.close();
    await stopTracing();
    app.log.info('stopped cleanly');
  };
  const onSignal = (signal: NodeJS.Signals) =>
    stop(signal).then(
      () => process.exit(0),
      (e: unknown) => {
        app.log.error({ err: e }, 'stop failed');
        process.exit(1);
      },
    );
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await app.listen({ port: cfg.API_PORT, host: cfg.API_HOST });
};

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
