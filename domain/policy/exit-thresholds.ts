import type { PolicyRef, Sourced } from './policy-ref';

/**
 * Exit rules as numbers. Rates are kept as whole percents and compared with integer arithmetic
 * (n * 100 < pct * d), never as floats, so 2% of 50 people is exactly 1 and the boundary is exact.
 */
export const EXIT_THRESHOLDS_VERSION = 1;
export const exitThresholdsRef: PolicyRef = { id: 'exit-thresholds', version: EXIT_THRESHOLDS_VERSION };

const PLAN_TARGETS = 'Luoyang plan ch. 3 §2 (具体目标)';
const NATIONAL_MECHANISM = '《关于建立贫困退出机制的意见》(厅字〔2016〕16号) and the national county-exit assessment rules (贫困县退出专项评估检查); not in the Luoyang plan';

export const EXIT_THRESHOLDS = {
  /** 原则上贫困村贫困发生率降至2%以下: strictly below. */
  villageIncidenceBelowPct: { value: 2, origin: 'plan', source: `${PLAN_TARGETS} item 2`, verified: true } as Sourced<number>,
  /** 原则上贫困县贫困发生率降至2%以下. */
  countyIncidenceBelowPct: { value: 2, origin: 'plan', source: `${PLAN_TARGETS} item 3`, verified: true } as Sourced<number>,
  /** 贫困县90%以上的贫困村通过扶贫实现退出: at least 90%. */
  countyPoorVillagesExitedAtLeastPct: { value: 90, origin: 'plan', source: `${PLAN_TARGETS} item 3`, verified: true } as Sourced<number>,
  /** 非贫困县: 贫困人口减少90%以上 (strictly more than 90%) and 贫困村全部脱贫. */
  nonPoorCountyReducedMoreThanPct: { value: 90, origin: 'plan', source: `${PLAN_TARGETS} item 4`, verified: true } as Sourced<number>,
  wronglyExitedBelowPct: { value: 2, origin: 'national-policy', source: `错退率低于2%: ${NATIONAL_MECHANISM}`, verified: false } as Sourced<number>,
  missedPoorBelowPct: { value: 2, origin: 'national-policy', source: `漏评率低于2%: ${NATIONAL_MECHANISM}`, verified: false } as Sourced<number>,
  publicApprovalAtLeastPct: { value: 90, origin: 'national-policy', source: `群众认可度原则上90%以上: ${NATIONAL_MECHANISM}`, verified: false } as Sourced<number>,
  /** The province's tests are qualitative comparisons; the findings carry the numbers. */
  incomeGrowthAboveProvince: { value: true, origin: 'plan', source: `${PLAN_TARGETS} item 3: 农民人均可支配收入增长幅度高于全省平均水平`, verified: true } as Sourced<boolean>,
  servicesAtOrNearProvince: { value: true, origin: 'plan', source: `${PLAN_TARGETS} item 3: 基本公共服务领域指标达到或接近全省平均水平`, verified: true } as Sourced<boolean>,
} as const;

/** Notice periods in whole days. The workflows take the real duration from configuration. */
export const NOTICE_DAYS = {
  householdExit: {
    value: 7,
    origin: 'assumption',
    source: 'brief for issue 4: household exit notice at least 7 days (公示); the plan gives no period',
    verified: false,
  } as Sourced<number>,
  returnToPoverty: {
    value: 5,
    origin: 'assumption',
    source: 'brief for issue 4: return-to-poverty notice at least 5 days; the plan gives no period',
    verified: false,
  } as Sourced<number>,
  villageExit: { value: 7, origin: 'assumption', source: 'same period as a household notice; the plan gives no period', verified: false } as Sourced<number>,
  countyExit: { value: 7, origin: 'assumption', source: 'same period as a household notice; the plan gives no period', verified: false } as Sourced<number>,
  identification: {
    value: 7,
    origin: 'assumption',
    source: '识别: 村公示 and 乡审核公示 each at least 7 days, as a household exit notice; the plan gives no period',
    verified: false,
  } as Sourced<number>,
  removal: { value: 7, origin: 'assumption', source: '动态调整 清退 notice: same period as a household exit notice; the plan gives no period', verified: false } as Sourced<number>,
} as const;

/** n/d < pct% exactly. A zero denominator is never "below" anything: there is nothing to measure. */
export const ratioBelowPct = (n: number, d: number, pct: number): boolean => d > 0 && n * 100 < pct * d;
/** n/d >= pct% exactly. */
export const ratioAtLeastPct = (n: number, d: number, pct: number): boolean => d > 0 && n * 100 >= pct * d;
/** n/d > pct% exactly. */
export const ratioAbovePct = (n: number, d: number, pct: number): boolean => d > 0 && n * 100 > pct * d;

/** "1.96%" style, exact to two decimals by integer rounding (half up), for messages only. */
export const formatPct = (n: number, d: number): string => {
  if (d <= 0) return 'n/a';
  const bp = Math.floor((n * 10000 * 2 + d) / (2 * d));
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`;
};
