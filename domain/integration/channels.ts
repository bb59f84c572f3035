import { z } from 'zod';
import type { Sourced } from '../policy/policy-ref';

/**
 * 统筹整合使用财政涉农资金: the county's budget act, by its 整合方案, that takes agricultural money out of
 * the channel it was appropriated in (水利发展资金, 农业生产发展资金…) and puts it in one pool the county
 * spends on its poverty plan. It is not several funds paying one project — that is 多渠道/捆绑 funding
 * (domain/project/decide-works.ts recordFunding).
 * The channels are those 国办发〔2016〕22号 names (a selection, with one line for the rest); recalled,
 * not read here, so `verified:false` until the document is in hand.
 */
export const INTEGRATION_CHANNELS = [
  { id: 'central-poverty-fund', zh: '中央财政专项扶贫资金', en: 'central special poverty fund' },
  { id: 'water-development', zh: '水利发展资金', en: 'water development fund' },
  { id: 'agricultural-production', zh: '农业生产发展资金', en: 'agricultural production development fund' },
  { id: 'forestry-reform', zh: '林业改革发展资金', en: 'forestry reform and development fund' },
  { id: 'farmland-water-conservancy', zh: '农田水利设施建设和水土保持补助资金', en: 'farmland irrigation and soil conservation subsidy' },
  { id: 'comprehensive-agricultural-development', zh: '农业综合开发补助资金', en: 'comprehensive agricultural development subsidy' },
  { id: 'rural-comprehensive-reform', zh: '农村综合改革转移支付', en: 'rural comprehensive reform transfer' },
  { id: 'high-standard-farmland', zh: '新增建设用地土地有偿使用费安排的高标准基本农田建设补助资金', en: 'high-standard farmland subsidy (from new construction-land fees)' },
  { id: 'rural-environment', zh: '农村环境连片整治示范资金', en: 'rural environment remediation fund' },
  { id: 'rural-roads-vehicle-tax', zh: '车辆购置税收入补助地方资金（农村公路部分）', en: 'vehicle purchase tax grant (rural roads part)' },
  { id: 'dangerous-housing', zh: '农村危房改造补助资金', en: 'rural dangerous-housing renovation subsidy' },
  { id: 'lottery-poverty', zh: '中央专项彩票公益金支持扶贫资金', en: 'central lottery welfare fund for poverty alleviation' },
  { id: 'grain-county-reward', zh: '产粮大县奖励资金', en: 'major grain county reward' },
  { id: 'provincial-and-local-agricultural', zh: '省市县安排的涉农资金', en: 'provincial, city and county agricultural money' },
  { id: 'other-agricultural', zh: '其他涉农资金', en: 'other agricultural money' },
] as const;

export type IntegrationChannel = (typeof INTEGRATION_CHANNELS)[number]['id'];
export const INTEGRATION_CHANNEL_IDS = INTEGRATION_CHANNELS.map((c) => c.id) as unknown as readonly [IntegrationChannel, ...IntegrationChannel[]];
export const integrationChannelSchema = z.enum(INTEGRATION_CHANNEL_IDS, { error: `must be one of: ${INTEGRATION_CHANNEL_IDS.join(', ')}` });

export const INTEGRATION_POLICY_VERSION = 1;

/** Which counties may integrate: the poor counties (贫困县) the pilot was opened to, national and provincial. */
export const INTEGRATION_RULE: Sourced<readonly string[]> = {
  value: ['national-key-qinba', 'national-key', 'provincial-key'],
  origin: 'national-policy',
  source: '国办发〔2016〕22号《关于支持贫困县开展统筹整合使用财政涉农资金试点的意见》(贫困县); Henan opened it to its provincial poor counties — recalled, not read here',
  verified: false,
};
