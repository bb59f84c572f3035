import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freeLoopbackPort } from '../../infra/temporal-runtime';

const run = promisify(execFile);

/** PostgreSQL refuses to run as root: as root, its tools run as the `postgres` user. */
const AS_ROOT = process.getuid?.() === 0;
const tool = (name: string, args: readonly string[]) => (AS_ROOT ? run('runuser', ['-u', 'postgres', '--', name, ...args]) : run(name, [...args]));

export interface OwnPostgres {
  readonly port: number;
  /** A superuser URL to `database` on this cluster. */
  url(database: string): string;
  /** Stops the cluster as a crash would (immediate: no checkpoint), so clients lose their connections at once. */
  kill(): Promise<void>;
  /** Starts it again (crash recovery) and waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder, its own loopback port and
 * socket folder), so a test may kill and restart it; the machine's PostgreSQL is never touched.
 */
export const startOwnPostgres = async (): Promise<OwnPostgres> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tuopin-pg-'));
  if (AS_ROOT) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = path.join(dir, 'data');
  const port = await freeLoopbackPort();
  await tool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off`;
  const start = async () => {
    await tool('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-o', options, '-w', '-t', '60', 'start']);
  };
  await start();
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    kill: async () => {
      await tool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    },
    start,
    destroy: async () => {
      await tool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
