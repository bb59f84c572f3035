/**
 * The anomalies of money paid to households (到户), with the names an inspector reads. Kept apart
 * from kinds.ts so the benefit rules and the project rules each grow in their own file.
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
} as const;

export const BENEFIT_ANOMALY_KINDS = [
  'benefit-person-paid-twice',
  'benefit-above-cap',
  'benefit-below-floor',
  'benefit-to-removed-household',
  'benefit-to-removed-member',
  'benefit-after-exit-stopped',
  'housing-subsidy-before-acceptance',
  'payment-soon-after-account-change',
  'benefit-payment-returned',
  'backdated-step',
] as const satisfies readonly (keyof typeof BENEFIT_ANOMALY_NAMES)[];
export type BenefitAnomalyKind = (typeof BENEFIT_ANOMALY_KINDS)[number];

/** A payment this many days or fewer after the account it went to was changed is flagged. */
export const ACCOUNT_CHANGE_WINDOW_DAYS = 30;

/** A step (or a document's own date) more than this many days before it was recorded is 倒签. */
export const BACKDATED_AFTER_DAYS = 30;

const DAY_MS = 86_400_000;

/** Whole days from one instant or day to a later one (negative when it is earlier). */
export const daysFrom = (from: string, to: string): number => Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS);

/** Was this recorded more than BACKDATED_AFTER_DAYS after the day it claims? */
export const isBackdated = (day: string, recordedAt: string): boolean => daysFrom(`${day}T23:59:59.999+08:00`, recordedAt) > BACKDATED_AFTER_DAYS;
