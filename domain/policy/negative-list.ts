import type { PolicyTable } from './table';

/** What poverty funds may never pay for (专项扶贫资金不得用于…). */
export const PROHIBITED_USES = [
  'administration-running-costs',
  'vehicles-and-communication-equipment',
  'office-buildings',
  'company-losses',
  'debt-repayment',
  'urban-projects',
] as const;
export type ProhibitedUse = (typeof PROHIBITED_USES)[number];

export interface NegativeListPolicy extends PolicyTable {
  readonly uses: Readonly<Record<ProhibitedUse, { zh: string; en: string }>>;
}

export const NEGATIVE_LIST_POLICY: NegativeListPolicy = {
  id: 'poverty-fund-negative-list',
  version: 1,
  source: '中央财政专项扶贫资金管理办法 (财农〔2017〕8号) 第十四条',
  effectiveFrom: '2017-03-13',
  uses: {
    'administration-running-costs': { zh: '行政事业单位基本支出', en: 'running costs of administrative and public institutions' },
    'vehicles-and-communication-equipment': { zh: '交通工具及通讯设备', en: 'vehicles and communication equipment' },
    'office-buildings': { zh: '修建楼堂馆所及贫困农场、林场棚户改造以外的职工住宅', en: 'office buildings and staff housing' },
    'company-losses': { zh: '弥补企业亏损', en: "making good a company's losses" },
    'debt-repayment': { zh: '修建大中型基本农田水利工程、偿还债务和垫资', en: 'repaying debt or advances' },
    'urban-projects': { zh: '城市基础设施建设和城市产业发展', en: 'urban infrastructure and urban industry' },
  },
};

export const isProhibitedUse = (use: string): use is ProhibitedUse => (PROHIBITED_USES as readonly string[]).includes(use);
