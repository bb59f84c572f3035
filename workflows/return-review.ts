import { allHandlersFinished, condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { createHouseholdActivities, HouseholdCommandItem } from '../activities/household-activities';
import { authorizeStep } from '../domain/household/authorize';
import { DEFAULT_HOUSEHOLD_RULES } from '../domain/household/decide-common';
import type { Actor, Role } from '../domain/shared/actor';
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
import { now } from './clock';
import { refusal } from './refusal';
import { StepCounter } from './steps';

const acts = proxyActivities<ReturnType<typeof createHouseholdActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds', nonRetryableErrorTypes: ['EventStoreInvalid', 'NotInWorkflow'] },
});
type Parsed = ReturnType<typeof returnReviewStepSchema.parse>;

const STEP: Record<Parsed['type'], { phases: readonly ReturnReviewPhase[]; roles: readonly Role[] }> = {
  visit: { phases: ['awaiting-visit'], roles: ['work-team', 'township-official'] },
  postNotice: { phases: ['visited'], roles: ['work-team', 'township-official'] },
  decide: { phases: ['visited', 'in-notice', 'awaiting-decision'], roles: ['county-official'] },
};

/**
 * A household flagged by monitoring (income under 1.5 × the line, or a guarantee lost): the visit,
 * the notice of at least 5 days, and the county's decision. A return re-registers it as poor, so a
 * later exit round takes it in again; clearing keeps it exited.
 */
export async function returnReview(input: ReturnReviewInput): Promise<ReturnReviewStatus> {
  const rules = { ...DEFAULT_HOUSEHOLD_RULES, returnNoticeMinSeconds: input.minNoticeSeconds ?? input.noticeSeconds };
  let phase: ReturnReviewPhase = 'awaiting-visit';
  let noticeEndsAt: string | undefined;
  const numbered = new StepCounter();
  const steps = new OneAtATime();
  const status = (): ReturnReviewStatus => ({ householdId: input.householdId, phase, ...(noticeEndsAt ? { noticeEndsAt } : {}) });

  const run = async (item: Omit<HouseholdCommandItem, 'householdId'>, actor: Actor, name: string): Promise<void> => {
    const s = numbered.next(name);
    const [o] = await acts.applyHouseholdCommands({
      step: s.step,
      items: [{ ...item, householdId: input.householdId }],
      actor,
      now: now(),
      rules,
      correlationId: input.correlationId,
      causationId: s.causationId,
    });
    if (!o?.ok) throw refusal(domainError(o?.code ?? 'REFUSED', o?.message ?? '', o?.message ?? ''));
  };

  const validate = (raw: ReturnReviewStepRequest): Parsed => {
    const r = returnReviewStepSchema.safeParse(raw);
    if (!r.success) throw refusal(domainError('RETURN_REVIEW_REQUEST_INVALID', '请求无效', `invalid request: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`));
    const s = STEP[r.data.type];
    const denied = authorizeStep({ actor: r.data.actor, now: now() }, s.roles, input.countyId);
    if (denied) throw refusal(denied);
    if (!s.phases.includes(phase)) throw refusal(domainError('RETURN_REVIEW_WRONG_PHASE', `当前处于“${phase}”阶段`, `the review is at ${phase}: ${r.data.type} cannot be taken now`, { phase }));
    if (r.data.type === 'decide' && r.data.returnsToPoverty && phase !== 'awaiting-decision') {
      throw refusal(
        phase === 'in-notice'
          ? domainError('RETURN_NOTICE_RUNNING', `返贫公示期未满（至${noticeEndsAt}）`, `the return notice is still running (until ${noticeEndsAt})`, { endsAt: noticeEndsAt })
          : domainError('RETURN_NOTICE_MISSING', '返贫须先公示期满', 'a return needs the notice to have run its full period', { phase }),
      );
    }
    return r.data;
  };

  setHandler(
    returnReviewStepUpdate,
    async (raw) => {
      validate(raw);
      return steps.run(async () => {
        const req = validate(raw);
        if (req.type === 'visit') {
          await run({ type: 'VisitForReturnReview', data: { findings: req.findings } }, req.actor, 'visit');
          phase = 'visited';
        } else if (req.type === 'postNotice') {
          const endsAt = new Date(Date.now() + input.noticeSeconds * 1000).toISOString();
          await run({ type: 'PostReturnNotice', data: { endsAt } }, req.actor, 'notice');
          noticeEndsAt = endsAt;
          phase = 'in-notice';
        } else {
          await run({ type: 'DecideReturn', data: { returnsToPoverty: req.returnsToPoverty, reason: req.reason } }, req.actor, 'decide');
          phase = req.returnsToPoverty ? 'returned' : 'cleared';
        }
        return status();
      });
    },
    { validator: (raw) => void validate(raw) },
  );
  setHandler(returnReviewStatusQuery, status);

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
