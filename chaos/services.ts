import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { parseConfig } from '../infra/config';
import { freeLoopbackPort } from '../infra/temporal-runtime';
import { devServerArgs, findOrBuildTemporalCli } from '../infra/stack/temporal';
import { isListening, waitFor } from '../infra/stack/probe';
import { startOwnPostgres, type OwnPostgres } from '../test/support/own-postgres';
import { ChaosError } from './errors';

/**
 * The fault run's own services, on loopback ports of their own, so that it may kill and restart them:
 * a PostgreSQL cluster (initdb in a temporary folder), a nats-server with JetStream (its own store
 * folder) and a Temporal dev server (its own SQLite file, which persists across a restart). The
 * machine's services are never touched.
 */
export interface Restartable {
  /** Ends it as a crash would (SIGKILL; PostgreSQL: immediate stop, no checkpoint). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data, and waits until it answers. */
  start(): Promise<void>;
}

export interface OwnServices {
  readonly postgres: OwnPostgres;
  readonly nats: Restartable & { readonly url: string };
  readonly temporal: Restartable & { readonly address: string };
  stop(): Promise<void>;
}

/** A server process we start and kill by its own pid (never by name), its output appended to a log. */
const serverProcess = (what: string, cmd: string, args: readonly string[], log: string, port: number, ready: () => Promise<boolean>): Restartable => {
  let child: ChildProcess | undefined;
  const start = async () => {
    if (await isListening('127.0.0.1', port, 300)) throw new ChaosError('PORT_TAKEN', `${what}: port ${port} already answers; not ours to use`);
    const fd = openSync(log, 'a');
    child = spawn(cmd, [...args], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const c = child;
    let exited = false;
    c.once('exit', () => (exited = true));
    await waitFor(
      `${what} on 127.0.0.1:${port}`,
      async () => {
        if (exited) throw new ChaosError('SERVICE_START_FAILED', `${what} exited at start; see ${log}`);
        return ready();
      },
      120_000,
    );
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  };
  return { start, kill };
};

const temporalAnswers = async (address: string): Promise<boolean> => {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.workflowService.getSystemInfo({});
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
};

export const startOwnServices = async (dir: string, say: (s: string) => void): Promise<OwnServices> => {
  mkdirSync(dir, { recursive: true });
  const postgres = await startOwnPostgres();
  say(`  PostgreSQL  127.0.0.1:${postgres.port} (initdb in a temporary folder)`);

  const natsPort = await freeLoopbackPort();
  const natsStore = path.join(dir, 'jetstream');
  mkdirSync(natsStore, { recursive: true });
  const nats = serverProcess(
    'nats-server',
    'nats-server',
    ['-js', '-a', '127.0.0.1', '-p', String(natsPort), '-sd', natsStore, '-m', '0'],
    path.join(dir, 'nats.log'),
    natsPort,
    () => isListening('127.0.0.1', natsPort, 500),
  );
  await nats.start();
  say(`  NATS        127.0.0.1:${natsPort}, JetStream store ${natsStore}`);

  // The CLI the stack uses (.tools/temporal, or built there the same way when missing).
  const cli = await findOrBuildTemporalCli(parseConfig(process.env), say);
  const temporalPort = await freeLoopbackPort();
  const uiPort = await freeLoopbackPort();
  const address = `127.0.0.1:${temporalPort}`;
  const dbFile = path.join(dir, 'temporal.db');
  const temporal = serverProcess(
    'Temporal dev server',
    cli,
    devServerArgs({ ip: '127.0.0.1', port: temporalPort, uiPort, dbFile, headless: true }),
    path.join(dir, 'temporal.log'),
    temporalPort,
    () => temporalAnswers(address),
  );
  await temporal.start();
  say(`  Temporal    ${address}, SQLite ${dbFile}`);
  return {
    postgres,
    nats: { ...nats, url: `nats://127.0.0.1:${natsPort}` },
    temporal: { ...temporal, address },
    stop: async () => {
      await temporal.kill();
      await nats.kill();
      await postgres.destroy();
    },
  };
};
