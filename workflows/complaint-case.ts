import { allHandlersFinished, condition, log, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ComplaintActivities, ComplaintStepInput } from '../activities/complaint-activities';
import { authorizeStep } from '../domain/benefit/authorize';
import { COMPLAINT_ROLES, complaintErrors, nextEscalation } from '../domain/complaint/decide';
import type { ComplaintEscalationLevel } from '../domain/complaint/ids';
import type { Actor } from '../domain/shared/actor';
import { domainError } from '../domain/shared/errors';
import {
  complaintAnswerSchema,
  complaintAnswerUpdate,
  complaintStatusQuery,
  type ComplaintAnswerRequest,
  type ComplaintCaseInput,
  type ComplaintCaseStatus,
  type ComplaintPhase,
} from './complaint-case.messages';
import { asserted, refuseSystemActor } from './actor-assertion';
import type { Proof } from './steps';
import { OneAtATime } from './one-at-a-time';
import { now } from './clock';
import { refusal } from './refusal';
import { storeRetry } from './retry-policies';
import { StepCounter } from './steps';

const acts = proxyActivities<ComplaintActivities>({
  startToCloseTimeout: '1 minute',
  retry: storeRetry(['EventStoreInvalid', 'NotInWorkflow']),
});

/** The deadline's own acts, as on projects: never a person's id. */
const DEADLINE_ACTOR: Actor = { userId: 'system.deadlines', role: 'administrator' };

/**
 * One complaint (申诉、投诉举报) from filing to its answer. It waits for the county's answer until
 * the answer is due; a late answer escalates, as a project's overdue step does: the county's
 * leadership is told, then after a further wait the city, then it waits on without a timer. The
 * answer is an Update: its validator refuses at once a role that may not answer or a closed case;
 * the decider (domain/complaint) refuses an answerer who decided on the round complained about.
 */
export async function complaintCase(input: ComplaintCaseInput): Promise<ComplaintCaseStatus> {
  let phase: ComplaintPhase = 'open';
  let answerBy = input.answerBy;
  let escalation: ComplaintEscalationLevel | null = null;
  const steps = new OneAtATime();
  const numbered = new StepCounter();
  const rules = { answerSeconds: 0, escalationSeconds: input.escalationSeconds };
  const status = (): ComplaintCaseStatus => ({ complaintId: input.complaintId, phase, answerBy, escalation });

  /** `proof` proves a person's `actor` to the activity (the answer's assertion); the deadlines' escalations are the system's own. */
  const step = async (command: ComplaintStepInput['command'], actor: Actor, name: string, proof: Proof = {}) => {
    const s = numbered.next(name);
    return acts.complaintStep({
      ...proof,
      complaintId: input.complaintId,
      countyId: input.countyId,
      step: s.step,
      actor,
      now: now(),
      correlationId: input.correlationId,
      causationId: s.causationId,
      rules,
      command,
    });
  };

  const check = (raw: ComplaintAnswerRequest) => {
    const r = complaintAnswerSchema.safeParse(raw);
    if (!r.success) {
      const i = r.error.issues[0]!;
      throw refusal(domainError('COMPLAINT_ANSWER_INVALID', `答复内容不合规（${i.path.join('.')}: ${i.message}）`, `the answer is invalid (${i.path.join('.')}: ${i.message})`));
    }
    refuseSystemActor(r.data.actor);
    if (phase !== 'open') throw refusal(complaintErrors.closed());
    const denied = authorizeStep({ actor: r.data.actor, now: now() }, escalation === 'city' ? COMPLAINT_ROLES.answerAfterCity : COMPLAINT_ROLES.answer, input.countyId);
    if (denied) throw refusal(denied);
    return r.data;
  };

  setHandler(
    complaintAnswerUpdate,
    async (raw) => {
      check(raw);
      return steps.run(async () => {
        const req = check(raw);
        const r = await step({ type: 'AnswerComplaint', data: { finding: req.finding, answer: req.answer } }, req.actor, 'answer', asserted(req.assertion));
        if (!r.ok) throw refusal(r.error);
        phase = 'answered';
        return status();
      });
    },
    { validator: (raw) => void check(raw) },
  );
  setHandler(complaintStatusQuery, status);

  // Once the city has been told (or an escalation was refused), the case waits for its answer without a timer.
  let climbing = true;
  while (phase === 'open' && climbing) {
    const level = nextEscalation({ escalation });
    if (!level) break;
    if (await condition(() => phase !== 'open', Math.max(1, Date.parse(answerBy) - Date.now()))) break;
    await steps.run(async () => {
      // An answer may have come while the timer fired.
      if (phase !== 'open') return;
      const r = await step({ type: 'EscalateComplaint', data: { level } }, DEADLINE_ACTOR, `escalate-${level}`);
      if (!r.ok) {
        log.warn('escalation refused; the case waits for its answer', { complaintId: input.complaintId, code: r.error.code });
        climbing = false;
        return;
      }
      escalation = level;
      answerBy = r.answerBy ?? answerBy;
    });
  }
  await condition(() => phase !== 'open');
  await condition(allHandlersFinished);
  return status();
}
