import type { NameTable } from './name';

/** The rule tables a decision records (`{ id, version }`), as the officials who apply them call them. */
export const POLICY_IDS = [
  'poverty-line',
  'exit-thresholds',
  'monitoring',
  'payment-template',
  'poverty-fund-negative-list',
  'project-notice',
  'integration-plan',
  'county-check',
] as const;
export type PolicyId = (typeof POLICY_IDS)[number];

export const POLICY_NAMES: NameTable<PolicyId> = {
  'poverty-line': { zh: '脱贫标准', en: 'exit standard (poverty line)' },
  'exit-thresholds': { zh: '退出标准', en: 'exit thresholds' },
  monitoring: { zh: '防止返贫监测标准', en: 'return-to-poverty monitoring line' },
  'payment-template': { zh: '工程款支付规则', en: 'payment terms' },
  'poverty-fund-negative-list': { zh: '扶贫资金负面清单', en: 'poverty-fund negative list' },
  'project-notice': { zh: '项目公告公示规则', en: 'project notice rule' },
  'integration-plan': { zh: '统筹整合使用财政涉农资金规则', en: 'agricultural-fund integration rule' },
  'county-check': { zh: '贫困县退出专项评估检查规则', en: 'provincial check of a county exit' },
};

/** "脱贫标准（第2版，2018年）": a policy reference as a Chinese message cites it. */
export const policyZh = (ref: { readonly id: string; readonly version: number; readonly year?: number }): string => {
  const name = Object.hasOwn(POLICY_NAMES, ref.id) ? POLICY_NAMES[ref.id as PolicyId].zh : ref.id;
  return `${name}（第${ref.version}版${ref.year === undefined ? '' : `，${ref.year}年`}）`;
};
