import path from 'node:path';
import { DEFAULT_SCALE } from '../sim/scale';
import { simulationEnv } from '../sim/env';
import { cachedWorkflowBundle } from '../sim/bundle-cache';
import { CliError, valueRefusal } from './args';
import { readFlags, scaleFlag, scriptUsage } from './run-flags';
import type { UsageEntry } from './usage';

/**
 * `npm run demo [-- --scale county:<id>[,n/m] | --scale city[,n/m]] [--seed s] [--resume] [--day-ms n]`:
 * the plan 2016–2020 simulated on the running stack, in its own namespace (tuopin-sim-<run>), database
 * (tuopin_sim) and JetStream stream, under a declared time scale; logs to a file, people's text on
 * the screen. Exit 0 when every check holds, 3 when one breaks, 1 when the run itself failed.
 *
 * The environment is set before anything that reads the configuration is loaded.
 */
const DEMO_FLAGS: readonly UsageEntry[] = [
  {
    syntax: ['--scale '],
    en: `what to run (default ${DEFAULT_SCALE}: 嵩县 at a hundredth of its households and projects, all 95 villages)`,
    zh: `运行的范围（默认 ${DEFAULT_SCALE}：嵩县，农户和项目取百分之一，全部 95 个行政村）`,
  },
  { syntax: ['--seed  '], en: "the choices' seed (default luoyang-2016): the same seed runs the same plan", zh: '随机选择的种子（默认 luoyang-2016）：种子相同，运行的计划相同' },
  { syntax: ['--fresh '], en: "start clean: drop the simulation's database and stream (default)", zh: '从头开始：删除模拟的数据库和事件流（默认）' },
  { syntax: ['--resume'], en: 'carry on the last run with the same seed and scale', zh: '接着上一次种子和规模相同的运行继续' },
  {
    syntax: ['--day-ms'],
    en: 'real milliseconds one business day lasts (default 50: a 10-day notice in 1 s, a 12-month warranty in 18 s)',
    zh: '一个工作日折合的实际毫秒数（默认 50：10 天公示期 1 秒，12 个月质保期 18 秒）',
  },
];
const USAGE = scriptUsage('usage: npm run demo -- [--scale county:<id>[,n/m] | --scale city[,n/m]] [--seed <text>] [--fresh | --resume] [--day-ms <ms>]', DEMO_FLAGS);

const main = async (): Promise<number> => {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const flag = readFlags(args, DEMO_FLAGS, USAGE);
  const scale = scaleFlag(flag('scale') ?? DEFAULT_SCALE);
  const seed = flag('seed') ?? 'luoyang-2016';
  const dayMs = Number(flag('day-ms') ?? '50');
  if (!Number.isFinite(dayMs) || dayMs < 1 || dayMs > 86_400_000) {
    const text = flag('day-ms');
    throw valueRefusal('day-ms', `"${text}" must be a number of milliseconds from 1 to 86400000`, `“${text}”须为 1 至 86400000 之间的毫秒数`);
  }
  const fresh = !args.includes('--resume');

  const dataDir = path.resolve(process.env.TUOPIN_DATA_DIR || '.data');
  const logFile = path.join(dataDir, 'sim', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  Object.assign(process.env, simulationEnv(process.env, { dayMs, logFile }));
  const bundle = await cachedWorkflowBundle(path.join(dataDir, 'sim'));
  if (bundle) process.env.TUOPIN_WORKFLOW_BUNDLE = bundle;
  const { runSimulation } = await import('../sim/run.js');
  const { terminalDisplay } = await import('../sim/display.js');
  const r = await runSimulation({ scale, seed, fresh, time: { secondsPerDay: dayMs / 1000 }, dataDir, logFile }, terminalDisplay());
  process.stdout.write(r.verification.ok ? '全部核验通过 all checks hold\n' : '核验未通过 a check failed\n');
  return r.verification.ok ? 0 : 3;
};

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof CliError) process.stderr.write(`${e.message}\n`);
    else process.stderr.write(`\ndemo failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
