import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Config } from '../config';
import { temporalConnectionOptions, type TemporalConnectionOptions } from '../temporal-client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { msToTs } from '@temporalio/common/lib/time';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/search-attributes';
import { StackError, waitFor } from './probe';

type Say = (line: string) => void;

const CLI_TYPE: Record<string, string> = { KEYWORD: 'Keyword', INT: 'Int', TEXT: 'Text', BOOL: 'Bool', DOUBLE: 'Double', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList' };

export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/**
 * What the dev server is told beyond its defaults, for an Update's activity to reach the worker
 * without a detour (README, "Where an approval's time goes"; a real cluster needs the same, see
 * "Deploying"):
 * - eager activities: the activity a workflow task schedules is handed to the worker in the answer
 *   to that task's completion, not queued for a poller (the server's default is off);
 * - one partition per task queue: with the default four, a task written to a partition on which no
 *   poller waits is forwarded to the root partition, or waits in the backlog. One machine's load
 *   does not need more than one.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: readonly string[] = [
  'system.enableActivityEagerExecution=true',
  'matching.numTaskqueueReadPartitions=1',
  'matching.numTaskqueueWritePartitions=1',
];
/**
 * How a dev server of ours is started, the stack's and the fault run's alike (chaos/services.ts): its
 * SQLite file in WAL mode, the dynamic config above, and the search attributes the workflows set.
 */
export const devServerArgs = (o: { ip: string; port: number; uiPort: number; dbFile: string; namespace?: string; headless?: boolean }): string[] => [
  'server',
  'start-dev',
  '--ip',
  o.ip,
  '--port',
  String(o.port),
  '--ui-port',
  String(o.uiPort),
  ...(o.headless ? ['--headless'] : []),
  '--db-filename',
  o.dbFile,
  ...(o.namespace ? ['--namespace', o.namespace] : []),
  // WAL lets the server's readers and its writer work at once; the dev server's default rollback journal serialises them.
  '--sqlite-pragma',
  'journal_mode=wal',
  '--sqlite-pragma',
  'synchronous=normal',
  '--log-level',
  'warn',
  ...DEV_SERVER_DYNAMIC_CONFIG.flatMap((v) => ['--dynamic-config-value', v]),
  ...SEARCH_ATTRIBUTE_KEYS.flatMap((k) => ['--search-attribute', `${k.name}=${CLI_TYPE[k.type]}`]),
];

const GO_BIN_DIRS = ['/usr/local/go/bin', '/usr/lib/go/bin'];

const paths = (cfg: Config) => {
  const data = path.resolve(cfg.TUOPIN_DATA_DIR);
  return {
    data,
    db: path.join(data, 'temporal.db'),
    log: path.join(data, 'temporal.log'),
    pid: path.join(data, 'temporal.pid'),
    lock: path.join(data, 'temporal.lock'),
    tools: path.resolve(cfg.TUOPIN_TOOLS_DIR),
  };
};

/** The embedded server is ours to start only when the address is this machine's default one. */
export const isEmbedded = (cfg: Config) => /^(127\.0\.0\.1|localhost):7233$/.test(cfg.TEMPORAL_ADDRESS);

const onPath = (name: string, extra: string[] = []): string | undefined => {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...extra];
  return dirs.map((d) => path.join(d, name)).find((p) => p && existsSync(p));
};

/**
 * Runs a Go command and tells the user what it is doing: with `-v` Go names each module it downloads
 * and each package it compiles on stderr; a line goes out at least every 10 s (elapsed time, modules
 * and packages so far, the latest), so a first build of minutes is never silence.
 */
export const runGo = (cmd: string, args: string[], env: NodeJS.ProcessEnv, say: Say, label: string, cwd?: string, everyMs = 10_000): Promise<{ ok: boolean; stderr: string }> =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let partial = '';
    let downloads = 0;
    let packages = 0;
    let latest = '';
    const tell = () => {
      const s = Math.round((Date.now() - started) / 1000);
      say(`${label}: ${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s, ${downloads} modules downloaded, ${packages} packages compiled${latest ? ` (${latest})` : ''}`);
    };
    const timer = setInterval(tell, everyMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines.map((x) => x.trim()).filter(Boolean)) {
        const dl = /^go: downloading (\S+)/.exec(l);
        if (dl) {
          downloads += 1;
          latest = `downloading ${dl[1]}`;
        } else if (/^[\w.-]+(\/[\w.@~+-]+)*$/.test(l)) {
          packages += 1;
          latest = `compiled ${l}`;
        }
      }
    });
    const done = (ok: boolean) => {
      clearInterval(timer);
      tell();
      resolve({ ok, stderr });
    };
    child.on('error', (e) => {
      stderr += String(e);
      done(false);
    });
    child.on('close', (code) => done(code === 0));
  });

/**
 * Finds the Temporal CLI: TEMPORAL_CLI, then PATH, then our tools folder; builds it there with Go
 * when none is found. `go install` refuses module versions with `replace` directives, so the
 * fallback downloads the module and builds it in place.
 */
export const findOrBuildTemporalCli = async (cfg: Config, say: Say): Promise<string> => {
  if (cfg.TEMPORAL_CLI) {
    if (!existsSync(cfg.TEMPORAL_CLI)) throw new StackError('TEMPORAL_CLI_MISSING', `TEMPORAL_CLI=${cfg.TEMPORAL_CLI} does not exist`);
    return cfg.TEMPORAL_CLI;
  }
  const p = paths(cfg);
  const built = path.join(p.tools, 'temporal');
  if (existsSync(built)) return built;
  const found = onPath('temporal');
  if (found) return found;

  const go = onPath('go', GO_BIN_DIRS);
  if (!go) {
    throw new StackError(
      'TEMPORAL_CLI_MISSING',
      `No Temporal CLI found and no Go toolchain to build one. Install Go (https://go.dev/doc/install) and run this again, ` +
        `or install the Temporal CLI (https://docs.temporal.io/cli) and set TEMPORAL_CLI to it, or point TEMPORAL_ADDRESS at a running cluster.`,
    );
  }
  mkdirSync(p.tools, { recursive: true });
  const env = { ...process.env, GOBIN: p.tools, PATH: `${path.dirname(go)}${path.delimiter}${process.env.PATH ?? ''}`, GOFLAGS: '-mod=mod' };
  say(`Temporal CLI: building ${TEMPORAL_CLI_VERSION} with ${go} into ${p.tools} (first time only: about 7 minutes with an empty Go module cache; progress every 10 s)`);
  const started = Date.now();
  const install = await runGo(go, ['install', '-v', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], env, say, 'Temporal CLI: go install');
  if (!install.ok) {
    say(`go install refused (${install.stderr.trim().split('\n').pop()}); building from the downloaded module instead`);
    const dl = spawnSync(go, ['mod', 'download', '-json', `github.com/temporalio/cli@${TEMPORAL_CLI_VERSION}`], { env, encoding: 'utf8' });
    if (dl.status !== 0) throw new StackError('TEMPORAL_BUILD_FAILED', `go mod download failed: ${dl.stderr}`);
    const dir = (JSON.parse(dl.stdout) as { Dir: string }).Dir;
    const b = await runGo(go, ['build', '-v', '-o', built, './cmd/temporal'], env, say, 'Temporal CLI: go build', dir);
    if (!b.ok) throw new StackError('TEMPORAL_BUILD_FAILED', `go build failed: ${b.stderr}`);
  }
  if (!existsSync(built)) throw new StackError('TEMPORAL_BUILD_FAILED', `the build finished but ${built} is missing`);
  say(`Temporal CLI: built in ${Math.round((Date.now() - started) / 1000)} s; next: start the dev server (SQLite in ${p.data}), then wait until it answers`);
  return built;
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The dynamic config values a running dev server of ours was not started with (read from its command line; none known elsewhere). */
const missingDynamicConfig = (pid: number): string[] => {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return DEV_SERVER_DYNAMIC_CONFIG.filter((v) => !args.includes(v));
  } catch {
    return [];
  }
};

const readPid = (file: string): number | undefined => {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
};

/**
 * Ready means: the frontend answers, our namespace exists, and our search attributes are
 * registered — the three things workers and tests need, checked through the real API.
 */
export const temporalReady = async (cfg: Config): Promise<boolean> => {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ ...temporalConnectionOptions(cfg), connectTimeout: 1000 });
    await connection.workflowService.describeNamespace({ namespace: cfg.TEMPORAL_NAMESPACE });
    const sa = await connection.operatorService.listSearchAttributes({ namespace: cfg.TEMPORAL_NAMESPACE });
    const have = Object.keys(sa.customAttributes ?? {});
    return SEARCH_ATTRIBUTE_KEYS.every((k) => have.includes(k.name));
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
};

/** Registers what a cluster lacks for a namespace: the namespace itself and our search attributes. */
export const ensureNamespace = async (server: TemporalConnectionOptions, namespace: string, say: Say): Promise<void> => {
  const connection = await Connection.connect({ ...server, connectTimeout: 5000 });
  try {
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch {
      say(`Temporal: registering namespace ${namespace}`);
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('30 days') });
    }
    // A namespace just registered takes a moment to reach the operator service's cache.
    for (let attempt = 0; ; attempt++) {
      try {
        const sa = await connection.operatorService.listSearchAttributes({ namespace });
        const have = Object.keys(sa.customAttributes ?? {});
        const missing = SEARCH_ATTRIBUTE_KEYS.filter((k) => !have.includes(k.name));
        if (missing.length > 0) {
          say(`Temporal: registering search attributes ${missing.map((k) => k.name).join(', ')} in ${namespace}`);
          await connection.operatorService.addSearchAttributes({
            namespace,
            searchAttributes: Object.fromEntries(missing.map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type)!])),
          });
        }
        return;
      } catch (e) {
        if (attempt >= 20) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await connection.close();
  }
};

const prepareExternal = (cfg: Config, say: Say) => ensureNamespace(temporalConnectionOptions(cfg), cfg.TEMPORAL_NAMESPACE, say);

/**
 * Two `up`s at once (a test run and a demo, or several shells on a fresh machine) would each build
 * the CLI and start a server, and the loser's pid file would name a server that died on the port.
 * The first takes the lock; the others wait for it and then find its server running.
 */
const withStartLock = async <T>(file: string, say: Say, work: () => Promise<T>): Promise<T> => {
  mkdirSync(path.dirname(file), { recursive: true });
  let told = false;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readPid(file);
      if (!holder || !alive(holder)) {
        rmSync(file, { force: true }); // left by a process that died holding it
        continue;
      }
      if (!told) say(`Temporal: another \`up\` (pid ${holder}) is starting the dev server; waiting for it`);
      told = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(file, { force: true });
  }
};

export const ensureTemporal = async (cfg: Config, say: Say): Promise<void> => {
  if (!isEmbedded(cfg)) {
    await prepareExternal(cfg, say);
    await waitFor(`Temporal at ${cfg.TEMPORAL_ADDRESS}`, () => temporalReady(cfg), 60_000);
    say(`Temporal: using ${cfg.TEMPORAL_ADDRESS} (namespace ${cfg.TEMPORAL_NAMESPACE})`);
    return;
  }
  const p = paths(cfg);
  await withStartLock(p.lock, say, () => startEmbedded(cfg, p, say));
};

const startEmbedded = async (cfg: Config, p: ReturnType<typeof paths>, say: Say): Promise<void> => {
  const pid = readPid(p.pid);
  if (pid && alive(pid) && (await temporalReady(cfg))) {
    say(`Temporal: reusing dev server (pid ${pid}) at ${cfg.TEMPORAL_ADDRESS}, UI http://127.0.0.1:${cfg.TEMPORAL_UI_PORT}`);
    const missing = missingDynamicConfig(pid);
    if (missing.length > 0)
      say(`Temporal: this dev server was started without ${missing.join(', ')}; \`stop\` then \`up\` applies them (Updates with activities are slower without)`);
    return;
  }
  if (await temporalReady(cfg)) {
    say(`Temporal: a server already answers at ${cfg.TEMPORAL_ADDRESS}; using it`);
    return;
  }
  // A server that answers but lacks our namespace or a search attribute added since it started
  // (TuopinCountyName): register them there rather than start a second server on its port.
  if (
    await prepareExternal(cfg, say).then(
      () => temporalReady(cfg),
      () => false,
    )
  ) {
    say(`Temporal: a server already answers at ${cfg.TEMPORAL_ADDRESS}; registered what it lacked and using it`);
    return;
  }
  const cli = await findOrBuildTemporalCli(cfg, say);
  mkdirSync(p.data, { recursive: true });
  const [host, port] = cfg.TEMPORAL_ADDRESS.split(':') as [string, string];
  const args = devServerArgs({ ip: host === 'localhost' ? '127.0.0.1' : host, port: Number(port), uiPort: cfg.TEMPORAL_UI_PORT, dbFile: p.db, namespace: cfg.TEMPORAL_NAMESPACE });
  const log = openSync(p.log, 'a');
  const child = spawn(cli, args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  if (!child.pid) throw new StackError('TEMPORAL_START_FAILED', `could not start ${cli}`);
  writeFileSync(p.pid, String(child.pid));
  child.unref();
  say(`Temporal: started dev server (pid ${child.pid}), log ${p.log}; waiting for it to answer`);
  let last = 0;
  await waitFor(
    'the Temporal dev server',
    async () => {
      if (!alive(child.pid!)) throw new StackError('TEMPORAL_START_FAILED', `the dev server exited; see ${p.log}`);
      return temporalReady(cfg);
    },
    120_000,
    (ms) => {
      if (ms - last >= 5000) {
        last = ms;
        say(`Temporal: still waiting (${Math.round(ms / 1000)} s)`);
      }
    },
  );
  say(`Temporal: ready at ${cfg.TEMPORAL_ADDRESS}, UI http://127.0.0.1:${cfg.TEMPORAL_UI_PORT}`);
};

export const stopTemporal = async (cfg: Config, say: Say): Promise<void> => {
  const p = paths(cfg);
  const pid = readPid(p.pid);
  if (!pid || !alive(pid)) {
    say('Temporal: no dev server of ours is running');
    rmSync(p.pid, { force: true });
    return;
  }
  process.kill(pid, 'SIGTERM');
  await waitFor('the Temporal dev server to stop', async () => !alive(pid), 30_000).catch(() => process.kill(pid, 'SIGKILL'));
  rmSync(p.pid, { force: true });
  say(`Temporal: stopped dev server (pid ${pid})`);
};
