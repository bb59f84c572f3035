import type { Name } from './name';

/**
 * The anomalies of money paid to households (到户), with the names an inspector reads
 * (infra/projections/anomalies/benefit-kinds.ts lists the kinds).
 */
export const BENEFIT_ANOMALY_NAMES = {
  'benefit-person-paid-twice': { zh: '同一人同一政策同一期重复享受', en: 'one person paid twice by one programme in one period' },
  'benefit-above-cap': { zh: '补助高于政策上限', en: "benefit above the programme's cap" },
  'benefit-below-floor': { zh: '补助低于政策下限', en: "benefit below the programme's floor" },
  'benefit-to-removed-household': { zh: '向已清退户发放', en: 'benefit paid to a household removed from the register' },
  'benefit-to-removed-member': { zh: '向已减员人员发放', en: 'benefit paid for a member removed from the household' },
  'benefit-after-exit-stopped': { zh: '脱贫后不再享受的政策仍发放', en: 'benefit paid after exit by a programme that stops at exit, or after the policy period' },
  'housing-subsidy-before-acceptance': { zh: '危房改造补助先于竣工验收发放', en: 'dangerous-house subsidy paid before its acceptance (验收)' },
  'payment-soon-after-account-change': { zh: '变更账户后短期内发放', en: 'payment soon after the account was changed' },
  'benefit-payment-returned': { zh: '补助被退回', en: 'benefit transfer returned to the fund' },
  'backdated-step': { zh: '倒签：业务日期远早于记录时间', en: 'backdated: business date well before the time recorded (倒签)' },
  'payment-under-complaint': { zh: '该笔发放有未办结的投诉举报', en: 'payment under an open complaint' },
  'household-under-complaint': { zh: '该户有未办结的投诉举报', en: 'household under an open complaint' },
  'round-under-complaint': { zh: '该批次有未办结的投诉举报', en: 'benefit round under an open complaint' },
} as const satisfies Readonly<Record<string, Name>>;

/**
 * What GET /anomalies lists, as an inspector calls it. The kinds themselves are the anomaly
 * projection's (infra/projections/anomalies/kinds.ts), which checks against this table that every
 * kind it can list has a name.
 */
export const ANOMALY_KIND_NAMES = {
  'over-allocation': { zh: '超额安排或拨付', en: 'over-allocation' },
  'payment-before-acceptance': { zh: '验收前支付结算款', en: 'settlement paid before acceptance' },
  'payment-confirmed-not-recorded': { zh: '已到账未入账', en: 'paid, not recorded' },
  'shared-payee-account': { zh: '多户共用收款账户', en: 'payee account shared by households' },
  'payment-to-exited-household': { zh: '向已脱贫户支付', en: 'paid to an exited household' },
  'payment-to-unregistered-household': { zh: '向未建档户支付', en: 'paid to an unregistered household' },
  'idle-allocation': { zh: '资金闲置超一年', en: 'allocation idle for over a year' },
  'overdue-stage': { zh: '超期督办仍未办理', en: 'overdue after escalation' },
  'policy-not-in-force': { zh: '按未生效的规则表办理', en: 'decided under a rule table not in force' },
  'step-stuck': { zh: '流程步骤反复失败（卡住）', en: 'step stuck: its activity keeps failing' },
  ...BENEFIT_ANOMALY_NAMES,
} as const satisfies Readonly<Record<string, Name>>;
