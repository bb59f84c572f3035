import { domainError, type DomainError } from '../shared/errors';
import type { ReturnReviewPhase } from './steps';

/**
 * The county's decision in a return review: clearing needs only the visit, but a return (re-entry
 * as poor) changes who counts as poor, so the notice must have run its full period first.
 */
export const returnDecisionRefusal = (returnsToPoverty: boolean, phase: ReturnReviewPhase, noticeEndsAt?: string): DomainError | undefined => {
  if (!returnsToPoverty || phase === 'awaiting-decision') return undefined;
  return phase === 'in-notice'
    ? domainError('RETURN_NOTICE_RUNNING', `返贫公示期未满（至${noticeEndsAt}）`, `the return notice is still running (until ${noticeEndsAt})`, { endsAt: noticeEndsAt })
    : domainError('RETURN_NOTICE_MISSING', '返贫须先公示期满', 'a return needs the notice to have run its full period', { phase });
};
