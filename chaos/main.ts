// First: the run's folder and its log file, before anything opens the logger.
import { chaosDir } from './env';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { simulationEnv } from '../sim/env';
import type { SimScale } from '../sim/scale';
import { CliError } from '../cli/args';
import { readFlags, scaleFlag, scriptUsage, wholeFlag } from '../cli/run-flags';
import type { UsageEntry } from '../cli/usage';
import { checkEvents, checkPayments, diffFigures, type Finding } from './checks';
import { ChaosError } from './errors';
import { planFaults, runFaults, type FaultRun, type InjectedFault } from './faults';
import type { DriverResult } from './driver';
import { startOwnServices, type OwnServices } from './services';
import { startWorkerSlot, type WorkerSlot } from './worker-slot';

/**
 * `npm run chaos`: the fault run (issue 19, point 6). On services of its own (PostgreSQL, NATS with
 * JetStream, a Temporal dev server, all on loopback ports of their own), the simulation of
 * `npm run demo` runs twice with the same seed: once without faults (the reference), once while a
 * worker is SIGKILLed at random 20 times, PostgreSQL restarts once, NATS is down for 60 s, the Temporal
 * dev server restarts once and the rail times out and confirms twice for a stretch. Then it checks
 * and prints: no event lost or duplicated (store against JetStream), every payment the rail made
 * recorded once on both streams and nothing paid twice, the simulation's own checks (chains, every
 * fund's invariant at every position, read models equal a rebuild, rail = books), and the final
 * figures equal to the reference's. Exit 0 when all hold, 3 when a check fails, 1 when it could not run.
 */
const CHAOS_FLAGS: readonly UsageEntry[] = [
  {
    syntax: ['--scale      '],
    en: "what the simulation runs (default county:song,1/600: 嵩县's 95 villages, a 600th of its households and projects)",
    zh: '模拟运行的范围（默认 county:song,1/600：嵩县全部 95 个行政村，农户和项目取六百分之一）',
  },
  {
    syntax: ['--seed       '],
    en: "the plan's and the faults' seed (default chaos-2016); the reference run takes the same",
    zh: '计划和故障的随机种子（默认 chaos-2016）；对照运行用同一种子',
  },
  { syntax: ['--kills      '], en: 'worker SIGKILLs (default 20)', zh: '强行终止（SIGKILL）工作进程的次数（默认 20）' },
  { syntax: ['--nats-down-s'], en: 'how long NATS is down, in seconds (default 60)', zh: 'NATS 中断的秒数（默认 60）' },
  { syntax: ['--day-ms     '], en: 'real milliseconds one business day lasts (default 50)', zh: '一个工作日折合的实际毫秒数（默认 50）' },
];
const USAGE = scriptUsage('usage: npm run chaos -- [--scale county:<id>[,n/m] | city[,n/m]] [--seed <text>] [--kills <n>] [--nats-down-s <s>] [--day-ms <ms>]', CHAOS_FLAGS);

const say = (s = '') => process.stdout.write(`${s}\n`);

interface Options {
  readonly scale: SimScale;
  readonly seed: string;
  readonly kills: number;
  readonly natsDownSeconds: number;
  readonly dayMs: number;
}

interface RunOutcome {
  readonly label: string;
  readonly result?: DriverResult;
  readonly driverError?: string;
  readonly findings: Finding[];
  readonly faults: InjectedFault[];
  readonly seconds: number;
  readonly worker: { starts: number; startSeconds: number[]; unexpectedExits: string[] };
  readonly rail: { timeouts: number; doubleConfirmations: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const countInLogs = (dir: string, pattern: RegExp): number =>
  readdirSync(dir)
    .filter((f) => /^worker-\d+\.log$/.test(f))
    .reduce(
      (n, f) =>
        n +
        readFileSync(path.join(dir, f), 'utf8')
          .split('\n')
          .filter((l) => pattern.test(l)).length,
      0,
    );

const runOne = async (services: OwnServices, o: Options, label: 'reference' | 'faults', tag: string, referenceSeconds = 0): Promise<RunOutcome> => {
  const t0 = Date.now();
  const dir = path.join(chaosDir, label);
  mkdirSync(dir, { recursive: true });
  const { createPatientDb } = await import('./resilient-db.js');
  const { bookedPayments, doubleConfirmations, railPayments, rejectedMatching, storeEvents, streamMessages } = await import('./read.js');
  const { railSwitches } = await import('../sim/run.js');
  const { planSimulation } = await import('../sim/plan.js');
  const { planBenefits } = await import('../sim/benefits.js');

  const database = `tuopin_chaos_${label}`;
  const stream = `TUOPIN_CHAOS_${label.toUpperCase()}`;
  const app = `postgres://tuopin_app@127.0.0.1:${services.postgres.port}/${database}`;
  const env: Record<string, string> = {
    ...simulationEnv(
      { DATABASE_URL: app, DATABASE_ADMIN_URL: services.postgres.url(database) },
      { dayMs: o.dayMs, logFile: path.join(dir, 'driver.log'), database, stream, subjectPrefix: `tuopin.chaos.${label}`, maxBytes: 256 * 1024 ** 2 },
    ),
    NATS_URL: services.nats.url,
    TEMPORAL_ADDRESS: services.temporal.address,
    TEMPORAL_NAMESPACE: `tuopin-sim-${tag}`,
    // Each restarted worker would verify every chain at start: the run's own checks do that once, at the end.
    VERIFY_INTERVAL_MINUTES: '0',
    SHUTDOWN_GRACE_MS: '5000',
    TUOPIN_WORKFLOW_BUNDLE: path.join(chaosDir, 'workflow-bundle.json'),
  };
  const plan = planSimulation(o.seed, tag, o.scale.counties);
  const simSwitches = (
    railSwitches(
      plan,
      plan.counties.map((c) => planBenefits(o.seed, c)),
    ) ?? ''
  )
    .split(',')
    .filter(Boolean);
  const db = createPatientDb(services.postgres.url(database), { max: 2, applicationName: 'tuopin-chaos' });

  let faults: FaultRun | undefined;
  const observed = async () => ({ timeouts: countInLogs(dir, /"code":"RAIL_TIMEOUT"/), doubleConfirmations: await doubleConfirmations(db) });
  /** Each worker starts with the simulation's rail switches (a fail*1 already used stays used) and, during the rail's stretch, the faults'. */
  const workerEnv = async (): Promise<Record<string, string>> => {
    const rules: string[] = [];
    for (const r of simSwitches) {
      const once = /^fail=([A-Z_]+)\*1@(.+)$/.exec(r);
      if (once && (await rejectedMatching(db, once[1]!, new RegExp(once[2]!)).catch(() => false))) continue;
      rules.push(r);
    }
    if (faults?.railStretch()) rules.push('timeout*2', 'confirmTwice*2');
    return { ...env, TUOPIN_RAIL_SWITCHES: rules.join(',') };
  };

  let slot: WorkerSlot | undefined;
  let ending: Promise<void> | undefined;
  let slotStarting: Promise<WorkerSlot> | undefined;
  const driver = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'driver.ts')], {
    env: {
      ...process.env,
      ...env,
      TUOPIN_LOG_FILE: path.join(dir, 'driver.log'),
      CHAOS_SCALE: o.scale.label,
      CHAOS_SEED: o.seed,
      CHAOS_RUN_TAG: tag,
      CHAOS_DAY_MS: String(o.dayMs),
      CHAOS_DATA_DIR: dir,
      CHAOS_RESULT_FILE: path.join(dir, 'result.json'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const errFile = createWriteStream(path.join(dir, 'driver.err'));
  driver.stderr.pipe(errFile);
  driver.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(0, 8_000)));
  const lines = createInterface({ input: driver.stdout });
  lines.on('line', (l) => {
    say(`    │ ${l}`);
    // The driver has made the database, stream and namespace: the worker may start.
    if (!slotStarting && /命名空间/.test(l)) slotStarting = startWorkerSlot(workerEnv, dir).then((s) => (slot = s));
    if (label === 'faults' && !faults && /^2016 年/.test(l) && slotStarting) {
      void slotStarting.then((s) => {
        faults = runFaults(planFaults(o.seed, { kills: o.kills, natsDownSeconds: o.natsDownSeconds, referenceSeconds }), services, s, { observed });
        say('    ⚡ 故障开始 faults begin');
      });
    }
    // Everything is done; the driver checks next: no more faults.
    if (/资产移交/.test(l) && faults && !ending)
      ending = faults.stop().then(() => {
        say('    ⚡ 故障结束 faults end');
      });
  });
  const code = await new Promise<number | null>((r) => driver.once('exit', (c) => r(c)));
  await faults?.stop();
  const findings: Finding[] = [];
  let result: DriverResult | undefined;
  const resultFile = path.join(dir, 'result.json');
  if (code === 0 && existsSync(resultFile)) result = JSON.parse(readFileSync(resultFile, 'utf8')) as DriverResult;
  try {
    if (slotStarting) await slotStarting;
    // The relay publishes what the store holds: give it until JetStream has every event (a worker still runs it).
    const events = await storeEvents(db);
    for (const t = Date.now(); Date.now() - t < 120_000; await sleep(2_000)) {
      const msgs = await streamMessages(services.nats.url, stream).catch(() => []);
      if (msgs.length >= events.length) break;
    }
    const [after, msgs, rail, booked] = [await storeEvents(db), await streamMessages(services.nats.url, stream), await railPayments(db), await bookedPayments(db)];
    findings.push(...checkEvents(after, msgs), ...checkPayments(rail, booked));
  } finally {
    await slot?.stop();
  }
  const rail = await observed();
  await db.destroy();
  return {
    label,
    ...(result ? { result } : { driverError: `driver exited ${code}: ${stderr.trim().split('\n').slice(0, 4).join(' / ')} (${path.join(dir, 'driver.err')})` }),
    findings,
    faults: faults?.injected ?? [],
    seconds: (Date.now() - t0) / 1000,
    worker: { starts: slot?.starts ?? 0, startSeconds: slot?.startSeconds ?? [], unexpectedExits: slot?.unexpectedExits ?? [] },
    rail,
  };
};

const mark = (ok: boolean) => (ok ? '✓' : '✗');

/** The exit code, or nothing when nothing was started (--help). */
const main = async (): Promise<number | undefined> => {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    say(USAGE);
    return undefined;
  }
  const flag = readFlags(args, CHAOS_FLAGS, USAGE);
  const o: Options = {
    scale: scaleFlag(flag('scale') ?? 'county:song,1/600'),
    seed: flag('seed') ?? 'chaos-2016',
    kills: wholeFlag(flag('kills'), 'kills', 20, 0, 1000),
    natsDownSeconds: wholeFlag(flag('nats-down-s'), 'nats-down-s', 60, 1, 3600),
    dayMs: wholeFlag(flag('day-ms'), 'day-ms', 50, 1, 86_400_000),
  };
  const t0 = Date.now();
  say(`故障演练 fault run: 规模 scale ${o.scale.label}, 种子 seed ${o.seed}, 一个工作日 one business day = ${o.dayMs} ms`);
  say(
    `  故障 faults: ${o.kills} worker SIGKILLs, PostgreSQL restarted once, NATS down ${o.natsDownSeconds} s, Temporal dev server restarted once, the rail times out and confirms twice for a stretch`,
  );
  say(`  目录 folder ${chaosDir} (logs, JetStream store, Temporal SQLite file)`);
  say("-- 自有服务 own services (loopback, ports of their own; the machine's services are not touched)");
  const services = await startOwnServices(chaosDir, say);
  // Built once: a restarted worker loads it instead of bundling the workflows again (seconds, not tens of seconds).
  const { writeWorkflowBundle } = await import('../workers/workflow-bundle.js');
  await writeWorkflowBundle(path.join(chaosDir, 'workflow-bundle.json'));
  try {
    say('-- 参照运行 reference run: the same seed, no faults');
    const ref = await runOne(services, o, 'reference', 'cref');
    say('-- 故障运行 fault run');
    const flt = await runOne(services, o, 'faults', 'cflt', ref.seconds);

    say('');
    say(`== 注入的故障 faults injected (${flt.faults.length})`);
    for (const f of flt.faults) say(`  +${f.at.toFixed(1).padStart(6)} s  ${f.what}`);
    const starts = [...flt.worker.startSeconds].sort((a, b) => a - b);
    say(
      `  工作进程启动 worker processes started: ${flt.worker.starts} (ready in ${starts.length ? `${starts[0]!.toFixed(1)}–${starts[starts.length - 1]!.toFixed(1)} s, median ${starts[Math.floor(starts.length / 2)]!.toFixed(1)} s` : '-'}); exits not caused by the run: ${flt.worker.unexpectedExits.length === 0 ? 'none' : flt.worker.unexpectedExits.join(', ')}`,
    );
    say(`  国库支付 rail: ${flt.rail.timeouts} timeouts (payment made, answer lost), ${flt.rail.doubleConfirmations} confirmations delivered twice`);

    const kills = flt.faults.filter((f) => f.what.startsWith('SIGKILL')).length;
    const has = (re: RegExp) => flt.faults.some((f) => re.test(f.what));
    const injected: Finding = {
      name: '故障已注入 every fault injected',
      ok:
        kills === o.kills &&
        has(/^PostgreSQL restarted/) &&
        has(/^NATS up again/) &&
        has(/^Temporal dev server restarted/) &&
        flt.rail.timeouts >= 2 &&
        flt.rail.doubleConfirmations >= 2,
      detail: `${kills}/${o.kills} kills, PostgreSQL ${has(/^PostgreSQL/) ? 'restarted' : 'NOT restarted'}, NATS ${has(/^NATS up again/) ? `down ${o.natsDownSeconds} s` : 'NOT taken down'}, Temporal ${has(/^Temporal/) ? 'restarted' : 'NOT restarted'}, rail ${flt.rail.timeouts} timeouts / ${flt.rail.doubleConfirmations} double confirmations (want ≥ 2 each)`,
    };
    const ran = (r: RunOutcome): Finding => ({
      name: `模拟完成 the ${r.label} run's simulation ran to its end`,
      ok: r.result !== undefined,
      detail: r.result
        ? `store position ${r.result.position.toLocaleString('en-US')}, ${r.result.updates.toLocaleString('en-US')} operations, ${r.result.seconds.toFixed(0)} s`
        : (r.driverError ?? ''),
    });
    const diffs = ref.result && flt.result ? diffFigures(ref.result.figures, flt.result.figures) : ['(a run did not finish)'];
    const figures: Finding = {
      name: '数字一致 final figures = the fault-free run of the same seed',
      ok: diffs.length === 0,
      detail:
        diffs.length === 0 ? 'exits, money by source and county, projects by category, benefits, anomalies: all equal' : `${diffs.length} differ: ${diffs.slice(0, 5).join('; ')}`,
    };
    const all: Finding[] = [injected, ran(flt), ...(flt.result?.checks ?? []), ...flt.findings, figures];
    say('');
    say('== 核验（故障运行）checks (the fault run)');
    for (const c of all) say(`  ${mark(c.ok)} ${c.name}: ${c.detail}`);
    const refAll = [ran(ref), ...(ref.result?.checks ?? []), ...ref.findings];
    const refOk = refAll.every((c) => c.ok);
    say(
      `  ${mark(refOk)} 参照运行自身核验 the reference run's own checks: ${
        refOk
          ? `all ${refAll.length} hold`
          : refAll
              .filter((c) => !c.ok)
              .map((c) => `${c.name}: ${c.detail}`)
              .join('; ')
      }`,
    );
    const ok = all.every((c) => c.ok) && refOk;
    say('');
    say(`用时 time: 参照运行 reference ${ref.seconds.toFixed(0)} s, 故障运行 fault run ${flt.seconds.toFixed(0)} s, 全程 whole command ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    say(ok ? '故障演练通过 fault run passed' : '故障演练未通过 fault run FAILED');
    return ok ? 0 : 3;
  } finally {
    await services.stop();
  }
};

// Before anything starts (--help, a refused flag) the process ends by itself, once the log file it
// opened is ready: process.exit before that made pino throw over the message.
main().then(
  (code) => (code === undefined ? undefined : process.exit(code)),
  (e: unknown) => {
    if (e instanceof CliError) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    if (e instanceof ChaosError) process.stderr.write(`${e.message}\n`);
    else process.stderr.write(`\nfault run failed 故障演练未能运行: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
