import { deciderSpec } from '../shared/testing';
import type { Fen } from '../shared/money';
import type { Role } from '../shared/actor';
import type { CountyId } from '../reference/counties';
import { describePlan, integrationDecider, type AdoptIntegrationPlan } from './decide';
import type { IntegrationEvent } from './events';

/**
 * Issue 14 point 14: 统筹整合 is the county's budget act (整合方案) that moves agricultural money out of
 * its original channels into one pool; before, nothing could record it, and the name was used for
 * several funds paying one project (that is 多渠道/捆绑 funding).
 */
const spec = deciderSpec(integrationDecider);
const wan = (n: number) => Math.round(n * 1_000_000) as Fen;
const NOW = '2017-04-20T09:00:00+08:00';
const adopt = (over: Partial<AdoptIntegrationPlan['data']> = {}, role: Role = 'county-finance', countyId: CountyId = 'song'): AdoptIntegrationPlan => ({
  type: 'AdoptIntegrationPlan',
  data: {
    countyId: 'song',
    year: 2017,
    documentRef: '嵩政〔2017〕15号',
    adoptedOn: '2017-04-15',
    channels: [
      { channel: 'central-poverty-fund', amountFen: wan(8_620.5) },
      { channel: 'water-development', amountFen: wan(1_230.25) },
      { channel: 'rural-roads-vehicle-tax', amountFen: wan(2_149.25) },
    ],
    totalFen: wan(12_000),
    ...over,
  },
  meta: { actor: { userId: 'cf-song-01', role, countyId }, now: NOW },
});
const adopted = (): IntegrationEvent[] => {
  const r = integrationDecider.decide(adopt(), integrationDecider.initialState());
  if (!r.ok) throw new Error(r.error.en);
  return r.events;
};

describe('统筹整合: a county’s integration plan moves money out of its original channels', () => {
  it('given no plan, when 嵩县’s finance bureau records its 2017 整合方案 by channel, then adopted, reconciling to the fen', () => {
    spec
      .given([])
      .when(adopt())
      .then([
        {
          type: 'IntegrationPlanAdopted',
          data: {
            countyId: 'song',
            year: 2017,
            documentRef: '嵩政〔2017〕15号',
            adoptedOn: '2017-04-15',
            channels: [
              { channel: 'central-poverty-fund', amountFen: 8_620_500_000 as Fen },
              { channel: 'water-development', amountFen: 1_230_250_000 as Fen },
              { channel: 'rural-roads-vehicle-tax', amountFen: 2_149_250_000 as Fen },
            ],
            totalFen: 12_000_000_000 as Fen,
            policy: { id: 'integration-plan', version: 1 },
            by: 'cf-song-01',
            at: NOW,
          },
        },
      ]);
    expect(describePlan(adopted()[0]!.data)).toBe('中央财政专项扶贫资金 8620.5万；水利发展资金 1230.25万；车辆购置税收入补助地方资金（农村公路部分） 2149.25万；合计 12000万');
  });

  it('given no plan, when the channels add up to one fen less than the total, then refused INTEGRATION_TOTAL_MISMATCH with the difference', () => {
    const w = spec.given([]).when(adopt({ totalFen: (wan(12_000) + 1) as Fen }));
    w.thenRefuses('INTEGRATION_TOTAL_MISMATCH');
    expect(!w.result.ok && w.result.error.details).toMatchObject({ differenceFen: 1 });
    expect(!w.result.ok && w.result.error.zh).toBe('各渠道整合金额合计120,000,000.00元与方案总额120,000,000.01元不符');
  });

  it('given no plan, when a channel is listed twice or with nothing in it, then refused', () => {
    spec
      .given([])
      .when(
        adopt({
          channels: [
            { channel: 'water-development', amountFen: wan(1) },
            { channel: 'water-development', amountFen: wan(1) },
          ],
          totalFen: wan(2),
        }),
      )
      .thenRefuses('INTEGRATION_CHANNEL_TWICE');
    spec
      .given([])
      .when(adopt({ channels: [{ channel: 'water-development', amountFen: 0 as Fen }], totalFen: 0 as Fen }))
      .thenRefuses('INTEGRATION_AMOUNT_NOT_POSITIVE');
  });

  it('given a plan for the year, when another is recorded, then refused INTEGRATION_PLAN_EXISTS', () => {
    spec.given(adopted()).when(adopt()).thenRefuses('INTEGRATION_PLAN_EXISTS');
  });

  it('given no plan, when a county official or another county’s finance bureau records it, then refused, naming the role in Chinese', () => {
    const w = spec.given([]).when(adopt({}, 'county-official'));
    w.thenRefuses('INTEGRATION_NOT_PERMITTED');
    expect(!w.result.ok && w.result.error.zh).toBe('整合方案由本县县财政局登记，县扶贫办干部不能办理');
    spec
      .given([])
      .when(adopt({}, 'county-finance', 'luanchuan'))
      .thenRefuses('INTEGRATION_NOT_PERMITTED');
  });

  it('given no plan, when a 面上县 (孟津县) records one, then refused: only poor counties integrate', () => {
    spec
      .given([])
      .when(adopt({ countyId: 'mengjin' }, 'county-finance', 'mengjin'))
      .thenRefuses('INTEGRATION_NOT_A_POOR_COUNTY');
  });
});
