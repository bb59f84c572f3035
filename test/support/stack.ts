import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { parseConfig, type Config } from '../../infra/config';
import { connectTemporal } from '../../infra/temporal-client';
import { startAll } from '../../workers/main';
import { createTestDatabase, type TestDatabase } from './database';
import { createTestEventStream, type TestEventStream } from './nats';

export interface TestStack {
  readonly cfg: Config;
  readonly db: TestDatabase;
  readonly events: TestEventStream;
  readonly client: Client;
  readonly taskQueue: string;
  stop(): Promise<void>;
}

/**
 * The whole path for one test file, isolated: a fresh database, a fresh JetStream stream, and the
 * real worker, relay and projectors on a task queue of its own, against the running Temporal dev
 * server (`npm test` brings it up first).
 */
export const startTestStack = async (label: string): Promise<TestStack> => {
  const db = await createTestDatabase(label);
  const events = await createTestEventStream(label);
  const taskQueue = `test-${label}-${randomBytes(4).toString('hex')}`;
  const cfg = parseConfig({
    ...process.env,
    DATABASE_URL: db.appUrl,
    DATABASE_ADMIN_URL: db.adminUrl,
    NATS_STREAM: events.streamName,
    NATS_SUBJECT_PREFIX: events.subjectPrefix,
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_EXIT_TASK_QUEUE: `${taskQueue}-exits`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const all = await startAll(cfg);
  const client = await connectTemporal(cfg);
  return {
    cfg,
    db,
    events,
    client,
    taskQueue,
    stop: async () => {
      await client.connection.close();
      await all.stop();
      await events.close();
      await db.drop();
    },
  };
};
