import { BENEFIT_ANOMALY_NAMES } from '../../../domain/names/anomalies';

/** The anomalies of money paid to households (到户); their names are in domain/names/anomalies.ts. */
export { BENEFIT_ANOMALY_NAMES };

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
  'payment-under-complaint',
  'household-under-complaint',
  'round-under-complaint',
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
