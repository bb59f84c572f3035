import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { freeLoopbackPort } from '../infra/temporal-runtime';
import { ChaosError } from './errors';

/**
 * One worker process (`workers/main.ts`: both Temporal workers, the relay, the projectors) kept
 * running the way an orchestrator would: whenever it ends, killed by the fault run or on its own,
 * another starts with the environment `envNow()` gives at that moment (the rail's switches change
 * during the rail's stretch), and is ready when its /readyz answers 200.
 */
export interface WorkerSlot {
  /** SIGKILL the running worker (by its pid); resolves once it has ended. */
  kill(): Promise<void>;
  /** Resolves when a worker answers ready. */
  ready(): Promise<void>;
  /** Exits we did not cause, with their code or signal. */
  readonly unexpectedExits: string[];
  readonly starts: number;
  /** Seconds from each start to ready. */
  readonly startSeconds: number[];
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const readyz = async (port: number): Promise<boolean> => {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2_000) });
    return r.status === 200;
  } catch {
    return false;
  }
};

export const startWorkerSlot = async (envNow: () => Promise<Record<string, string>>, logDir: string): Promise<WorkerSlot> => {
  let child: ChildProcess | undefined;
  let port = 0;
  let stopping = false;
  let killing = false;
  let readyNow: Promise<void> = Promise.resolve();
  const unexpectedExits: string[] = [];
  const startSeconds: number[] = [];
  let starts = 0;

  const launch = async (): Promise<void> => {
    starts += 1;
    port = await freeLoopbackPort();
    const env = { ...process.env, ...(await envNow()), WORKER_HTTP_PORT: String(port), TUOPIN_LOG_FILE: path.join(logDir, `worker-${starts}.log`) };
    const t0 = Date.now();
    const err = openSync(path.join(logDir, `worker-${starts}.err`), 'a');
    const c = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'workers', 'main.ts')], { env, stdio: ['ignore', 'ignore', err] });
    closeSync(err);
    child = c;
    c.once('exit', (code, signal) => {
      if (stopping) return;
      const ours = killing;
      if (!ours) unexpectedExits.push(`worker ${starts}: ${signal ?? `exit ${code}`}`);
      killing = false;
      // A worker that ended on its own (a service it needs is down) is started again after a pause, as an orchestrator backs off.
      readyNow = sleep(ours ? 0 : 2_000).then(launch);
    });
    for (;;) {
      if (c.exitCode !== null || c.signalCode !== null) return; // the exit handler starts the next one
      if (await readyz(port)) break;
      if (Date.now() - t0 > 180_000) throw new ChaosError('WORKER_FAILED', `worker ${starts} not ready after 180 s; see ${env.TUOPIN_LOG_FILE}`);
      await sleep(250);
    }
    startSeconds.push((Date.now() - t0) / 1000);
  };

  readyNow = launch();
  await readyNow;
  const ready = async () => {
    // A restart may itself be replaced by another before it is ready: wait for the latest.
    for (;;) {
      const current = readyNow;
      await current;
      if (current === readyNow) return;
    }
  };
  return {
    kill: async () => {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      killing = true;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await gone;
    },
    ready,
    unexpectedExits,
    get starts() {
      return starts;
    },
    startSeconds,
    stop: async () => {
      stopping = true;
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await Promise.race([gone, sleep(30_000)]);
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    },
  };
};
