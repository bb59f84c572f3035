import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatYuan } from '../domain/shared/money';
import { runProjectList } from '../cli/commands/project-list';
import { runProjectShow } from '../cli/commands/project-queries';
import { runFundList, runFundShow } from '../cli/commands/fund-queries';
import { runAudit } from '../cli/commands/audit';
import { runProjectSteps } from '../cli/commands/project-steps';
import { runProjectionRebuild, runVerify } from '../cli/commands/store-checks';
import { waitForProposal, waitForSummary } from '../cli/commands/project-path';
import { displayWidth } from '../cli/table';
import type { ProgressStream } from '../cli/progress';
import { getFundBalance } from '../services/fund-queries';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import { appropriate, FINANCE, startProject } from './support/project-walk';

jest.setTimeout(120_000);

/** What a command printed, line by line, as `out` receives it. */
const capture = () => {
  const lines: string[] = [];
  return { lines, out: (l = '') => void lines.push(l), text: () => lines.join('\n') };
};

/** Progress goes to stderr; here to a log-like stream (no terminal) the test can read. */
const logStream = () => {
  const chunks: string[] = [];
  const stream: ProgressStream = { isTTY: false, write: (s: string) => chunks.push(s) };
  return { chunks, stream };
};

describe('queries from a terminal through the services the API uses: tuopin project|fund list|show, tuopin audit, verify, projection rebuild', () => {
  let stack: TestStack;
  let api: TestApi;
  let projectId = '';
  const suffix = Date.now().toString(36).slice(-4);
  // Amounts with odd fen, so a total off by a fen (or added in floating yuan) shows.
  const FUNDS = [
    { id: `fund-song-2016-cq${suffix}a`, source: 'central' as const, amount: 123_456_789 },
    { id: `fund-song-2016-cq${suffix}b`, source: 'provincial' as const, amount: 10_000_001 },
    { id: `fund-song-2016-cq${suffix}c`, source: 'county' as const, amount: 33 },
  ];

  beforeAll(async () => {
    stack = await startTestStack('cli-queries');
    api = await startTestApi(stack);
    const positions: number[] = [];
    for (const f of FUNDS) positions.push((await appropriate(stack.db.appDb, f.id, f.source, f.amount)).position);
    const h = await startProject(stack);
    projectId = h.workflowId.replace(/^project-/, '');
    const recorded = await waitForProposal(stack.client, stack.db.appDb, projectId);
    await waitForSummary(stack.db.appDb, projectId, recorded.position);
    // The read model follows the store through NATS: wait until it has every appropriation.
    for (const [i, f] of FUNDS.entries()) {
      await until(`${f.id} in the read model at ${positions[i]}`, () => getFundBalance(stack.db.appDb, f.id), {
        ok: (b) => (b?.lastEventPosition ?? 0) >= positions[i]!,
        intervalMs: 100,
      });
    }
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  it('lists projects as a table, and as JSON the same items GET /projects answers', async () => {
    const table = capture();
    await runProjectList(['--county', '嵩县', '--year', '2016'], stack.db.appDb, table.out);
    expect(table.lines[0]).toMatch(/^项目 project\s+县 county\s+类别 category\s+年度 year\s+阶段 stage\s+下一步 next\s+预算 budget\s+名称 name$/);
    const row = table.lines.find((l) => l.startsWith(projectId));
    expect(row).toMatch(/嵩县\s+交通\s+2016\s+已申报，待乡镇审核\s+乡镇干部（嵩县）\s+1,050,000\.00元\s+车村镇通村道路硬化$/);
    expect(table.lines.at(-1)).toMatch(/^1 个项目 project\(s\)\s+1,050,000\.00元$/);

    const json = capture();
    await runProjectList(['--county', 'song', '--json'], stack.db.appDb, json.out);
    const fromCli = JSON.parse(json.text()) as { items: unknown[]; totals: { budgetFen: number } };
    const r = await api.app.inject({ method: 'GET', url: '/projects', query: { county: 'song' }, headers: await api.bearer(FINANCE) });
    expect(r.statusCode).toBe(200);
    expect(fromCli.items).toEqual(r.json<{ items: unknown[] }>().items);
    expect(fromCli.totals.budgetFen).toBe(105_000_000);

    const none = capture();
    await runProjectList(['--county', 'song', '--category', 'education'], stack.db.appDb, none.out);
    expect(none.lines.at(-1)).toMatch(/^0 个项目 project\(s\)\s+0\.00元$/);
    await expect(runProjectList(['--year', '1999'], stack.db.appDb, none.out)).rejects.toMatchObject({ code: 'CLI_INVALID_INPUT', message: expect.stringMatching(/^--year: /) });
  });

  it("shows one project: its read-model row and the workflow's live status", async () => {
    const shown = capture();
    await runProjectShow([projectId], { db: stack.db.appDb, client: stack.client }, shown.out);
    expect(shown.text()).toContain(projectId);
    expect(shown.text()).toMatch(/阶段 stage\s+\S+（proposed）/);
    const json = capture();
    await runProjectShow([projectId, '--json'], { db: stack.db.appDb, client: stack.client }, json.out);
    const r = await api.app.inject({ method: 'GET', url: `/projects/${projectId}`, headers: await api.bearer(FINANCE) });
    expect((JSON.parse(json.text()) as { summary: unknown }).summary).toEqual(r.json<{ summary: unknown }>().summary);
  });

  it('lists funds with a total row equal to the sum of the rows to the fen, reconciled with the database', async () => {
    const expected = FUNDS.reduce((n, f) => n + f.amount, 0);
    const json = capture();
    await runFundList(['--county', 'song', '--json'], stack.db.appDb, json.out);
    const listed = JSON.parse(json.text()) as { items: { fundId: string; appropriatedFen: number; availableFen: number }[]; totals: Record<string, number> };
    expect(listed.items.map((f) => f.fundId)).toEqual(FUNDS.map((f) => f.id));
    expect(listed.totals.appropriatedFen).toBe(listed.items.reduce((n, f) => n + f.appropriatedFen, 0));
    expect(listed.totals.appropriatedFen).toBe(expected);
    expect(listed.totals.availableFen).toBe(expected);
    const r = await api.app.inject({ method: 'GET', url: '/funds', query: { county: 'song' }, headers: await api.bearer(FINANCE) });
    expect(listed.items).toEqual(r.json<{ items: unknown[] }>().items);

    const table = capture();
    await runFundList(['--county', '嵩县', '--year', '2016'], stack.db.appDb, table.out);
    const total = table.lines.find((l) => l.startsWith('3 项资金 fund(s)'));
    expect(total).toContain(formatYuan(expected));
    expect(formatYuan(expected)).toBe('1,334,568.23元');
    expect(table.lines.at(-1)).toBe("totals reconcile to the fen with the database's sums over 3 fund(s) 合计与数据库汇总核对到分");
    expect(table.lines.filter((l) => l.startsWith('fund-')).every((l) => /\s嵩县\s/.test(l))).toBe(true);
    // The 文号 holds Chinese: the amounts after it still end at the header's display column.
    const headerEnd = displayWidth(table.lines[0]!.slice(0, table.lines[0]!.indexOf('下达 appropriated') + '下达 appropriated'.length));
    const rowEnds = table.lines.filter((l) => l.startsWith('fund-') || l.startsWith('3 项资金 fund(s)')).map((l) => displayWidth(l.slice(0, l.indexOf('元') + 1)));
    expect(rowEnds).toEqual([headerEnd, headerEnd, headerEnd, headerEnd]);

    const central = capture();
    await runFundList(['--source', 'central', '--json'], stack.db.appDb, central.out);
    expect((JSON.parse(central.text()) as { totals: { appropriatedFen: number } }).totals.appropriatedFen).toBe(123_456_789);
  });

  it("shows one fund: its books from the stream and the read model's balances", async () => {
    const shown = capture();
    await runFundShow([FUNDS[0]!.id], stack.db.appDb, shown.out);
    expect(shown.text()).toMatch(/下达 appropriated\s+1,234,567\.89元/);
    expect(shown.text()).toMatch(/平衡 invariant\s+holds to the fen 到分相符/);
    expect(shown.text()).toContain('read model (as the API serves it)');
    const json = capture();
    await runFundShow([FUNDS[0]!.id, '--json'], stack.db.appDb, json.out);
    const r = await api.app.inject({ method: 'GET', url: `/funds/${FUNDS[0]!.id}`, headers: await api.bearer(FINANCE) });
    expect(JSON.parse(json.text())).toEqual(r.json());
  });

  it('prints an audit trail as a table and writes the same CSV (with BOM) the API serves', async () => {
    const fundId = FUNDS[1]!.id;
    const dir = await mkdtemp(path.join(tmpdir(), 'tuopin-audit-'));
    const file = path.join(dir, 'trail.csv');
    const shown = capture();
    await runAudit(['fund', fundId, '--csv', file], stack.db.appDb, shown.out);
    expect(shown.lines[0]).toMatch(
      /^库位置 position\s+事项 event\s+金额 amount\s+项目 project\s+收款方\/农户 payee\s+办理人 actor\s+角色 role\s+业务日期 business date\s+记录时间 recorded\s+存证 chain$/,
    );
    expect(shown.lines[2]).toMatch(/^\s*\d+\s+\S+.*\s[\d,]+\.\d{2}元\s.*qian\.li\s+\S+\s+\S+\s+\S+\s+ok$/);
    expect(shown.lines.at(-1)).toBe(`1 event(s); every hash chain verifies; CSV written to ${file}`);

    const csv = await readFile(file, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const r = await api.app.inject({ method: 'GET', url: `/audit/fund/${fundId}`, query: { format: 'csv' }, headers: await api.bearer(FINANCE) });
    expect(r.statusCode).toBe(200);
    expect(csv).toBe(r.payload);
    // The county as people read it beside its id.
    expect(csv.split('\r\n')[0]).toContain(',countyId,countyName,');
    expect(csv).toContain('"song","嵩县"');

    const json = capture();
    await runAudit(['project', projectId, '--json'], stack.db.appDb, json.out);
    expect(JSON.parse(json.text())).toMatchObject({
      kind: 'project',
      id: projectId,
      verified: true,
      entries: expect.arrayContaining([expect.objectContaining({ type: 'ProjectProposed', userId: 'li.ming' })]),
    });

    await expect(runAudit(['fund', projectId], stack.db.appDb, json.out)).rejects.toMatchObject({ code: 'CLI_INVALID_INPUT' });
    // A well-formed id of nothing recorded: told in both languages, English first.
    await expect(runAudit(['household', 'hh-song-nothere'], stack.db.appDb, json.out)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'no events touch household hh-song-nothere\n没有涉及农户 hh-song-nothere 的事件',
    });
    await expect(runFundShow(['fund-song-2016-nothere', '--json'], stack.db.appDb, json.out)).rejects.toMatchObject({
      code: 'FUND_NOT_FOUND',
      message: 'no fund fund-song-2016-nothere in the read model\n读模型中没有资金 fund-song-2016-nothere',
    });
    await expect(runProjectSteps(['prj-song-2016-nothere'], () => stack.db.appDb, json.out)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'no project prj-song-2016-nothere\n项目 prj-song-2016-nothere 不存在',
    });
    await expect(runAudit(['village', 'x'], stack.db.appDb, json.out)).rejects.toMatchObject({ code: 'CLI_USAGE' });
  });

  it('verifies every chain and rebuilds a read model, with progress on the log stream, leaving the fund totals unchanged', async () => {
    const verified = capture();
    const vlog = logStream();
    const report = await runVerify(stack.db.appDb, verified.out, vlog.stream);
    expect(report).toMatchObject({ ok: true, broken: 0 });
    expect(report.streams).toBeGreaterThanOrEqual(FUNDS.length + 1);
    expect(vlog.chunks.at(-1)).toMatch(
      new RegExp(
        `^verify 校验: ${report.streams} streams 条流 in \\S+ \\([\\d,]+/s\\); ${report.events} events, every chain holds（${report.events} 个事件，每条哈希链均完整）\\n$`,
      ),
    );

    const before = capture();
    await runFundList(['--json'], stack.db.appDb, before.out);
    const rebuilt = capture();
    const rlog = logStream();
    await runProjectionRebuild(['fund_balances'], stack.db.adminDb, rebuilt.out, rlog.stream);
    expect(rebuilt.lines.at(-1)).toMatch(/^fund_balances: rebuilt from 3 event\(s\) and swapped in as fund_balances/);
    expect(rlog.chunks.at(-1)).toMatch(/^rebuild fund_balances 重建读模型: 3 events 个事件 in /);
    const after = capture();
    await runFundList(['--json'], stack.db.appDb, after.out);
    expect(JSON.parse(after.text())).toEqual(JSON.parse(before.text()));

    await expect(runProjectionRebuild(['no_such_model'], stack.db.adminDb, rebuilt.out)).rejects.toMatchObject({
      code: 'CLI_USAGE',
      message: expect.stringContaining('project_summary|fund_balances|exit_progress'),
    });
  });
});
