import type { Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import { readStream } from '../infra/eventstore';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';

/**
 * 统筹整合 through the API: a poor county's finance bureau records its 整合方案 (the money moved out of
 * each original channel into one pool); a repeat is answered, not recorded twice; a wrong total, a
 * non-poor county or another role is refused and nothing is written.
 */
const finance = (countyId: CountyId): Actor => ({ userId: `finance-${countyId}`, role: 'county-finance', countyId });
const PLAN = {
  countyId: 'song',
  year: 2017,
  documentNumber: '嵩政〔2017〕12号',
  adoptedOn: '2017-04-10',
  channels: [
    { channel: 'water-development', amount: '300万' },
    { channel: 'agricultural-production', amount: '200万' },
  ],
  total: '500万',
};

describe('POST /integration-plans and GET /integration-plans/:countyId/:year (real PostgreSQL)', () => {
  let stack: TestStack;
  let api: TestApi;
  const post = async (actor: Actor, payload: object) =>
    api.app.inject({ method: 'POST', url: '/integration-plans', headers: await api.bearer(actor), payload: payload as Record<string, unknown> });

  beforeAll(async () => {
    stack = await startTestStack('integplan');
    api = await startTestApi(stack);
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  it('records the plan once, in fen, with the channels in zh; the same request again is answered with it', async () => {
    const r = await post(finance('song'), PLAN);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      countyId: 'song',
      year: 2017,
      documentRef: '嵩政〔2017〕12号',
      channels: [
        { channel: 'water-development', amountFen: 300_000_000 },
        { channel: 'agricultural-production', amountFen: 200_000_000 },
      ],
      totalFen: 500_000_000,
      by: 'finance-song',
      repeated: false,
    });
    expect(r.json<{ summaryZh: string }>().summaryZh).toMatch(/^水利发展资金 .*；农业生产发展资金 .*；合计 /);
    const again = await post(finance('song'), PLAN);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ repeated: true, position: r.json<{ position: number }>().position });
    expect(await readStream(stack.db.appDb, 'integration-song-2017')).toHaveLength(1);
    const got = await api.app.inject({ method: 'GET', url: '/integration-plans/song/2017', headers: await api.bearer(finance('song')) });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ totalFen: 500_000_000 });
  });

  it.each<[string, Actor, object, number, string]>([
    ['a second, different plan for the year', finance('song'), { ...PLAN, documentNumber: '嵩政〔2017〕99号' }, 409, 'INTEGRATION_PLAN_EXISTS'],
    ['a total that is not the channels’ sum', finance('song'), { ...PLAN, year: 2018, total: '501万' }, 409, 'INTEGRATION_TOTAL_MISMATCH'],
    ['a non-poor county (偃师市)', finance('yanshi'), { ...PLAN, countyId: 'yanshi' }, 409, 'INTEGRATION_NOT_A_POOR_COUNTY'],
    ['the county poverty office', { userId: 'co-song', role: 'county-official', countyId: 'song' }, { ...PLAN, year: 2019 }, 403, 'ACCESS_ROLE_NOT_ALLOWED'],
    ['another county’s finance bureau', finance('luanchuan'), { ...PLAN, year: 2019 }, 403, 'ACCESS_OUT_OF_COUNTY'],
    ['a channel that is not one', finance('song'), { ...PLAN, year: 2019, channels: [{ channel: 'donations', amount: '1万' }], total: '1万' }, 400, 'INVALID_INPUT'],
  ])('refuses %s and writes nothing', async (_, actor, body, status, code) => {
    const before = await api.eventCount();
    const r = await post(actor, body);
    expect(r.statusCode).toBe(status);
    expect(r.json()).toMatchObject({ code });
    expect(await api.eventCount()).toBe(before);
  });

  it('a year with no plan is 404', async () => {
    const r = await api.app.inject({ method: 'GET', url: '/integration-plans/song/2016', headers: await api.bearer(finance('song')) });
    expect(r.statusCode).toBe(404);
  });
});
