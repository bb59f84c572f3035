import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { Connection } from '@temporalio/client';
import { parseConfig, type Config } from '../infra/config';
import { createDb, type CreateDbOptions, type Database } from '../infra/database';
import { logger } from '../infra/logger';
import { databaseName, ensureDatabase, runMigrations, withDatabase } from '../infra/migrate';
import { connectNats, ensureEventStream, jetstreamManager } from '../infra/nats';
import { connectTemporal } from '../infra/temporal-client';
import { ensureNamespace } from '../infra/stack/temporal';
import { temporalConnectionOptions } from '../infra/temporal-client';
import { countyById } from '../domain/reference/counties';
import { formatWan, type Fen } from '../domain/shared/money';
import { timeScaleLabel, type TimeScale } from '../domain/policy/time-scale';
import { startAll } from '../workers/main';
import { DEFAULT_LANES, inLane, lanesOf, newTally, sleep, type LaneSizes, type SimContext } from './context';
import type { Display } from './display';
import { appropriateYear, returnHeadroom } from './funds';
import { exitStateOf, registerCounty, runExitYear } from './exits';
import { closedAccountSwitches, openAccounts, planBenefits, runBenefitYear, type CountyBenefits, type YearBenefits } from './benefits';
import { planSimulation, SIM_YEARS, type SimPlan } from './plan';
import { runProject, type ProjectRun } from './projects';
import { fractionLabel, type SimScale } from './scale';
import { buildReport, type Report } from '../services/report';
import { reportLines } from '../cli/report-text';
import { writeReport } from '../cli/commands/report';
import { verifyRun, type Verification } from './verify';

/**
 * A simulated run of the plan, 2016–2020, in its own Temporal namespace, database and JetStream
 * stream, under a declared time scale. The worker, relay and projectors run in this process; the
 * driver reaches the system only through its services, Updates and the rail.
 */
export interface RunOptions {
  readonly scale: SimScale;
  readonly seed: string;
  /** Start clean (drop the simulation's database and stream) or resume the last run. */
  readonly fresh: boolean;
  readonly time: TimeScale;
  readonly dataDir: string;
  readonly logFile: string;
  /** A clean run's tag (hence its namespace, tuopin-sim-<tag>) chosen by the caller, who starts the workers for it; drawn from the clock when absent. */
  readonly runTag?: string;
  /** Where the worker, relay and projectors run: in this process (default), or in processes the caller starts and stops (npm run chaos). */
  readonly workers?: 'in-process' | 'elsewhere';
  /** Opens the driver's connections (default createDb); the fault run's retries a statement when PostgreSQL restarts under it. */
  readonly openDb?: (url: string, opts: CreateDbOptions) => Kysely<Database>;
  /** How many villages, projects and benefit rounds are moved at once (default DEFAULT_LANES). */
  readonly lanes?: LaneSizes;
}

export interface RunResult {
  readonly verification: Verification;
  /** The report at the position the checks were made at. */
  readonly report: Report;
  /** The run's Temporal namespace (tuopin-sim-<run>). */
  readonly namespace: string;
  readonly seconds: number;
  readonly events: number;
  readonly updates: number;
}

/** Why a simulated run's anomalies list "按未生效的规则表办理": its notices and warranties run under the declared scaled tables, as they must. */
const SIMULATION_TABLES_NOTE =
  '注：模拟运行按声明的时间比例缩短公示期、质保期，所依规则表不是生产环境生效的规则表，故其项目事件均列为“按未生效的规则表办理”；生产命名空间拒绝此类规则表。';

interface SavedRun {
  readonly runTag: string;
  readonly namespace: string;
  readonly seed: string;
  readonly scale: string;
}

/** Clean: an empty database and stream, and the last run's namespace gone with its processes. */
const prepare = async (cfg: Config, o: RunOptions, previous: string | undefined, say: (s: string) => void) => {
  if (o.fresh && previous && previous !== cfg.TEMPORAL_NAMESPACE) {
    const connection = await Connection.connect(temporalConnectionOptions(cfg));
    await connection.operatorService.deleteNamespace({ namespace: previous }).catch(() => undefined);
    await connection.close();
  }
  await ensureNamespace(temporalConnectionOptions(cfg), cfg.TEMPORAL_NAMESPACE, () => undefined);
  const name = databaseName(cfg.DATABASE_ADMIN_URL);
  if (o.fresh) {
    const postgres = createDb(withDatabase(cfg.DATABASE_ADMIN_URL, 'postgres'), { max: 1, applicationName: 'tuopin-sim-prepare' });
    try {
      await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(postgres);
    } finally {
      await postgres.destroy();
    }
  }
  await ensureDatabase(cfg.DATABASE_ADMIN_URL);
  await runMigrations(cfg.DATABASE_ADMIN_URL);
  const nc = await connectNats(cfg.NATS_URL, 'tuopin-sim-prepare');
  try {
    const jsm = await jetstreamManager(nc);
    if (o.fresh) await jsm.streams.delete(cfg.NATS_STREAM).catch(() => false);
    await ensureEventStream(jsm, cfg.NATS_STREAM, cfg.NATS_SUBJECT_PREFIX);
  } finally {
    await nc.close();
  }
  say(`  数据库 ${name}，JetStream ${cfg.NATS_STREAM}，Temporal 命名空间 ${cfg.TEMPORAL_NAMESPACE}${o.fresh ? '（新建）' : '（续跑）'}`);
};

const savedRun = (file: string, o: RunOptions): { run: SavedRun; previous?: string } => {
  const wanted = { seed: o.seed, scale: o.scale.label };
  const last = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SavedRun) : undefined;
  if (!o.fresh) {
    if (last && last.seed === wanted.seed && last.scale === wanted.scale) return { run: last };
    throw new Error(
      last ? `--resume: the last run was seed ${last.seed}, scale ${last.scale}; run without --resume to start this one` : '--resume: there is no earlier run to resume',
    );
  }
  // The tag is drawn from the clock: a clean run's workflow ids are new, its choices still the seed's.
  const runTag = o.runTag ?? createHash('sha256').update(`${o.seed}:${Date.now()}`).digest('hex').slice(0, 4).replace(/^\d/, 'r');
  const run = { runTag, namespace: `tuopin-sim-${runTag}`, ...wanted };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(run, null, 2));
  return { run, ...(last ? { previous: last.namespace } : {}) };
};

/** The treasury returns one transfer per project the plan says meets a closed account (TUOPIN_RAIL_SWITCHES of the run's workers). */
export const railSwitches = (plan: SimPlan, benefits: readonly CountyBenefits[]): string | undefined => {
  const keys = [
    ...plan.counties.flatMap((c) => c.projects.filter((p) => p.trouble === 'transfer-rejected').map((p) => `fail=ACCOUNT_CLOSED*1@^${p.projectId}:`)),
    ...closedAccountSwitches(benefits),
  ];
  return keys.length > 0 ? keys.join(',') : undefined;
};

const wanOf = (f: number) => formatWan(f as Fen);

const MiB = 1024 * 1024;
/** This process's memory as each phase ends: resident (every thread, the workflows' included) and the main thread's heap. */
const memoryNow = (): string => {
  const m = process.memoryUsage();
  return `RSS ${(m.rss / MiB).toFixed(0)} MiB, heap ${(m.heapUsed / MiB).toFixed(0)} MiB`;
};

export const runSimulation = async (o: RunOptions, display: Display): Promise<RunResult> => {
  const say = display.say;
  const t0 = Date.now();
  const { run: saved, previous } = savedRun(path.join(o.dataDir, 'sim', 'run.json'), o);
  const plan = planSimulation(o.seed, saved.runTag, o.scale.counties);
  const benefits = plan.counties.map((c) => planBenefits(o.seed, c));
  const cfg = parseConfig({ ...process.env, TEMPORAL_NAMESPACE: saved.namespace, TUOPIN_RAIL_SWITCHES: railSwitches(plan, benefits) ?? '' });
  say(`tuopin 模拟：洛阳市“十三五”脱贫攻坚规划 2016–2020（洛政办〔2017〕67号）`);
  for (const c of plan.counties) {
    const people = c.registry.households.reduce((s, h) => s + h.members.length, 0);
    say(
      `  ${countyById(c.countyId).zh}：规模 ${fractionLabel(c.fraction)}，${c.registry.villages.length} 个贫困村，${c.registry.households.length} 户 ${people} 人，${c.projects.length} 个项目，${c.funds.length} 笔资金`,
    );
  }
  say(
    `  种子 seed ${o.seed}，运行标记 run ${saved.runTag}；时间比例 ${timeScaleLabel(o.time)}（项目公示10天 = ${Math.ceil(10 * o.time.secondsPerDay)} 秒，质保12个月 = ${Math.round(12 * 30.4375 * o.time.secondsPerDay)} 秒）`,
  );
  const sizes = o.lanes ?? DEFAULT_LANES;
  say(`  同时推进 at once: ${sizes.villages} 个村的退出, ${sizes.projects} 个项目, ${sizes.rounds} 批到户补助`);
  say(`  日志 logs: ${o.logFile}`);
  await prepare(cfg, o, previous, say);

  const all = o.workers === 'elsewhere' ? undefined : await startAll(cfg);
  const client = await connectTemporal(cfg);
  const openDb = o.openDb ?? createDb;
  const db = openDb(cfg.DATABASE_URL, { max: 8, applicationName: 'tuopin-sim' });
  const adminDb = openDb(cfg.DATABASE_ADMIN_URL, { max: 2, applicationName: 'tuopin-sim-admin' });
  const x: SimContext = {
    client,
    db,
    cfg,
    plan,
    time: o.time,
    display,
    log: logger.child({ component: 'sim', runTag: saved.runTag }),
    tally: newTally(),
    lanes: lanesOf(o.lanes ?? DEFAULT_LANES),
  };
  const phase = (label: string, started: number, detail: string) => {
    display.status('');
    say(`  ${label.padEnd(10, '　')} ${detail}  (${((Date.now() - started) / 1000).toFixed(1)} s, ${memoryNow()})`);
  };
  try {
    say('');
    const exits = plan.counties.map(exitStateOf);
    let t = Date.now();
    for (const s of exits) {
      t = Date.now(); // each county's own seconds
      const r = await registerCounty(x, s);
      phase('建档立卡', t, `${countyById(s.plan.countyId).zh} ${s.plan.registry.villages.length} 个贫困村，${r.households} 户 ${r.people} 人`);
    }
    t = Date.now();
    const accounts = (await Promise.all(benefits.map((b) => openAccounts(x, b)))).reduce((a, n) => a + n, 0);
    phase('一卡通', t, `${accounts} 户开设惠农一卡通账户（到户补助发放账户）`);
    const running: ProjectRun[] = [];
    for (const year of SIM_YEARS) {
      say(`${year} 年`);
      t = Date.now();
      const funds = plan.counties.flatMap((c) => c.funds.filter((f) => f.year === year));
      await appropriateYear(x, funds);
      phase('资金下达', t, `${funds.length} 笔 ${wanOf(funds.reduce((s, f) => s + f.amount, 0))}（${[...new Set(funds.map((f) => f.source))].length} 个来源）`);

      t = Date.now();
      const projects = plan.counties.flatMap((c) => c.projects.filter((p) => p.year === year));
      let settledCount = 0;
      const settledAll: Promise<void>[] = [];
      // A project holds its place in the lane until it is settled; its warranty, retention and handover then run on outside it.
      const lanes = inLane(x.lanes.projects, projects, async (p) => {
        const r = runProject(x, p);
        r.closed.catch(() => undefined); // awaited at the end; marked handled so a failure while others run is not fatal before then
        running.push(r);
        await r.settled;
        settledCount += 1;
        display.status(`  ${year} 项目 ${settledCount}/${projects.length} 已结算`);
      });
      lanes.catch(() => undefined); // awaited after the exits; marked handled so a failure meanwhile is reported there
      settledAll.push(lanes);
      const te = Date.now();
      // The year's benefit rounds run beside the exit rounds, as in a county where different offices do each.
      const benefitYear = Promise.all(benefits.map((b) => runBenefitYear(x, b, year))).then((ys) => ({ ys, seconds: (Date.now() - te) / 1000 }));
      benefitYear.catch(() => undefined); // awaited after the exits; marked handled so a failure meanwhile is reported there
      const exitYears = await Promise.all(exits.map((s) => runExitYear(x, s, year)));
      const ey = exitYears.reduce((a, y) => ({
        ...a,
        households: a.households + y.households,
        people: a.people + y.people,
        refusedConsent: a.refusedConsent + y.refusedConsent,
        objected: a.objected + y.objected,
        returned: a.returned + y.returned,
        villages: a.villages + y.villages,
      }));
      phase(
        '脱贫退出',
        te,
        `${ey.households} 户 ${ey.people} 人退出，${ey.villages} 个贫困村退出；${ey.refusedConsent} 户未签字暂缓，${ey.objected} 户公示有异议，${ey.returned} 户返贫${
          exitYears.some((y) => y.countyExit)
            ? `；摘帽：${exitYears
                .map((y, i) => (y.countyExit ? `${countyById(exits[i]!.plan.countyId).zh} ${y.countyExit === 'exited' ? '已摘帽' : y.countyExit}` : ''))
                .filter(Boolean)
                .join('，')}`
            : ''
        }`,
      );
      const by = await benefitYear;
      const bs = by.ys.reduce((a: YearBenefits, y) => ({
        rounds: a.rounds + y.rounds,
        households: a.households + y.households,
        paid: a.paid + y.paid,
        returned: a.returned + y.returned,
        objected: a.objected + y.objected,
      }));
      if (bs.rounds > 0) {
        display.status('');
        say(
          `  ${'到户补助'.padEnd(10, '　')} ${bs.rounds} 批 ${bs.households} 户次，发放 ${wanOf(bs.paid)}${bs.returned > 0 ? `，退回 ${wanOf(bs.returned)}（账户已销户）` : ''}${bs.objected > 0 ? `，公示异议移除 ${bs.objected} 户` : ''}  (${by.seconds.toFixed(1)} s)`,
        );
      }
      const benefitFunds = by.ys.flatMap((y) => (y.fund ? [y.fund] : []));
      await Promise.all(settledAll);
      phase('项目实施', t, `${projects.length} 个项目完成结算（质保期满后支付质保金并移交资产）`);
      t = Date.now();
      const returned = await returnHeadroom(x, [...funds, ...benefitFunds]);
      phase('结余收回', t, `${wanOf(returned)}`);
    }
    t = Date.now();
    let closed = 0;
    await Promise.all(
      running.map(async (r) => {
        await r.closed;
        closed += 1;
        display.status(`  质保金与资产移交 ${closed}/${running.length}`);
      }),
    );
    phase('资产移交', t, `${running.length} 个项目全部完结（质保金支付，资产移交）`);

    // Let the relay and projectors take in the last events before the read models are checked.
    await sleep(1_500);
    say('');
    say('核验 verification');
    const verification = await verifyRun(db, adminDb);
    for (const c of verification.checks) say(`  ${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`);
    say('');
    // The report at the position the checks were made at: the figures and the digest they stand on.
    const report = await buildReport(db, { counties: o.scale.counties }, { position: verification.position });
    for (const l of reportLines(report)) say(l);
    say(`  ${SIMULATION_TABLES_NOTE}`);
    const files = await writeReport(report, path.join(o.dataDir, 'sim', `report-${saved.runTag}`), {
      title: `洛阳市“十三五”脱贫攻坚规划（2016–2020）模拟运行报告`,
      notes: [
        `规模 scale ${o.scale.label}，种子 seed ${o.seed}，运行标记 run ${saved.runTag}`,
        `时间比例 time scale ${timeScaleLabel(o.time)}（模拟运行，非实际业务数据）`,
        SIMULATION_TABLES_NOTE,
      ],
    });
    say(`报告 report: ${files.html}`);
    say(`             ${files.xlsx}`);
    say('');
    const events = verification.position;
    const seconds = (Date.now() - t0) / 1000;
    say(
      `问题情形 trouble: ${Object.entries(x.tally.troubles)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    say(
      `被拒操作 refusals: ${Object.entries(x.tally.refusals)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    say(`用时 ${seconds.toFixed(0)} s，${events} 个事件，${x.tally.updates} 次操作（${(x.tally.updates / seconds).toFixed(1)}/s），${(events / seconds).toFixed(0)} 事件/s`);
    return { verification, report, namespace: saved.namespace, seconds, events, updates: x.tally.updates };
  } finally {
    display.status('');
    await adminDb.destroy();
    await db.destroy();
    await client.connection.close();
    await all?.stop();
  }
};
