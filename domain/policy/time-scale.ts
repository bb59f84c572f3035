import { PROJECT_NOTICE_POLICY, type NoticePolicy } from './funding';
import { PAYMENT_TEMPLATE_POLICY, type PaymentTemplatePolicy } from './payments';

/**
 * A declared time scale: how many real seconds a business day lasts. The plan's is 86,400. A
 * simulation runs the plan's waits (10-day project notices, 7-day exit notices, warranties of
 * months) inside minutes under a shorter day, and every duration it derives says so in its policy
 * id (`project-notice@day=50ms`), so a scaled decision is never mistaken for one under the plan's
 * tables. Only a namespace configured for simulation may run under one (infra/config.ts).
 */
export interface TimeScale {
  readonly secondsPerDay: number;
}

export const PLAN_TIME: TimeScale = { secondsPerDay: 86_400 };

/** Days in an average Gregorian month (365.25 / 12): a scaled month has no calendar. */
const DAYS_PER_MONTH = 30.4375;

/** `day=50ms`, `day=2s`: how the scale is written in policy ids, reports and logs. */
export const timeScaleLabel = (t: TimeScale): string => {
  const ms = t.secondsPerDay * 1000;
  return ms < 1000 ? `day=${+ms.toFixed(3)}ms` : `day=${+t.secondsPerDay.toFixed(3)}s`;
};

export const isPlanTime = (t: TimeScale): boolean => t.secondsPerDay === PLAN_TIME.secondsPerDay;

/**
 * The shortest scaled notice. People still act inside a notice (an objection is one Update round
 * trip), and on a loaded 2-core machine a round trip can take over a second: a 1-second notice could
 * end before the objection that the run meant to raise in it arrives.
 */
export const MIN_SCALED_NOTICE_SECONDS = 3;

/** Whole seconds, at least MIN_SCALED_NOTICE_SECONDS: a notice of days under the scale (events record whole seconds). */
export const scaledSeconds = (t: TimeScale, days: number): number => Math.max(MIN_SCALED_NOTICE_SECONDS, Math.ceil(days * t.secondsPerDay));

/** Milliseconds of a deadline of days under the scale. */
export const scaledMs = (t: TimeScale, days: number): number => Math.max(1, Math.round(days * t.secondsPerDay * 1000));

/** The project tables under a time scale: the plan's rules, its durations shortened, its ids marked. */
export const scaledProjectPolicies = (t: TimeScale): { readonly notice: NoticePolicy; readonly payments: PaymentTemplatePolicy } => {
  if (isPlanTime(t)) return { notice: PROJECT_NOTICE_POLICY, payments: PAYMENT_TEMPLATE_POLICY };
  const tag = `@${timeScaleLabel(t)}`;
  return {
    notice: { ...PROJECT_NOTICE_POLICY, id: `${PROJECT_NOTICE_POLICY.id}${tag}`, minNoticeSeconds: scaledSeconds(t, PROJECT_NOTICE_POLICY.minNoticeSeconds / 86_400) },
    payments: { ...PAYMENT_TEMPLATE_POLICY, id: `${PAYMENT_TEMPLATE_POLICY.id}${tag}`, secondsPerMonth: DAYS_PER_MONTH * t.secondsPerDay },
  };
};
