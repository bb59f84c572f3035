// First: the simulation's environment, before anything that reads the configuration is loaded.
import { DEMO_DAY_MS, demoDataDir as dataDir, demoLogFile as logFile } from './support/demo-env';
import { rmSync } from 'node:fs';
import { parseScale } from '../sim/scale';
import { runSimulation, type RunResult } from '../sim/run';

/**
 * `npm run demo` as it runs, on the real stack, at a small scale: 嵩县's plan 2016–2020 through the
 * system's own services and Updates, with household benefits paid, exit rounds, and the checks and
 * report at the end. In its own database and stream, so a demo running beside it is not disturbed.
 */
const lines: string[] = [];
let run: RunResult;

describe('npm run demo, 嵩县 at 1/600', () => {
  beforeAll(async () => {
    run = await runSimulation(
      { scale: parseScale('county:song,1/600'), seed: 'luoyang-2016', fresh: true, time: { secondsPerDay: DEMO_DAY_MS / 1000 }, dataDir, logFile },
      { say: (l = '') => lines.push(l), status: () => undefined },
    );
  }, 900_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('ends with every check holding: chains, the fund invariant, five read models equal to a rebuild, rail = books', () => {
    expect(run.verification.checks.map((c) => [c.name, c.ok])).toEqual([
      ['哈希链 hash chains', true],
      ['资金恒等式 fund invariant', true],
      ['读模型 project_summary = rebuild', true],
      ['读模型 fund_balances = rebuild', true],
      ['读模型 exit_progress = rebuild', true],
      ['读模型 payment_ledger = rebuild', true],
      ['读模型 anomalies = rebuild', true],
      ['国库账 = 账簿 rail ledger = books', true],
    ]);
    expect(run.verification.ok).toBe(true);
  });

  it('pays households through benefit rounds, every year from 2017, and the report lists them by programme', () => {
    const benefitLines = lines.filter((l) => l.trimStart().startsWith('到户补助　'));
    expect(benefitLines.length).toBe(4);
    const byProgramme = new Map(run.report.benefits.map((b) => [b.programmeId, b]));
    expect([...byProgramme.keys()].sort()).toEqual(['extreme-poverty-support', 'secondary-vocational-grant']);
    for (const b of byProgramme.values()) expect(b.paidFen).toBeGreaterThan(0);
    // 中职 is 2,000元 a student and 特困 the 3,000元 floor a person: every programme's total is a whole number of payments.
    expect(byProgramme.get('secondary-vocational-grant')!.paidFen % 200_000).toBe(0);
    expect(byProgramme.get('extreme-poverty-support')!.paidFen % 300_000).toBe(0);
  });

  it('runs the plan through every phase, and the report states the position and digest the checks were made at', () => {
    for (const phase of ['建档立卡', '一卡通', '资金下达', '脱贫退出', '项目实施', '结余收回', '资产移交']) expect(lines.some((l) => l.includes(phase))).toBe(true);
    expect(run.report.store).toMatchObject({ position: run.verification.position, digest: run.verification.digest });
    expect(run.report.exits.reduce((a, e) => a + e.households, 0)).toBeGreaterThan(0);
    expect(run.report.money.total.paidFen).toBeGreaterThan(0);
    expect(lines).toContain('核验 verification');
    expect(lines.some((l) => l.startsWith('库摘要 store digest') && l.includes(run.verification.digest))).toBe(true);
  });
});
