import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
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
  /** The environment a worker process for this stack needs (its database, stream and queues). */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  /**
   * false: no worker in this process; start one with `spawnWorker` (e.g. to SIGKILL it mid-payment).
   * Default true.
   */
  readonly inProcessWorker?: boolean;
  /** More settings for this stack's processes (e.g. production mode with the test's own token keys). */
  readonly env?: Record<string, string>;
}

/**
 * The whole path for one test file, isolated: a fresh database, a fresh JetStream stream, and the
 * real worker, relay and projectors on a task queue of its own, against the running Temporal dev
 * server (`npm test` brings it up first).
 */
export const startTestStack = async (label: string, opts: TestStackOptions = {}): Promise<TestStack> => {
  const db = await createTestDatabase(label);
  const events = await createTestEventStream(label);
  const taskQueue = `test-${label}-${randomBytes(4).toString('hex')}`;
  const env = {
    DATABASE_URL: db.appUrl,
    DATABASE_ADMIN_URL: db.adminUrl,
    NATS_STREAM: events.streamName,
    NATS_SUBJECT_PREFIX: events.subjectPrefix,
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_EXIT_TASK_QUEUE: `${taskQueue}-exits`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // The tests' namespace is configured for tests: their short notices and warranties are taken (issue 11 point 15).
    TUOPIN_SIMULATION_NAMESPACES: [process.env.TUOPIN_SIMULATION_NAMESPACES, process.env.TEMPORAL_NAMESPACE ?? 'tuopin'].filter(Boolean).join(','),
    ...opts.env,
  };
  const cfg = parseConfig({ ...process.env, ...env });
  const all = opts.inProcessWorker === false ? undefined : await startAll(cfg);
  const client = await connectTemporal(cfg);
  return {
    cfg,
    db,
    events,
    client,
    taskQueue,
    env,
    stop: async () => {
      await client.connection.close();
      await all?.stop();
      await events.close();
      await db.drop();
    },
  };
};

/** The ids of the workflows a visibility query lists now (visibility trails the workflow: wait with `until`). */
export const listedWorkflowIds = async (client: Client, query: string): Promise<string[]> => {
  const ids: string[] = [];
  for await (const w of client.workflow.list({ query })) ids.push(w.workflowId);
  return ids;
};

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<number | string | null>;
}

/**
 * The worker, relay and projectors as a separate process (workers/main.ts), so a test can kill it
 * without warning. Node runs it directly (not through npx), so the pid is the worker's own. With
 * `through: 'cli'`, as an operator starts it, `bin/tuopin worker` (the CLI's bundle; bin/tuopin execs
 * node, so the pid is still the worker's).
 */
export const spawnWorker = (stack: Pick<TestStack, 'env'>, extraEnv: Record<string, string> = {}, opts: { readonly through?: 'sources' | 'cli' } = {}): WorkerProcess => {
  const root = path.join(__dirname, '..', '..');
  const [command, args] = opts.through === 'cli' ? [path.join(root, 'bin', 'tuopin'), ['worker']] : [process.execPath, ['--import', 'tsx', path.join(root, 'workers', 'main.ts')]];
  const child = spawn(command, args, {
    // No operators' port unless asked for: the default 9464 would clash between tests running at once.
    env: { ...process.env, WORKER_HTTP_PORT: '0', ...stack.env, ...extraEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return { child, exited };
};
