import { allHandlersFinished, condition, patched, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import { storeRetry } from './retry-policies';
import type { BenefitActivities, RoundStepInput, RoundSummary } from '../activities/benefit-activities';
import { authorizeStep } from '../domain/benefit/authorize';
import { BENEFIT_STEP_ROLES, DEFAULT_BENEFIT_RULES } from '../domain/benefit/decide';
import type { Actor, Role } from '../domain/shared/actor';
import { domainError, type DomainError } from '../domain/shared/errors';
import { fieldZh } from '../domain/names/fields';
import {
  benefitRoundStatusQuery,
  benefitRoundStepSchema,
  benefitRoundStepUpdate,
  type BenefitRoundInput,
  type BenefitRoundPhase,
  type BenefitRoundResult,
  type BenefitRoundStepOutcome,
  type BenefitRoundStepRequest,
} from './benefit-round.messages';
import { OneAtATime } from './one-at-a-time';
import { takeNoticeTerms } from './notice-terms';
import { now } from './clock';
import { refusal } from './refusal';
import { provedEarlier, StepCounter, type Proof } from './steps';
import { asserted, refuseSystemActor } from './actor-assertion';

const acts = proxyActivities<BenefitActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: storeRetry(['EventStoreInvalid', 'NotInWorkflow']),
});

type Parsed = ReturnType<typeof benefitRoundStepSchema.parse>;

const STEP: Record<Parsed['type'], { phases: readonly BenefitRoundPhase[]; roles: readonly Role[] }> = {
  postNotice: { phases: ['drafted'], roles: BENEFIT_STEP_ROLES.notice },
  objection: { phases: ['in-notice'], roles: BENEFIT_STEP_ROLES.objection },
  review: { phases: ['township-review'], roles: BENEFIT_STEP_ROLES.review },
  approve: { phases: ['county-approval'], roles: BENEFIT_STEP_ROLES.approve },
  disburse: { phases: ['awaiting-payment'], roles: BENEFIT_STEP_ROLES.disburse },
};

/**
 * One benefit round (到户): the list drawn up from the registry (the workflow's own first step, in
 * the drafter's name), 公示 for its full time with objections ruled on as Updates, the township's
 * review, the county's approval, then county finance starts payment and the workflow pays every
 * household in batches and closes the round when list total = paid + returned. The rules are the
 * decider's (domain/benefit); the workflow orders the steps, waits for people and for the notice.
 */
export async function benefitRound(input: BenefitRoundInput): Promise<BenefitRoundResult> {
  let phase: BenefitRoundPhase = 'drafting';
  let summary: RoundSummary | undefined;
  let excluded: number | undefined;
  let error: DomainError | undefined;
  let noticeEndsAt: string | undefined;
  let batchesDone = 0;
  let payer: Actor | undefined;
  const steps = new OneAtATime();
  const numbered = new StepCounter();
  const batchSize = input.batchSize ?? 200;
  // The notice terms: the input's until the run takes those in force at its start (takeNoticeTerms).
  let noticeSeconds = input.noticeSeconds;
  let rules = input.rules;

  /** A step's context; `proof` proves `actor` to the activity (the request's assertion, or proved earlier for the payer's batches). */
  const ctx = (name: string, actor: Actor, proof: Proof) => {
    const s = numbered.next(name);
    return {
      roundId: input.roundId,
      countyId: input.countyId,
      step: s.step,
      actor,
      ...proof,
      now: now(),
      correlationId: input.correlationId,
      causationId: s.causationId,
      ...(rules ? { rules } : {}),
    };
  };
  const status = (): BenefitRoundResult => ({
    roundId: input.roundId,
    programmeId: input.programmeId,
    townshipId: input.townshipId,
    period: input.period,
    phase,
    ...(noticeEndsAt ? { noticeEndsAt } : {}),
    ...(summary ? { summary } : {}),
    ...(excluded !== undefined ? { excluded } : {}),
    ...(error ? { error } : {}),
    batchesDone,
  });

  const validate = (raw: BenefitRoundStepRequest): Parsed => {
    const r = benefitRoundStepSchema.safeParse(raw);
    if (!r.success) {
      const i = r.error.issues[0]!;
      const field = i.path.join('.') || '(request)';
      throw refusal(domainError('BENEFIT_ROUND_REQUEST_INVALID', `请求无效：${fieldZh(field.split('.')) ?? field}`, `invalid request: ${field}: ${i.message}`, { field }));
    }
    const req = r.data;
    const s = STEP[req.type];
    refuseSystemActor(req.actor);
    const denied = authorizeStep({ actor: req.actor, now: now() }, s.roles, input.countyId);
    if (denied) throw refusal(denied);
    if (!s.phases.includes(phase))
      throw refusal(domainError('BENEFIT_WRONG_STAGE', `批次当前处于“${phase}”阶段，不能执行该步骤`, `the round is at ${phase}: ${req.type} cannot be taken now`, { phase }));
    return req;
  };

  const stepOf = (req: Parsed): RoundStepInput['command'] | undefined => {
    switch (req.type) {
      case 'postNotice':
        return { type: 'PostBenefitNotice', data: { endsAt: new Date(Date.now() + noticeSeconds * 1000).toISOString() } };
      case 'objection':
        return { type: 'RuleOnBenefitObjection', data: { objectionId: req.objectionId, householdId: req.householdId, outcome: req.outcome, reason: req.reason } };
      case 'review':
        return { type: 'ReviewBenefitRound', data: { approved: req.approved, note: req.note } };
      case 'approve':
        return { type: 'ApproveBenefitRound', data: { approved: req.approved, note: req.note } };
      case 'disburse':
        return undefined;
    }
  };

  const take = async (req: Parsed): Promise<BenefitRoundStepOutcome> => {
    const command = stepOf(req);
    const r =
      command === undefined && req.type === 'disburse'
        ? await acts.startBenefitDisbursement({ ...ctx('disburse', req.actor, asserted(req.assertion)), fundId: req.fundId })
        : await acts.benefitRoundStep({ ...ctx(req.type, req.actor, asserted(req.assertion)), command: command! });
    if (!r.ok) throw refusal(r.error);
    summary = r.summary;
    switch (r.summary.stage) {
      case 'in-notice':
        if (command?.type === 'PostBenefitNotice') {
          noticeEndsAt = command.data.endsAt;
          phase = 'in-notice';
        }
        break;
      case 'township-reviewed':
        phase = 'county-approval';
        break;
      case 'approved':
        phase = 'awaiting-payment';
        break;
      case 'disbursing':
        phase = 'paying';
        if (req.type === 'disburse') payer = req.actor;
        break;
      case 'rejected':
        phase = 'rejected';
        break;
    }
    return { phase, summary };
  };

  setHandler(
    benefitRoundStepUpdate,
    async (raw): Promise<BenefitRoundStepOutcome> => {
      const req = validate(raw);
      return steps.run(async () => {
        validate(raw); // the round may have moved while this step waited for the one before it
        return take(req);
      });
    },
    { validator: (raw) => void validate(raw) },
  );
  setHandler(benefitRoundStatusQuery, status);

  // 1. The list, from the store.
  await steps.run(async () => {
    const fromTables = patched('policies-from-tables');
    const terms = await takeNoticeTerms('benefit', input.countyId, { noticeSeconds, minNoticeSeconds: rules?.noticeMinSeconds ?? DEFAULT_BENEFIT_RULES.noticeMinSeconds });
    noticeSeconds = terms.noticeSeconds;
    if (fromTables) rules = { ...rules, noticeMinSeconds: terms.minNoticeSeconds };
    const d = await acts.draftBenefitList({
      ...ctx('draft', input.drafter, asserted(input.assertion)),
      data: {
        programmeId: input.programmeId,
        countyId: input.countyId,
        townshipId: input.townshipId,
        villageIds: input.villageIds,
        period: input.period,
        ...(input.standards ? { standards: input.standards as never } : {}),
      },
    });
    if (d.ok) {
      summary = d.summary;
      excluded = d.excluded;
      phase = 'drafted';
    } else {
      error = d.error;
      phase = 'refused';
    }
  });
  if ((phase as BenefitRoundPhase) === 'refused') return status();

  // 2. 公示 runs its full time; objections arrive as Updates meanwhile.
  await condition(() => phase === 'in-notice');
  await sleep(Math.max(0, Date.parse(noticeEndsAt!) - Date.now()) + 1);
  await steps.run(async () => {
    phase = 'township-review';
  });

  // 3. Review and approval, then county finance starts payment.
  await condition(() => phase === 'paying' || phase === 'rejected');
  if ((phase as BenefitRoundPhase) === 'paying') {
    await condition(allHandlersFinished);
    const ids = (await acts.benefitRoundHouseholds({ roundId: input.roundId })).filter(Boolean);
    for (let i = 0; i < ids.length; i += batchSize) {
      const r = await acts.payBenefitBatch({ ...ctx(`pay-${i / batchSize}`, payer!, provedEarlier()), householdIds: ids.slice(i, i + batchSize) });
      summary = r.summary;
      batchesDone += 1;
    }
    const closed = await acts.closeBenefitRound(ctx('close', payer!, provedEarlier()));
    if (!closed.ok) throw refusal(closed.error);
    summary = closed.summary;
    phase = 'closed';
  }
  await condition(allHandlersFinished);
  return status();
}
