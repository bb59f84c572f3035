import type { Sourced } from './policy-ref';

/**
 * How long a complaint (申诉、投诉举报) may wait for its answer, and how long each escalation
 * (督办) waits before the next level is told. Durations are the policy's, never the caller's; a
 * test or simulation scales the day (the API's notice day), as it does for notices.
 */
export const COMPLAINT_POLICY = {
  answerDays: {
    value: 15,
    origin: 'national-policy',
    source: '国务院扶贫办12317扶贫监督举报受理办法: 受理后原则上15个工作日内办结并答复 (taken as 15 calendar days); not in the Luoyang plan',
    verified: false,
  } as Sourced<number>,
  escalationDays: {
    value: 5,
    origin: 'assumption',
    source: 'each level of 督办 gives the county 5 more days before the next level is told; no source names a period',
    verified: false,
  } as Sourced<number>,
} as const;
