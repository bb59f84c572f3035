import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { appendToStream, verify } from '../infra/eventstore';
import { rebuildProjection } from '../infra/projections/rebuild';
import { PROJECTIONS } from '../infra/projections/all';
import { loadFund } from '../activities/fund-streams';
import * as fund from '../domain/fund';
import type { Fen } from '../domain/shared/money';
import { WHOLE } from '../domain/reference/county-share';
import { appropriateFund } from './appropriate-fund';
import { fundTotals } from './fund-queries';
import { progressAgainstPlan } from './exit-progress';
import { buildReport, WHOLE_CITY, type ReportScope } from './report';
import { reportHtml } from './report-html';
import { reportXlsx } from './report-xlsx';
import { reportTables } from './report-tables';

jest.setTimeout(120_000);

const finance = { userId: 'fin.song.1', role: 'county-finance' as const, countyId: 'song' as const };
const meta = { actor: finance, now: '2018-03-01T09:00:00+08:00' };
const metadata = { actor: finance, countyId: 'song' as const, correlationId: 'c', causationId: 'c', businessDate: '2018-03-01' };
const SONG: ReportScope = { counties: [{ countyId: 'song', fraction: WHOLE }] };

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('report');
});
afterAll(async () => {
  await t.drop();
});

const appropriate = async (fundId: string, source: 'central' | 'county', countyId: 'song' | 'luanchuan', amount: number) => {
  const r = await appropriateFund(
    t.appDb,
    {
      type: 'AppropriateFund',
      data: { fundId, source, fiscalYear: 2018, countyId, documentNumber: `doc-${fundId}`, amount: amount as Fen, earmark: ['transport'] },
      meta: { ...meta, actor: { ...finance, countyId } },
    },
    { creditTreasury: false },
  );
  expect(r.ok).toBe(true);
};

/** One command on a fund, decided on its current state and appended at its version. */
const onFund = async (fundId: string, command: fund.FundCommand, id: string) => {
  const { state, version } = await loadFund(t.appDb, fundId);
  const d = fund.decide(command, state);
  if (!d.ok) throw new Error(JSON.stringify(d));
  await appendToStream(
    t.appDb,
    `fund-${fundId}`,
    version,
    d.events.map((e, k) => ({ eventId: `${id}-${k}`, type: e.type, data: e.data, metadata })),
  );
};

const exit = async (n: number, members: number) => {
  const householdId = `hh-song-r${n}`;
  await appendToStream(t.appDb, `household-${householdId}`, 'any', [
    {
      eventId: `exit-${n}`,
      type: 'HouseholdExitAnnounced',
      data: {
        householdId,
        by: 'w.team.1',
        at: '2018-11-01T09:00:00+08:00',
        countyId: 'song',
        villageId: 'vil-song-001',
        year: 2018,
        memberCount: members,
        policy: { id: 'exit-thresholds', version: 1, year: 2018 },
        explanation: { zh: '达标', en: 'met' },
      },
      metadata,
    },
  ]);
};

const head = async () => Number((await sql<{ p: string }>`SELECT max(position)::text AS p FROM events`.execute(t.appDb)).rows[0]!.p);
const rebuildAll = async () => {
  for (const p of PROJECTIONS) await rebuildProjection(t.adminDb, p);
};

describe('the report', () => {
  let early: number;

  beforeAll(async () => {
    await appropriate('fund-song-2018-rep-c1', 'central', 'song', 500_000_000);
    await exit(1, 3);
    early = await head();
    await appropriate('fund-song-2018-rep-k1', 'county', 'song', 200_000_000);
    await appropriate('fund-luanchuan-2018-rep-c1', 'central', 'luanchuan', 100_000_000);
    const allocate: fund.FundCommand = {
      type: 'AllocateFund',
      data: {
        fundId: 'fund-song-2018-rep-c1',
        allocationId: 'alc-rep-1',
        projectId: 'prj-song-2018-rep1',
        projectCountyId: 'song',
        category: 'transport',
        amount: 63_000_000 as Fen,
      },
      meta,
    };
    await onFund('fund-song-2018-rep-c1', allocate, 'alloc-1');
    const pay: fund.FundCommand = {
      type: 'DisburseFund',
      data: { fundId: 'fund-song-2018-rep-c1', allocationId: 'alc-rep-1', paymentId: 'pay-rep-1', milestone: 'advance', payee: 'acct-payee-1', amount: 18_900_012 as Fen },
      meta,
    };
    await onFund('fund-song-2018-rep-c1', pay, 'pay-1');
    await onFund('fund-song-2018-rep-k1', { type: 'ReturnFund', data: { fundId: 'fund-song-2018-rep-k1', amount: 1_000_001 as Fen, reason: '结余收回' }, meta }, 'ret-1');
    await exit(2, 4);
    await exit(3, 2);
    // The live read models, as the API serves them once its projectors have caught up.
    await rebuildAll();
  });

  it('at the head, equals what the API answers (GET /funds/totals, GET /progress) to the fen, and states the digest verify prints', async () => {
    const rep = await buildReport(t.appDb, WHOLE_CITY);
    const api = await fundTotals(t.appDb, {}, ['source']);
    expect(rep.money.total).toMatchObject({
      appropriatedFen: api.total.appropriatedFen,
      paidFen: api.total.paidFen,
      returnedFen: api.total.returnedFen,
      availableFen: api.total.availableFen,
      allocatedUnpaidFen: api.total.allocatedUnpaidFen,
    });
    expect(rep.money.total.appropriatedFen).toBe(800_000_000);
    expect(rep.money.total.paidFen).toBe(18_900_012);
    expect(rep.money.total.returnedFen).toBe(1_000_001);
    for (const g of api.groups) expect(rep.money.bySource.find((s) => s.key === g.source)).toMatchObject({ appropriatedFen: g.appropriatedFen, paidFen: g.paidFen });
    const byCounty = await fundTotals(t.appDb, {}, ['county']);
    for (const g of byCounty.groups)
      expect(rep.money.byCounty.find((c) => c.key === g.countyId)).toMatchObject({ appropriatedFen: g.appropriatedFen, availableFen: g.availableFen });

    const progress = await progressAgainstPlan(t.appDb, { countyId: 'song' });
    const y2018 = progress.years.find((y) => y.year === 2018)!;
    const song2018 = rep.exits.find((e) => e.countyId === 'song' && e.year === 2018)!;
    expect({ households: song2018.households, people: song2018.people }).toEqual({ households: y2018.households.exited, people: y2018.people.exited });
    expect(song2018.people).toBe(9);

    const transport = rep.categories.find((c) => c.category === 'transport')!;
    expect(transport.paidFen).toBe(0); // the payment names a project no proposal registered: it is the fund's, not a category's

    const chains = await verify(t.appDb);
    expect(rep.store.position).toBe(await head());
    expect(rep.store.digest).toBe(chains.digest);
  });

  it('at an earlier position, shows the books as they stood then, with that position and its own digest', async () => {
    const now = await buildReport(t.appDb, SONG);
    const then = await buildReport(t.appDb, SONG, { position: early });
    expect(then.store.position).toBe(early);
    expect(then.store.head).toBe(now.store.position);
    expect(then.store.digest).not.toBe(now.store.digest);
    expect(then.money.total).toMatchObject({ funds: 1, appropriatedFen: 500_000_000, paidFen: 0, returnedFen: 0 });
    expect(then.exits.find((e) => e.year === 2018)).toMatchObject({ households: 1, people: 3 });
    expect(now.money.total).toMatchObject({ funds: 2, appropriatedFen: 700_000_000, paidFen: 18_900_012, returnedFen: 1_000_001 });
    // The live read models are untouched by the replay.
    expect((await fundTotals(t.appDb, { county: 'song' }, [])).total.appropriatedFen).toBe(700_000_000);
  });

  it('the workbook holds 元 numbers whose columns sum to the books to the fen, and the page draws its charts as SVG with Chinese text', async () => {
    const rep = await buildReport(t.appDb, WHOLE_CITY);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportXlsx(rep, { title: '测试报告', generatedAt: '2026-12-06T00:00:00Z' })) as never);
    const ws = wb.getWorksheet('资金（按来源）')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header[0]).toBe('资金来源');
    const col = header.indexOf('下达（元）') + 1;
    expect(col).toBeGreaterThan(0);
    const values: number[] = [];
    ws.eachRow((row, i) => {
      if (i > 1 && typeof row.getCell(col).value === 'number') values.push(row.getCell(col).value as number);
    });
    const total = values.pop()!;
    expect(Math.round(values.reduce((a, b) => a + b, 0) * 100)).toBe(Math.round(total * 100));
    expect(Math.round(total * 100)).toBe(800_000_000);
    const paidCol = header.indexOf('已拨付（元）') + 1;
    const totalRow = ws.getRow(values.length + 2);
    expect(totalRow.getCell(paidCol).value).toBe(189_000.12);
    expect(wb.getWorksheet('说明')!.getRow(2).getCell(1).value).toContain(`store position ${rep.store.position}`);

    const html = reportHtml(rep, { title: '测试报告', generatedAt: '2026-12-06T00:00:00Z' });
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html).toContain('净脱贫人口与规划目标');
    expect(html).toContain(rep.store.digest);
    expect(html).toContain('18.900012'); // 189,000.12元 written exactly in 万元
    expect(reportTables(rep).map((x) => x.id)).toEqual([
      'exits-by-year',
      'exits-by-county',
      'money-by-source',
      'money-by-county',
      'projects-by-category',
      'benefits-by-programme',
      'anomalies',
    ]);
  });
});
