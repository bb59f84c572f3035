// First: the simulation's log goes to a file, set before anything opens the logger.
import { cityLogFile, cityDataDir } from './city-env';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { WorkflowHandle } from '@temporalio/client';
import { startTestStack } from '../test/support/stack';
import { APPROVER, startProject, step, toLibrary, TOWNSHIP } from '../test/support/project-walk';
import { simulationEnv } from '../sim/env';
import { cachedWorkflowBundle } from '../sim/bundle-cache';
import { parseScale } from '../sim/scale';
import type { LaneSizes } from '../sim/context';
import { runEventStoreBench } from './eventstore';
import { line, measured } from './stats';
import { cpuShareLine, startCpuShare } from './cpu-share';
import { exitOnError } from './exit-on-error';

/**
 * `npm run bench -- --city [scale]`: the whole plan as the engine's throughput benchmark. The
 * simulation of `npm run demo` at the given scale (default `city`: all 13 counties at full scale),
 * and, measured in the same run on the same machine and servers, the two floors it is held against:
 * the store's raw append rate (8 writers, 1 and 10 events per append, beside plain INSERTs) and bare
 * Temporal Updates (a step the validator refuses: server and worker, no activity), one after another
 * and 16 in flight. Prints wall time, events, Updates, workflows, their rates, each process's peak
 * memory, and the ratios.
 */
const DAY_MS = 50;
const log = (s: string) => process.stdout.write(`${s}\n`);
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Kernel high-water mark of a process's resident memory (MiB), or null where /proc has no such process. */
const peakMiB = (pid: number): number | null => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
};
const pidsOf = (name: string): number[] => {
  try {
    return execFileSync('pgrep', ['-x', name], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

const bareUpdates = async (): Promise<{ sequentialPerSecond: number; concurrentPerSecond: number }> => {
  const stack = await startTestStack('bench-city');
  try {
    const h = await startProject(stack);
    await toLibrary(h);
    // ApproveAtTownship past the township's review is refused by the validator: a round trip with no work behind it.
    const bare = (w: WorkflowHandle) => step(w, { type: 'ApproveAtTownship', data: { opinion: 'x' }, actor: TOWNSHIP }).catch(() => undefined);
    for (let i = 0; i < 20; i++) await bare(h);
    const seq: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = process.hrtime.bigint();
      await bare(h);
      seq.push(ms(t0));
    }
    const s = measured('bare Update, one after another', seq.length, seq.reduce((a, x) => a + x, 0) / 1000, seq);
    log(line(s));
    const n = 800;
    let next = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next++ < n) await bare(h);
      }),
    );
    const c = measured('bare Update, 16 in flight', n, ms(t0) / 1000);
    log(line(c));
    await step(h, { type: 'CancelProject', data: { reason: '测量结束' }, actor: APPROVER });
    return { sequentialPerSecond: s.eventsPerSecond, concurrentPerSecond: c.eventsPerSecond };
  } finally {
    await stack.stop();
  }
};

/** The city's default: more of each at once than the demo's (sim/context.ts DEFAULT_LANES), within the workers' workflow caches. */
const CITY_LANES: LaneSizes = { villages: 64, projects: 48, rounds: 16 };

/** `--lanes villages,projects,rounds` (e.g. 64,48,16). */
const parseLanes = (text: string | undefined): LaneSizes => {
  if (text === undefined) return CITY_LANES;
  const n = text.split(',').map(Number);
  if (n.length !== 3 || n.some((v) => !Number.isInteger(v) || v < 1 || v > 1_000)) throw new Error(`--lanes: "${text}" must be villages,projects,rounds, each 1–1000`);
  return { villages: n[0]!, projects: n[1]!, rounds: n[2]! };
};

export const runCityBench = async (scaleText: string, lanes: LaneSizes = CITY_LANES): Promise<number> => {
  const scale = parseScale(scaleText);
  log(`== the plan as a benchmark: ${scaleText}`);
  log('-- floors, measured first on the same servers');
  const store = await runEventStoreBench({ singleAppends: 4_000, batchAppends: 400, batchSize: 10, plainInserts: 4_000, log: () => undefined });
  for (const k of ['plain', 'append1', 'append10'] as const) log(line(store[k]!));
  const updates = await bareUpdates();

  log('-- the simulation (its screen as `npm run demo` shows it)');
  Object.assign(
    process.env,
    simulationEnv(process.env, { dayMs: DAY_MS, logFile: cityLogFile, database: 'tuopin_sim_bench', stream: 'TUOPIN_SIM_BENCH', subjectPrefix: 'tuopin.simbench' }),
  );
  const bundle = await cachedWorkflowBundle(cityDataDir);
  if (bundle) process.env.TUOPIN_WORKFLOW_BUNDLE = bundle;
  const { runSimulation } = await import('../sim/run.js');
  const { terminalDisplay } = await import('../sim/display.js');
  const { Connection, Client } = await import('@temporalio/client');
  const { temporalConnectionOptions } = await import('../infra/temporal-client.js');
  const { parseConfig } = await import('../infra/config.js');
  const cpu = startCpuShare('tuopin_sim_bench');
  const r = await runSimulation(
    { scale, seed: 'luoyang-2016', fresh: true, time: { secondsPerDay: DAY_MS / 1000 }, dataDir: cityDataDir, logFile: cityLogFile, lanes },
    terminalDisplay(),
  );

  const share = cpu.stop();
  const cfg = parseConfig({ ...process.env, TEMPORAL_NAMESPACE: r.namespace });
  const connection = await Connection.connect(temporalConnectionOptions(cfg));
  const workflows = (await new Client({ connection, namespace: r.namespace }).workflow.count()).count;
  await connection.close();

  const peaks = (name: string) => pidsOf(name).map((p) => peakMiB(p) ?? 0);
  const mib = (xs: number[]) => (xs.length === 0 ? '?' : Math.max(...xs).toFixed(0));
  const rate = (n: number) => n / r.seconds;
  log('');
  log('-- figures');
  log(`wall time                ${r.seconds.toFixed(0)} s   (target for the whole city at full scale: ≤ 1,800 s)`);
  log(`events                   ${r.events.toLocaleString('en-US')}   ${rate(r.events).toFixed(0)} events/s`);
  log(`Updates and commands     ${r.updates.toLocaleString('en-US')}   ${rate(r.updates).toFixed(1)}/s`);
  log(`workflows                ${workflows.toLocaleString('en-US')}   ${rate(workflows).toFixed(2)}/s`);
  log(
    `peak memory (VmHWM)      this process (driver, workers, relay, projectors) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; ` +
      `Temporal dev server ${mib(peaks('temporal'))} MiB; nats-server ${mib(peaks('nats-server'))} MiB; largest PostgreSQL process ${mib(peaks('postgres'))} MiB (servers: since each started); target ≤ 2,048 MiB each`,
  );
  log(cpuShareLine(share));
  log(
    `events/s ÷ store's raw append rate   1 event: ${((rate(r.events) / store.append1!.eventsPerSecond) * 100).toFixed(1)}%   10 events: ${((rate(r.events) / store.append10!.eventsPerSecond) * 100).toFixed(1)}%`,
  );
  log(
    `Updates/s ÷ bare Updates             one after another: ${((rate(r.updates) / updates.sequentialPerSecond) * 100).toFixed(1)}%   16 in flight: ${((rate(r.updates) / updates.concurrentPerSecond) * 100).toFixed(1)}%`,
  );
  log(`checks: ${r.verification.ok ? 'all hold' : 'A CHECK FAILED'}; logs: ${cityLogFile}`);
  return r.verification.ok ? 0 : 3;
};

if (require.main === module) {
  const after = (flag: string) => {
    const i = process.argv.indexOf(flag);
    const next = i >= 0 ? process.argv[i + 1] : undefined;
    return next && !next.startsWith('--') ? next : undefined;
  };
  Promise.resolve()
    .then(() => runCityBench(after('--city') ?? 'city', parseLanes(after('--lanes'))))
    .then((code) => process.exit(code), exitOnError);
}
