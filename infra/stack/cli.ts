import { stackLogFile } from './env';
import { config, ConfigError } from '../config';
import { ensureNats, ensurePostgres } from './services';
import { ensureTemporal, stopTemporal } from './temporal';
import { prepareStores } from './stores';
import { StackError } from './probe';
import { logFileOpen } from '../logger';

/**
 * `npm run stack -- up|stop|status`: brings up what tuopin needs, idempotently and quickly when all is
 * already up. Both README commands and .ci/run call `up`.
 */
const say = (line: string) => process.stdout.write(`[stack] ${line}\n`);

const up = async () => {
  const cfg = config();
  const started = Date.now();
  await ensurePostgres(cfg.DATABASE_ADMIN_URL, say);
  await ensureNats(cfg.NATS_URL, say);
  await prepareStores(cfg, say);
  await ensureTemporal(cfg, say);
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s (log: ${stackLogFile})`);
};

const main = async () => {
  const [command = 'up', ...rest] = process.argv.slice(2);
  if (rest.length > 0) throw new StackError('STACK_USAGE', `unexpected arguments: ${rest.join(' ')}`);
  switch (command) {
    case 'up':
      return up();
    case 'stop':
      return stopTemporal(config(), say);
    default:
      throw new StackError('STACK_USAGE', `unknown command "${command}": use up or stop`);
  }
};

main().then(
  async () => {
    await logFileOpen();
    process.exit(0);
  },
  async (err: unknown) => {
    if (err instanceof StackError || err instanceof ConfigError) process.stderr.write(`[stack] ${err.message}\n`);
    else process.stderr.write(`[stack] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    await logFileOpen();
    process.exit(1);
  },
);
