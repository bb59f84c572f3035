import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectNats, ensureEventStream, jetstreamManager } from '../infra/nats';
import { freeLoopbackPort } from '../infra/temporal-runtime';
import { isListening, waitFor } from '../infra/stack/probe';
import { startTestStack, spawnWorker, type TestStack, type WorkerProcess } from '../test/support/stack';
import { startProject, toLibrary } from '../test/support/project-walk';

jest.setTimeout(240_000);

const readyz = async (port: number): Promise<{ status: number; body: string } | null> => {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3_000) });
    return { status: r.status, body: await r.text() };
  } catch {
    return null;
  }
};

/**
 * NATS carries events to the read models; it is not the record. A worker started while NATS is down
 * (its own nats-server here, not yet started; the machine's is never stopped) must take workflow tasks
 * at once, answer not ready naming NATS, and start its relay once NATS answers (npm run chaos found it
 * exiting instead).
 */
describe('a worker started while NATS is down', () => {
  let stack: TestStack;
  let worker: WorkerProcess | undefined;
  let nats: ChildProcess | undefined;
  const store = mkdtempSync(path.join(tmpdir(), 'tuopin-natsdown-'));
  beforeAll(async () => {
    stack = await startTestStack('natsdown', { inProcessWorker: false });
  });
  afterAll(async () => {
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
    await worker?.exited;
    nats?.kill('SIGKILL');
    rmSync(store, { recursive: true, force: true });
    await stack?.stop();
  });

  it('runs the workflows, reads not ready for NATS, and relays once NATS answers', async () => {
    const natsPort = await freeLoopbackPort();
    const httpPort = await freeLoopbackPort();
    const natsUrl = `nats://127.0.0.1:${natsPort}`;
    worker = spawnWorker(stack, { NATS_URL: natsUrl, WORKER_HTTP_PORT: String(httpPort) });
    await waitFor('the worker to answer', async () => (await readyz(httpPort)) !== null, 120_000);
    const before = await readyz(httpPort);
    expect(before?.status).toBe(503);
    expect(before?.body).toContain('nats');

    // Approvals go on without NATS: a project taken to the library through its Updates and activities.
    const h = await startProject(stack);
    await toLibrary(h);
    expect(worker.child.exitCode).toBeNull();

    nats = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(natsPort), '-sd', store], { stdio: 'ignore' });
    await waitFor('nats-server', () => isListening('127.0.0.1', natsPort, 300), 20_000);
    const nc = await connectNats(natsUrl, 'tuopin-natsdown-test');
    try {
      const jsm = await jetstreamManager(nc);
      await ensureEventStream(jsm, stack.env.NATS_STREAM!, stack.env.NATS_SUBJECT_PREFIX!, { maxAgeDays: 1, maxBytes: 64 * 1024 ** 2 });
      await waitFor('the worker to read ready', async () => (await readyz(httpPort))?.status === 200, 60_000);
      // The relay publishes what the store took while NATS was down.
      await waitFor('the relay to publish', async () => (await jsm.streams.info(stack.env.NATS_STREAM!)).state.messages > 0, 60_000);
    } finally {
      await nc.close();
    }
  });
});
