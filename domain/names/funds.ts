import type { FundSource } from '../fund/ids';
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
