import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { Connection } from '@temporalio/client';
import { apiApp } from '../api/app';
import type { ApiDeps } from '../api/deps';
import { createDb } from './database';
import { ensureDatabase, runMigrations, withUser } from './migrate';
import { freeLoopbackPort } from './temporal-runtime';
import { startOwnPostgres, type OwnPostgres } from '../test/support/own-postgres';
import { createTestEventStream, type TestEventStream } from '../test/support/nats';
import { spawnWorker, type WorkerProcess } from '../test/support/stack';
import { until } from '../test/support/until';

jest.setTimeout(240_000);

interface Ready {
  readonly status: number | 'refused';
  readonly failed: readonly string[];
}

const readyOf = async (get: () => Promise<{ status: number; body: string }>): Promise<Ready> => {
  try {
    const r = await get();
    const body = JSON.parse(r.body) as { checks?: { name: string; ok: boolean }[] };
    return { status: r.status, failed: (body.checks ?? []).filter((c) => !c.ok).map((c) => c.name) };
  } catch {
    return { status: 'refused', failed: [] };
  }
};

/**
 * Readiness follows PostgreSQL: on a cluster of the test's own (killed and started again here; the
 * machine's PostgreSQL is never touched), the worker's and the API's /readyz answer 503 naming
 * PostgreSQL while it is down, and 200 again once it is back, without a restart of either.
 */
describe('/readyz while PostgreSQL goes down and comes back', () => {
  let pg: OwnPostgres;
  let events: TestEventStream;
  let worker: WorkerProcess;
  let connection: Connection;
  let api: FastifyInstance;
  let apiDb: ReturnType<typeof createDb>;
  let port: number;

  beforeAll(async () => {
    pg = await startOwnPostgres();
    const adminUrl = pg.url('tuopin_ready');
    await ensureDatabase(adminUrl);
    await runMigrations(adminUrl, 'tuopin_app');
    events = await createTestEventStream('ready');
    port = await freeLoopbackPort();
    const queue = `test-ready-${randomBytes(4).toString('hex')}`;
    worker = spawnWorker(
      {
        env: {
          DATABASE_URL: withUser(adminUrl, 'tuopin_app'),
          DATABASE_ADMIN_URL: adminUrl,
          NATS_STREAM: events.streamName,
          NATS_SUBJECT_PREFIX: events.subjectPrefix,
          TEMPORAL_TASK_QUEUE: queue,
          TEMPORAL_EXIT_TASK_QUEUE: `${queue}-exits`,
          WORKER_HTTP_PORT: String(port),
          VERIFY_INTERVAL_MINUTES: '0',
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        },
      },
      // As an operator starts it: the CLI's bundle, whose migrations probe once looked for .build/migrations and never read ready.
      {},
      { through: 'cli' },
    );
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
    apiDb = createDb(withUser(adminUrl, 'tuopin_app'), { max: 2, applicationName: 'test-ready-api' });
    api = Fastify({ logger: false });
    await api.register(apiApp({ db: apiDb, client: { connection }, tokenKeys: { verify: [] } } as unknown as ApiDeps));
    await api.ready();
  });
  afterAll(async () => {
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
    await worker?.exited;
    await api?.close();
    await apiDb?.destroy().catch(() => undefined);
    await connection?.close();
    await events?.close();
    await pg?.destroy();
  });

  it('answers 503 naming PostgreSQL while it is down, and 200 once it is back', async () => {
    const workerReady = () =>
      readyOf(async () => {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(5_000) });
        return { status: r.status, body: await r.text() };
      });
    const apiReady = () =>
      readyOf(async () => {
        const r = await api.inject({ method: 'GET', url: '/readyz' });
        return { status: r.statusCode, body: r.body };
      });
    const up = { ok: (r: Ready) => r.status === 200 };
    // Exactly PostgreSQL's two checks: a Temporal or NATS probe past its 2 s on a loaded machine fails a read now and then,
    // and a wait on PostgreSQL's alone could end on that read.
    const down = { ok: (r: Ready) => r.status === 503 && r.failed.join() === 'postgres,migrations' };

    expect(await until('the worker ready', workerReady, up)).toEqual({ status: 200, failed: [] });
    expect(await until('the API ready', apiReady, up)).toEqual({ status: 200, failed: [] });

    await pg.kill();
    expect(await until('the worker not ready for PostgreSQL', workerReady, down)).toEqual({ status: 503, failed: ['postgres', 'migrations'] });
    expect(await until('the API not ready for PostgreSQL', apiReady, down)).toEqual({ status: 503, failed: ['postgres', 'migrations'] });

    await pg.start();
    expect(await until('the worker ready again', workerReady, up)).toEqual({ status: 200, failed: [] });
    expect(await until('the API ready again', apiReady, up)).toEqual({ status: 200, failed: [] });
    // The worker lived through it: still running, and it stops cleanly.
    expect(worker.child.exitCode).toBeNull();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });
});
