import type { Config } from '../config';
import { databaseName, ensureDatabase, runMigrations } from '../migrate';
import { connectNats, ensureEventStream, jetstreamManager } from '../nats';

type Say = (line: string) => void;

/** Creates the database if missing, runs the migrations and makes sure the JetStream stream exists. */
export const prepareStores = async (cfg: Config, say: Say): Promise<void> => {
  await ensureDatabase(cfg.DATABASE_ADMIN_URL);
  await runMigrations(cfg.DATABASE_ADMIN_URL);
  say(`PostgreSQL: database ${databaseName(cfg.DATABASE_ADMIN_URL)} migrated`);
  const nc = await connectNats(cfg.NATS_URL, 'tuopin-stack');
  try {
    const info = await ensureEventStream(await jetstreamManager(nc), cfg.NATS_STREAM, cfg.NATS_SUBJECT_PREFIX);
    say(`NATS: stream ${info.config.name} carries ${info.config.subjects?.join(', ')} (${info.state.messages} messages)`);
  } finally {
    await nc.close();
  }
};
