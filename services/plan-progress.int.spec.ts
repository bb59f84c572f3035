import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { appendToStream } from '../infra/eventstore';
import { rebuildProjection } from '../infra/projections/rebuild';
import { PROJECTIONS } from '../infra/projections/all';
import { loadFund } from '../activities/fund-streams';
import * as fund from '../domain/fund';
import type { Fen } from '../domain/shared/money';
import { plannedAtScale, WHOLE } from '../domain/reference/county-share';
import { planSubItemOf } from '../domain/reference/plan-items';
import { appropriateFund } from './appropriate-fund';
import { fundTotals } from './fund-queries';
import { planProgress } from './plan-progress';

jest.setTimeout(120_000);

const finance = { userId: 'fin.song.1', role: 'county-finance' as const, countyId: 'song' as const };
const meta = { actor: finance, now: '2018-03-01T09:00:00+08:00' };
const metadata = { actor: finance, countyId: 'song' as const, correlationId: 'c', causationId: 'c', businessDate: '2018-03-01' };

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('planprogress');
});
afterAll(async () => {
  await t.drop();
});

const appropriate = async (fundId: string, countyId: 'song' | 'luanchuan', amount: number) => {
  const r = await appropriateFund(
    t.appDb,
    {
      type: 'AppropriateFund',
      data: { fundId, source: 'central', fiscalYear: 2018, countyId, documentNumber: `doc-${fundId}`, amount: amount as Fen, earmark: ['transport', 'water'] },
      meta: { ...meta, actor: { ...finance, countyId } },
    },
    { creditTreasury: false },
  );
  expect(r.ok).toBe(true);
};

const onFund = async (fundId: string, command: fund.FundCommand, id: string, countyId: 'song' | 'luanchuan' = 'song') => {
  const { state, version } = await loadFund(t.appDb, fundId);
  const d = fund.decide(command, state);
  if (!d.ok) throw new Error(JSON.stringify(d));
  await appendToStream(
    t.appDb,
    `fund-${fundId}`,
    version,
    d.events.map((e, k) => ({ eventId: `${id}-${k}`, type: e.type, data: e.data, metadata: { ...metadata, countyId } })),
  );
};

/** A proposal as the project workflow records it; `planItem` absent as on proposals stored before sub-items were. */
const propose = async (projectId: string, category: 'transport' | 'water', fiscalYear: number, planItem?: string, countyId: 'song' | 'luanchuan' = 'song') =>
  appendToStream(t.appDb, `project-${projectId}`, 'no-stream', [
    {
      eventId: `propose-${projectId}`,
      type: 'ProjectProposed',
      data: {
        projectId,
        countyId,
        category,
        name: `项目${projectId}`,
        budget: 100_000_000,
        fiscalYear,
        proposedBy: 'li.county',
        proposedAt: meta.now,
        ...(planItem ? { planItem } : {}),
      },
      metadata: { ...metadata, actor: { userId: 'li.county', role: 'county-official', countyId }, countyId },
    },
  ]);

const allocate = (fundId: string, allocationId: string, projectId: string, category: 'transport' | 'water', amount: number, countyId: 'song' | 'luanchuan' = 'song') =>
  onFund(
    fundId,
    {
      type: 'AllocateFund',
      data: { fundId, allocationId, projectId, projectCountyId: countyId, category, amount: amount as Fen },
      meta: { ...meta, actor: { ...finance, countyId } },
    },
    `alloc-${allocationId}`,
    countyId,
  );

const pay = (fundId: string, allocationId: string, paymentId: string, amount: number, householdId?: string, countyId: 'song' | 'luanchuan' = 'song') =>
  onFund(
    fundId,
    {
      type: 'DisburseFund',
      data: { fundId, allocationId, paymentId, milestone: 'advance', payee: `acct-${paymentId}`, ...(householdId ? { householdId } : {}), amount: amount as Fen },
      meta: { ...meta, actor: { ...finance, countyId } },
    },
    `pay-${paymentId}`,
    countyId,
  );

describe('the plan traced to households (GET /progress/plan)', () => {
  beforeAll(async () => {
    await appropriate('fund-song-2018-pp-1', 'song', 900_000_000);
    await appropriate('fund-luanchuan-2018-pp-1', 'luanchuan', 300_000_000);
    await propose('prj-song-2018-pp01', 'transport', 2018, 'transport/rural-roads/village-access');
    await propose('prj-song-2019-pp02', 'transport', 2019, 'transport/rural-roads/village-access');
    await propose('prj-song-2018-pp03', 'water', 2018, 'water/drinking-water');
    await propose('prj-song-2017-pp00', 'transport', 2017); // before sub-items: counted under its category alone
    await propose('prj-luanchuan-2018-pp01', 'water', 2018, 'water/drinking-water', 'luanchuan');
    await allocate('fund-song-2018-pp-1', 'alc-1', 'prj-song-2018-pp01', 'transport', 120_000_001);
    await allocate('fund-song-2018-pp-1', 'alc-2', 'prj-song-2019-pp02', 'transport', 80_000_000);
    await allocate('fund-song-2018-pp-1', 'alc-3', 'prj-song-2018-pp03', 'water', 50_000_000);
    await allocate('fund-song-2018-pp-1', 'alc-4', 'prj-song-2017-pp00', 'transport', 10_000_000);
    await allocate('fund-luanchuan-2018-pp-1', 'alc-l1', 'prj-luanchuan-2018-pp01', 'water', 30_000_000, 'luanchuan');
    await pay('fund-song-2018-pp-1', 'alc-1', 'pp-pay-1', 36_000_003);
    await pay('fund-song-2018-pp-1', 'alc-3', 'pp-pay-2', 2_000_000, 'hh-song-pp0001');
    await pay('fund-song-2018-pp-1', 'alc-3', 'pp-pay-3', 2_000_000, 'hh-song-pp0002');
    await pay('fund-song-2018-pp-1', 'alc-3', 'pp-pay-4', 1_000_000, 'hh-song-pp0001');
    await pay('fund-luanchuan-2018-pp-1', 'alc-l1', 'pp-pay-l1', 3_000_000, 'hh-luanchuan-pp0001', 'luanchuan');
    // The unpaid part of an allocation released back to the fund is no longer allocated.
    await onFund(
      'fund-song-2018-pp-1',
      { type: 'ReleaseAllocation', data: { fundId: 'fund-song-2018-pp-1', allocationId: 'alc-2', amount: 30_000_000 as Fen, reason: '项目调整' }, meta },
      'rel-1',
    );
    for (const p of PROJECTIONS) await rebuildProjection(t.adminDb, p);
  });

  it('per county × category × sub-item × year: the plan amount, allocated net of releases, paid and the households reached', async () => {
    const p = await planProgress(t.appDb, { countyId: 'song' });
    const roads = p.rows.find((r) => r.planItem === 'transport/rural-roads/village-access')!;
    expect(roads).toMatchObject({
      countyId: 'song',
      county: '嵩县',
      categoryZh: expect.any(String),
      planItemZh: '农村公路·通村硬化道路',
      planFen: plannedAtScale(planSubItemOf('transport/rural-roads/village-access')!.amount, 'song', WHOLE),
      projects: 2,
      allocatedFen: 170_000_001,
      paidFen: 36_000_003,
      households: 0,
      years: [
        { year: 2018, allocatedFen: 120_000_001, paidFen: 36_000_003, households: 0 },
        { year: 2019, allocatedFen: 50_000_000, paidFen: 0, households: 0 },
      ],
    });
    expect(p.rows.find((r) => r.planItem === 'water/drinking-water')).toMatchObject({ allocatedFen: 50_000_000, paidFen: 5_000_000, households: 2 });
    expect(p.rows.find((r) => r.category === 'transport' && r.planItem === null)).toMatchObject({ planFen: null, allocatedFen: 10_000_000, years: [{ year: 2017 }] });
    expect(p.rows.every((r) => r.countyId === 'song')).toBe(true);
    expect(p.totals.households).toBe(2);
    expect((await planProgress(t.appDb, { countyId: 'song', year: 2019 })).rows.map((r) => [r.planItem, r.allocatedFen])).toEqual([
      ['transport/rural-roads/village-access', 50_000_000],
    ]);
  });

  it("reconciles to the fen with the funds' books (GET /funds/totals): allocated = allocated-not-yet-paid + paid, and paid, per county and city-wide", async () => {
    for (const county of ['song', 'luanchuan'] as const) {
      const books = (await fundTotals(t.appDb, { county }, [])).total;
      const plan = (await planProgress(t.appDb, { countyId: county })).totals;
      expect({ allocatedFen: plan.allocatedFen, paidFen: plan.paidFen }).toEqual({ allocatedFen: books.allocatedUnpaidFen + books.paidFen, paidFen: books.paidFen });
    }
    const city = (await fundTotals(t.appDb, {}, [])).total;
    const all = await planProgress(t.appDb);
    expect([all.totals.allocatedFen, all.totals.paidFen]).toEqual([city.allocatedUnpaidFen + city.paidFen, city.paidFen]);
    expect(all.totals).toMatchObject({ allocatedFen: 260_000_001, paidFen: 44_000_003, households: 3 });
  });

  it("--all lists every sub-item of the plan for the county, with the plan's amount and nothing allocated", async () => {
    const p = await planProgress(t.appDb, { countyId: 'song', all: true });
    expect(p.rows.filter((r) => r.planItem !== null)).toHaveLength(96);
    expect(p.rows.find((r) => r.planItem === 'culture/village-centres')).toMatchObject({ allocatedFen: 0, paidFen: 0, projects: 0, years: [] });
  });
});
