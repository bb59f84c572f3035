import Fastify from 'fastify';
import { config } from '../infra/config';
import { createDb } from '../infra/database';
import { connectTemporal } from '../infra/temporal-client';
import { apiApp } from './app';
import { apiDepsOf } from './deps';

/** Starts the API from configuration; closes the listener, Temporal and the pool on SIGINT/SIGTERM. */
const main = async (): Promise<void> => {
  const cfg = config();
  const client = await connectTemporal(cfg);
  const db = createDb(cfg.DATABASE_URL, { applicationName: 'tuopin-api' });
  const app = Fastify({ logger: { level: cfg.LOG_LEVEL }, requestIdHeader: 'x-request-id', disableRequestLogging: true });
  await app.register(apiApp(apiDepsOf(cfg, { client, db })));
  const stop = async () => {
    await app.close();
    await db.destroy();
    await client.connection.close();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await app.listen({ port: cfg.API_PORT, host: cfg.API_HOST });
};

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
