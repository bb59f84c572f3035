import { allHandlersFinished, condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import { storeRetry } from './retry-policies';
import type { createHouseholdActivities, HouseholdCommandItem } from '../activities/household-activities';
import { RETURN_REVIEW, returnDecisionRefusal } from '../domain/exits';
import { DEFAULT_HOUSEHOLD_RULES } from '../domain/household/decide-common';
import type { Actor } from '../domain/shared/actor';
import { domainError } from '../domain/shared/errors';
import {
  returnReviewStatusQuery,
  returnReviewStepSchema,
  returnReviewStepUpdate,
  type ReturnReviewInput,
  type ReturnReviewPhase,
  type ReturnReviewStatus,
  type ReturnReviewStepRequest,
} from './return-review.messages';
import { OneAtATime } from './one-at-a-time';
import { takeNoticeTerms } from './notice-terms';
import { now } from './clock';
import { refusal } from './refusal';
import { asserted, provingActor } from './actor-assertion';
import { checkHumanStep, handleHumanSteps, StepCounter } from './steps';

const acts = proxyActivities<ReturnType<typeof createHouseholdActivities>>({
  startToCloseTimeout: '1 minute',
  retry: storeRetry(['EventStoreInvalid', 'NotInWorkflow']),
});
type Parsed = ReturnType<typeof returnReviewStepSchema.parse>;

/**
 * A household flagged by monitoring (income under 1.5 × the line, or a guarantee lost): the visit,
 * the notice of at least 5 days, and the county's decision. A return re-registers it as poor, so a
 * later exit round takes it in again; clearing keeps it exited.
 */
export async function returnReview(input: ReturnReviewInput): Promise<ReturnReviewStatus> {
  // The notice terms: the input's until the run takes those in force at its start (takeNoticeTerms).
  let noticeSeconds = input.noticeSeconds;
  let rules = { ...DEFAULT_HOUSEHOLD_RULES, returnNoticeMinSeconds: input.minNoticeSeconds ?? input.noticeSeconds };
  let phase: ReturnReviewPhase = 'awaiting-visit';
  let noticeEndsAt: string | undefined;
  const numbered = new StepCounter();
  const steps = new OneAtATime();
  const status = (): ReturnReviewStatus => ({ householdId: input.householdId, phase, ...(noticeEndsAt ? { noticeEndsAt } : {}) });

  /** `assertion` proves `actor` to the activity that records the step (refused ACTOR_ASSERTION_* otherwise). */
  const run = async (item: Omit<HouseholdCommandItem, 'householdId'>, actor: Actor, name: string, assertion: string | undefined): Promise<void> => {
    const s = numbered.next(name);
    const [o] = await provingActor(
      acts.applyHouseholdCommands({
        step: s.step,
        items: [{ ...item, householdId: input.householdId }],
        actor,
        ...asserted(assertion),
        now: now(),
        rules,
        correlationId: input.correlationId,
        causationId: s.causationId,
      }),
    );
    if (!o?.ok) throw refusal(domainError(o?.code ?? 'REFUSED', o?.message ?? '', o?.message ?? ''));
  };

  const check = (raw: ReturnReviewStepRequest): Parsed => {
    const req = checkHumanStep(RETURN_REVIEW, returnReviewStepSchema, raw, input.countyId, phase);
    const refused = req.type === 'decide' ? returnDecisionRefusal(req.returnsToPoverty, phase, noticeEndsAt) : undefined;
    if (refused) throw refusal(refused);
    return req;
  };

  handleHumanSteps(returnReviewStepUpdate, steps, check, async (req): Promise<ReturnReviewStatus> => {
    if (req.type === 'visit') {
      await run({ type: 'VisitForReturnReview', data: { findings: req.findings } }, req.actor, 'visit', req.assertion);
      phase = 'visited';
    } else if (req.type === 'postNotice') {
      const endsAt = new Date(Date.now() + noticeSeconds * 1000).toISOString();
      await run({ type: 'PostReturnNotice', data: { endsAt } }, req.actor, 'notice', req.assertion);
      noticeEndsAt = endsAt;
      phase = 'in-notice';
    } else {
      await run({ type: 'DecideReturn', data: { returnsToPoverty: req.returnsToPoverty, reason: req.reason } }, req.actor, 'decide', req.assertion);
      phase = req.returnsToPoverty ? 'returned' : 'cleared';
    }
    return status();
  });
  setHandler(returnReviewStatusQuery, status);

  // Before any step (they wait their turn): the notice terms in force.
  await steps.run(async () => {
    const terms = await takeNoticeTerms('returnToPoverty', input.countyId, { noticeSeconds, minNoticeSeconds: rules.returnNoticeMinSeconds });
    noticeSeconds = terms.noticeSeconds;
    rules = { ...rules, returnNoticeMinSeconds: terms.minNoticeSeconds };
  });

  await condition(() => phase === 'in-notice' || phase === 'cleared');
  if ((phase as ReturnReviewPhase) === 'in-notice') {
    await sleep(Math.max(0, Date.parse(noticeEndsAt!) - Date.now()) + 1);
    await steps.run(async () => {
      // The county may have cleared the household while the notice ran.
      if ((phase as ReturnReviewPhase) === 'in-notice') phase = 'awaiting-decision';
    });
  }
  await condition(() => phase === 'returned' || phase === 'cleared');
  await condition(allHandlersFinished);
  return status();
}
