import { z } from 'zod';
import type { NegativeListItem } from './negative-list';

/**
 * What a payment pays for (支出用途), as the payer must declare it: an enumerated kind, never free
 * text, so the negative list cannot be walked around by spelling. A kind that is one of the list's
 * items names it; the project's decider refuses it for the sources the list binds.
 */
export const EXPENDITURE_KINDS = {
  'road-works': { zh: '道路桥梁工程', en: 'road and bridge works' },
  'water-works': { zh: '水利及饮水安全工程', en: 'water conservancy and drinking-water works' },
  'building-works': { zh: '房屋建筑工程（学校、卫生室、危房改造、安置房等）', en: 'building works (schools, clinics, housing renovation, resettlement housing)' },
  'power-and-network-works': { zh: '电网及通信网络工程', en: 'power-grid and network works' },
  'land-and-ecology-works': { zh: '土地整治及生态建设工程', en: 'land consolidation and ecological works' },
  'other-works': { zh: '其他扶贫工程建设', en: 'other poverty-alleviation works' },
  'production-equipment': { zh: '生产设施设备购置', en: 'production facilities and equipment' },
  'survey-design-supervision': { zh: '勘察设计及监理', en: 'survey, design and supervision' },
  'household-subsidy': { zh: '到户补助', en: 'subsidy paid to a household' },
  training: { zh: '技能培训', en: 'skills training' },
  'loan-interest-subsidy': { zh: '扶贫贷款贴息', en: 'interest subsidy on poverty-alleviation loans' },
  'insurance-premium-subsidy': { zh: '保险保费补助', en: 'insurance premium subsidy' },
  // The negative list's nine items, so a payer who means one must say so.
  'administration-running-costs': { zh: '行政事业单位基本支出', en: 'running costs of administrative and public institutions', item: 'administration-running-costs' },
  'vehicles-and-communication-equipment': { zh: '交通工具及通讯设备', en: 'vehicles and communication equipment', item: 'vehicles-and-communication-equipment' },
  'bonuses-allowances-and-welfare': { zh: '各种奖金津贴和福利补助', en: 'bonuses, allowances and welfare', item: 'bonuses-allowances-and-welfare' },
  'company-losses': { zh: '弥补企业亏损', en: "making good a company's losses", item: 'company-losses' },
  'office-buildings-and-staff-housing': { zh: '楼堂馆所及职工住宅', en: 'office buildings and staff housing', item: 'office-buildings-and-staff-housing' },
  'budget-gaps-and-debt': { zh: '弥补预算缺口和偿还债务', en: 'budget gaps and debt', item: 'budget-gaps-and-debt' },
  'large-and-medium-capital-construction': { zh: '大中型基本建设项目', en: 'large and medium capital construction', item: 'large-and-medium-capital-construction' },
  'urban-infrastructure-and-urban-poverty': {
    zh: '城市基础设施建设和城市扶贫',
    en: 'urban infrastructure and urban poverty relief',
    item: 'urban-infrastructure-and-urban-poverty',
  },
  'unrelated-to-poverty-alleviation': { zh: '其他与脱贫攻坚无关的支出', en: 'other spending unrelated to poverty alleviation', item: 'unrelated-to-poverty-alleviation' },
} as const satisfies Record<string, { zh: string; en: string; item?: NegativeListItem }>;

export type ExpenditureKind = keyof typeof EXPENDITURE_KINDS;
export const EXPENDITURE_KIND_IDS = Object.keys(EXPENDITURE_KINDS) as ExpenditureKind[];
export const expenditureKindSchema = z.enum(EXPENDITURE_KIND_IDS as [ExpenditureKind, ...ExpenditureKind[]], {
  error: `must be one of the expenditure kinds: ${EXPENDITURE_KIND_IDS.join(', ')}`,
});

export const isExpenditureKind = (use: string): use is ExpenditureKind => Object.hasOwn(EXPENDITURE_KINDS, use);

/** The negative-list item a kind is, if it is one. */
export const negativeListItemOf = (kind: ExpenditureKind): NegativeListItem | undefined => {
  const k: { zh: string; item?: NegativeListItem } = EXPENDITURE_KINDS[kind];
  return k.item;
};
