import type { Actor } from '../domain/shared/actor';
import { runFundTotals } from '../cli/commands/fund-queries';
import { getFundBalance } from '../services/fund-queries';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';

const SONG_FINANCE: Actor = { userId: 'fin.song.1', role: 'county-finance', countyId: 'song' };
const LUANCHUAN_FINANCE: Actor = { userId: 'fin.luanchuan.1', role: 'county-finance', countyId: 'luanchuan' };
const CITY: Actor = { userId: 'city.office.1', role: 'city-poverty-office' };

interface Sums {
  funds: number;
  appropriatedFen: number;
  availableFen: number;
  allocatedUnpaidFen: number;
  paidFen: number;
  returnedFen: number;
}
interface Totals {
  groups: (Sums & { source?: string; countyId?: string; fiscalYear?: number })[];
  total: Sums;
}

describe('fund balances by source, county and year (GET /funds/totals, tuopin fund totals)', () => {
  let stack: TestStack;
  let api: TestApi;
  const FUNDS = [
    { by: SONG_FINANCE, fundId: 'fund-song-2016-tot1', source: 'central', countyId: 'song', fiscalYear: 2016, amount: '123.45万' },
    { by: SONG_FINANCE, fundId: 'fund-song-2017-tot2', source: 'central', countyId: 'song', fiscalYear: 2017, amount: '0.01元' },
    { by: SONG_FINANCE, fundId: 'fund-song-2016-tot3', source: 'provincial', countyId: 'song', fiscalYear: 2016, amount: '77.77元' },
    { by: LUANCHUAN_FINANCE, fundId: 'fund-luanchuan-2016-tot4', source: 'central', countyId: 'luanchuan', fiscalYear: 2016, amount: '10万' },
  ];

  beforeAll(async () => {
    stack = await startTestStack('api-fund-totals');
    api = await startTestApi(stack);
    for (const [i, f] of FUNDS.entries()) {
      const { by, ...body } = f;
      const r = await api.app.inject({
        method: 'POST',
        url: '/funds',
        headers: await api.bearer(by),
        payload: { ...body, documentNumber: `财〔2016〕${i + 1}号`, earmark: ['transport'] },
      });
      expect(r.statusCode).toBe(201);
      const position = r.json<{ position: number }>().position;
      // The read model follows the store through NATS.
      await until(`${f.fundId} in the read model at ${position}`, () => getFundBalance(stack.db.appDb, f.fundId), {
        ok: (b) => (b?.lastEventPosition ?? 0) >= position,
        intervalMs: 100,
      });
    }
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  const totals = async (actor: Actor, query: string) => api.app.inject({ method: 'GET', url: `/funds/totals${query}`, headers: await api.bearer(actor) });

  it('groups the city by source and the groups add up to the total to the fen', async () => {
    const r = await totals(CITY, '?by=source');
    expect(r.statusCode).toBe(200);
    const t = r.json<Totals>();
    expect(t.groups).toEqual([
      {
        source: 'central',
        funds: 3,
        appropriatedFen: 1_234_500_00 + 1 + 10_000_000,
        availableFen: 1_234_500_00 + 1 + 10_000_000,
        allocatedUnpaidFen: 0,
        paidFen: 0,
        returnedFen: 0,
      },
      { source: 'provincial', funds: 1, appropriatedFen: 7777, availableFen: 7777, allocatedUnpaidFen: 0, paidFen: 0, returnedFen: 0 },
    ]);
    expect(t.total).toEqual({ funds: 4, appropriatedFen: 133_457_778, availableFen: 133_457_778, allocatedUnpaidFen: 0, paidFen: 0, returnedFen: 0 });
  });

  it('groups by county and year by default by all three; a county official sees only its county', async () => {
    const byCountyYear = (await totals(CITY, '?by=county,year')).json<Totals>();
    expect(byCountyYear.groups.map((g) => [g.countyId, g.fiscalYear, g.funds, g.appropriatedFen])).toEqual([
      ['luanchuan', 2016, 1, 10_000_000],
      ['song', 2016, 2, 123_457_777],
      ['song', 2017, 1, 1],
    ]);
    const all = (await totals(CITY, '')).json<Totals>();
    expect(all.groups).toHaveLength(4);
    expect(all.groups[0]).toMatchObject({ source: 'central', countyId: 'luanchuan', fiscalYear: 2016 });
    const own = (await totals(SONG_FINANCE, '?by=year')).json<Totals>();
    expect(own.total).toMatchObject({ funds: 3, appropriatedFen: 123_457_778 });
  });

  it('refuses another county (403) and bad dimensions naming the field (400)', async () => {
    expect((await totals(SONG_FINANCE, '?county=luanchuan')).json()).toMatchObject({ code: 'ACCESS_OUT_OF_COUNTY' });
    for (const q of ['?by=fund', '?by=source,source', '?by=', '?year=1999', '?colour=red']) {
      const r = await totals(CITY, q);
      expect(r.statusCode).toBe(400);
      expect(r.json<{ issues: { field: string }[] }>().issues[0]?.field).toMatch(/^querystring/);
    }
  });

  it('tuopin fund totals prints the same groups as a table with the total row, and as JSON what the API answers', async () => {
    const lines: string[] = [];
    await runFundTotals(['--by', 'source'], stack.db.appDb, (l = '') => void lines.push(l));
    expect(lines[0]).toMatch(/^来源 source\s+资金项数 funds\s+下达 appropriated\s+可用 available/);
    expect(lines.find((l) => l.startsWith('省级财政专项扶贫资金'))).toMatch(/^省级财政专项扶贫资金\s+1\s+77\.77元/);
    expect(lines.find((l) => l.startsWith('合计 total'))).toMatch(/^合计 total\s+4\s+1,334,577\.78元/);
    expect(lines.at(-1)).toBe('2 group(s) by source; they add up to the total to the fen 各组之和与合计到分相符');
    const json: string[] = [];
    await runFundTotals(['--by', 'county,year', '--json'], stack.db.appDb, (l = '') => void json.push(l));
    const api2 = (await totals(CITY, '?by=county,year')).json<Totals>();
    expect((JSON.parse(json.join('\n')) as { items: unknown[] }).items).toEqual(api2.groups);
  });
});
