import { existsSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { hostPort, isListening, StackError, waitFor } from './probe';

type Say = (line: string) => void;

const isLocal = (host: string) => host === '127.0.0.1' || host === 'localhost' || host === '::1';

/**
 * The machine's own start commands for PostgreSQL and NATS (the env doc's); used only when the
 * configured service is local and down. A remote service that is down is the user's to start.
 */
const startPostgres = (): boolean => {
  if (!existsSync('/usr/bin/pg_ctlcluster') || !existsSync('/etc/postgresql')) return false;
  for (const version of readdirSync('/etc/postgresql')) {
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
  }
  return true;
};

const startNats = (): boolean => {
  if (!existsSync('/usr/sbin/nats-server') || !existsSync('/sbin/start-stop-daemon')) return false;
  execFileSync(
    'start-stop-daemon',
    [
      '--start',
      '--oknodo',
      '--background',
      '--exec',
      '/usr/sbin/nats-server',
      '--',
      '-a',
      '127.0.0.1',
      '-p',
      '4222',
      '-js',
      '-sd',
      '/var/lib/nats-server',
      '-l',
      '/var/log/nats-server.log',
    ],
    { stdio: 'inherit' },
  );
  return true;
};

const ensureService = async (name: string, url: string, defaultPort: number, start: () => boolean, howTo: string, say: Say) => {
  const { host, port } = hostPort(url, defaultPort);
  if (await isListening(host, port)) {
    say(`${name}: up at ${host}:${port}`);
    return;
  }
  if (!isLocal(host) || !start()) {
    throw new StackError('STACK_SERVICE_DOWN', `${name} is not reachable at ${host}:${port}. ${howTo}`);
  }
  say(`${name}: was down, started it; waiting for ${host}:${port}`);
  await waitFor(name, () => isListening(host, port), 30_000);
  say(`${name}: up at ${host}:${port}`);
};

export const ensurePostgres = (adminUrl: string, say: Say) =>
  ensureService(
    'PostgreSQL',
    adminUrl,
    5432,
    startPostgres,
    'Start it (e.g. `pg_ctlcluster --skip-systemctl-redirect <version> main start`) or set DATABASE_ADMIN_URL and DATABASE_URL to a running server.',
    say,
  );

export const ensureNats = (natsUrl: string, say: Say) =>
  ensureService(
    'NATS',
    natsUrl.replace(/^nats:/, 'http:').replace(/^tls:/, 'https:'),
    4222,
    startNats,
    'Start nats-server with JetStream (`nats-server -js`) or set NATS_URL to a running server.',
    say,
  );
