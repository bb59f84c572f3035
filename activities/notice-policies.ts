import { Context } from '@temporalio/activity';
import type { CountyId } from '../domain/reference/counties';
import { noticeTermsInForce, type NoticeKind, type NoticeTerms } from '../domain/policy/notices';

export interface NoticeTermsInput {
  readonly kind: NoticeKind;
  /** The process's workflow id, for the log when a starter's terms are ignored. */
  readonly workflowId: string;
  readonly countyId: CountyId;
  /** The process's start day (its own clock): the terms in force on it. */
  readonly day: string;
  /** What the starter asked for (tests, the demo's scaled days). */
  readonly requested: NoticeTerms;
}

export interface NoticePolicyDeps {
  /** Whether this worker's namespace is configured for tests or simulation: only there may a process run under notice terms of its starter's choosing. */
  readonly simulation: boolean;
}

/**
 * The notice terms an exit, return review or benefit process decides by (a local activity: only the
 * worker knows whether its namespace is configured for simulation). Elsewhere they are the terms in
 * force for the county and day (domain/policy/notices.ts), and a starter's shorter ones are ignored
 * and the ignoring logged, so whoever can start a workflow cannot post a 5-second 公示.
 */
export const createNoticePolicyActivities = ({ simulation }: NoticePolicyDeps) => ({
  async noticeTerms(input: NoticeTermsInput): Promise<NoticeTerms> {
    if (simulation) return input.requested;
    const inForce = noticeTermsInForce(input.kind, input.countyId, input.day, input.requested.noticeSeconds);
    if (input.requested.noticeSeconds < inForce.noticeSeconds || input.requested.minNoticeSeconds < inForce.minNoticeSeconds) {
      Context.current().log.warn('notice terms asked for by the starter ignored: this namespace is not configured for simulation; the terms in force decide', {
        workflowId: input.workflowId,
        kind: input.kind,
        asked: input.requested,
        inForce,
      });
    }
    return inForce;
  },
});

export type NoticePolicyActivities = ReturnType<typeof createNoticePolicyActivities>;
