import type { FundSource } from '../fund/ids';
import type { FlowRule } from '../fund/flow';
import { INTEGRATION_CHANNELS, type IntegrationChannel } from '../integration/channels';
import type { NameTable } from './name';

/** Where money comes from, as appropriation documents name it. */
export const FUND_SOURCE_NAMES: NameTable<FundSource> = {
  central: { zh: '中央财政专项扶贫资金', en: 'central fiscal poverty fund' },
  provincial: { zh: '省级财政专项扶贫资金', en: 'provincial fiscal poverty fund' },
  city: { zh: '市级财政专项扶贫资金', en: 'city fiscal poverty fund' },
  county: { zh: '县级财政专项扶贫资金', en: 'county fiscal poverty fund' },
  'integrated-agricultural': { zh: '统筹整合涉农资金', en: 'integrated agricultural funds' },
  social: { zh: '社会扶贫资金', en: 'social funds' },
  credit: { zh: '扶贫信贷资金', en: 'credit' },
};

/** The original channels a county's 整合方案 takes agricultural money out of (domain/integration). */
export const INTEGRATION_CHANNEL_NAMES: NameTable<IntegrationChannel> = Object.fromEntries(
  INTEGRATION_CHANNELS.map((c) => [c.id, { zh: c.zh, en: c.en }]),
) as NameTable<IntegrationChannel>;

/** A fund's balances as its books name them: appropriated = available + allocated-unpaid + paid + returned. */
export type FundBalanceKey = 'appropriatedFen' | 'availableFen' | 'allocatedUnpaidFen' | 'paidFen' | 'returnedFen';
export const FUND_BALANCE_NAMES: NameTable<FundBalanceKey> = {
  appropriatedFen: { zh: '下达', en: 'appropriated' },
  availableFen: { zh: '可用', en: 'available' },
  allocatedUnpaidFen: { zh: '已安排未拨付', en: 'allocated, unpaid' },
  paidFen: { zh: '已拨付', en: 'paid' },
  returnedFen: { zh: '已收回', en: 'returned' },
};

/** A fund flow's checks (domain/fund/flow.ts FLOW_RULES) in the books' own words. */
export const FUND_FLOW_RULE_NAMES: NameTable<FlowRule> = {
  'appropriated = available + allocated unpaid + paid + returned': {
    zh: '下达 = 可用 + 已安排未拨付 + 已拨付 + 已收回',
    en: 'appropriated = available + allocated unpaid + paid + returned',
  },
  'appropriation document amount = appropriated': { zh: '下达文件金额 = 下达', en: 'appropriation document amount = appropriated' },
  'payments add up to paid': { zh: '各笔拨付之和 = 已拨付', en: 'payments add up to paid' },
  'payees add up to paid': { zh: '各收款人所得之和 = 已拨付', en: 'payees add up to paid' },
  'unpaid allocations add up to allocated unpaid': { zh: '各项安排未拨付之和 = 已安排未拨付', en: 'unpaid allocations add up to allocated unpaid' },
  'returns add up to returned': { zh: '各笔收回之和 = 已收回', en: 'returns add up to returned' },
};
