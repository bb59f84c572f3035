import type { FundSource } from '../fund/ids';
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
