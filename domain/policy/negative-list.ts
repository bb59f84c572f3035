import type { FundSource } from '../fund/ids';
import type { PolicyTable } from './table';

/**
 * What poverty funds may never pay for (财政专项扶贫资金不得用于…), the nine items of 财农〔2017〕8号
 * in its order. Version 1 had six (two merged, three missing) and dated the list from its issue
 * date; version 2 is the list as the issue cites it, in force from 2017-03-31.
 */
export const NEGATIVE_LIST_ITEMS = [
  'administration-running-costs',
  'vehicles-and-communication-equipment',
  'bonuses-allowances-and-welfare',
  'company-losses',
  'office-buildings-and-staff-housing',
  'budget-gaps-and-debt',
  'large-and-medium-capital-construction',
  'urban-infrastructure-and-urban-poverty',
  'unrelated-to-poverty-alleviation',
] as const;
export type NegativeListItem = (typeof NEGATIVE_LIST_ITEMS)[number];

export interface NegativeListPolicy extends PolicyTable {
  readonly items: Readonly<Record<NegativeListItem, { zh: string; en: string }>>;
  /**
   * The sources whose money the list binds, each with the rule that says so. Social donations and
   * credit are not fiscal poverty money: the list does not speak to them.
   */
  readonly appliesTo: Readonly<Partial<Record<FundSource, string>>>;
}

export const NEGATIVE_LIST_POLICY: NegativeListPolicy = {
  id: 'poverty-fund-negative-list',
  version: 2,
  source: '中央财政专项扶贫资金管理办法 (财农〔2017〕8号) 负面清单九项, 2017-03-31 施行 (中华工商时报 2017-03-28; the text of the article not read here)',
  effectiveFrom: '2017-03-31',
  verified: false,
  items: {
    'administration-running-costs': { zh: '行政事业单位基本支出', en: 'running costs of administrative and public institutions' },
    'vehicles-and-communication-equipment': { zh: '交通工具及通讯设备', en: 'vehicles and communication equipment' },
    'bonuses-allowances-and-welfare': { zh: '各种奖金津贴和福利补助', en: 'bonuses, allowances and welfare payments of any kind' },
    'company-losses': { zh: '弥补企业亏损', en: "making good a company's losses" },
    'office-buildings-and-staff-housing': {
      zh: '修建楼堂馆所及贫困农场、林场棚户改造以外的职工住宅',
      en: 'office buildings, halls and staff housing other than shanty renovation on poor state farms and forest farms',
    },
    'budget-gaps-and-debt': { zh: '弥补预算支出缺口和偿还债务', en: 'filling budget gaps and repaying debt' },
    'large-and-medium-capital-construction': { zh: '大中型基本建设项目', en: 'large and medium capital construction projects' },
    'urban-infrastructure-and-urban-poverty': { zh: '城市基础设施建设和城市扶贫', en: 'urban infrastructure and urban poverty relief' },
    'unrelated-to-poverty-alleviation': { zh: '其他与脱贫攻坚无关的支出', en: 'any other spending unrelated to poverty alleviation' },
  },
  appliesTo: {
    central: '财农〔2017〕8号: 中央财政专项扶贫资金',
    provincial: '河南省省级财政专项扶贫资金 applies the central list (assumption; 豫财农 measures not read here)',
    city: '市级财政专项扶贫资金 (assumption: the provincial rule carried down)',
    county: '县级财政专项扶贫资金 (assumption: the provincial rule carried down)',
    'integrated-agricultural': '统筹整合使用的财政涉农资金 keep the 专项扶贫资金 list (国办发〔2016〕22号; assumption until read)',
  },
};

export const negativeListBinds = (policy: NegativeListPolicy, source: FundSource): boolean => policy.appliesTo[source] !== undefined;
