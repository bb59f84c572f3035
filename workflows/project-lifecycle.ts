import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createProjectActivities } from '../activities/project-activities';
import type { FundActivities, FundStepResult } from '../activities/fund-activities';
import type { PaymentActivities } from '../activities/payment-activities';
import {
  evolve,
  initialState,
  makeDecide,
  nextActor,
  PLAN_POLICIES,
  TERMINAL,
  type ProjectCommand,
  type ProjectEvent,
  type ProjectEventOf,
  type ProjectState,
} from '../domain/project';
import type { Actor } from '../domain/shared/actor';
import {
  projectFundUpdate,
  projectPayUpdate,
  projectStatusQuery,
  projectStepUpdate,
  type ProjectFundRequest,
  type ProjectLifecycleInput,
  type ProjectPayRequest,
  type ProjectStepOutcome,
  type ProjectStepRequest,
} from './project-lifecycle.messages';
import { pendingDeadline, type EscalationLevel } from './project-deadlines';
import { STEP_DATA_SCHEMAS } from '../domain/project/step-schemas';
import type { z } from 'zod';
import { OneAtATime } from './one-at-a-time';
import { TuopinCategory, TuopinCounty, TuopinFiscalYear, TuopinStage } from './search-attributes';
import { now, refusal } from './refusal';

const { appendProjectEvents } = proxyActivities<ReturnType<typeof createProjectActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds', nonRetryableErrorTypes: ['DomainRefusal', 'EventStoreInvalid'] },
});

const funds = proxyActivities<FundActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds', nonRetryableErrorTypes: ['EventStoreInvalid', 'EXPECTED_VERSION_CONFLICT'] },
});

// The check before a payment only reads the store: as a local activity it runs within the workflow
// task, one round trip to the server less per payment.
const fundChecks = proxyLocalActivities<FundActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '5 seconds' },
});

// The rail is asked for the status before each submit, so retrying a timed-out payment never pays twice.
const rail = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});



/** Deadlines are the process's own act: it records them as the administrator, the one role that only escalates. */
const DEADLINE_ACTOR: Actor = { userId: 'system.deadlines', role: 'administrator' };

/** How many answers a run keeps for repeated requests (and hands to the next run). */
const ANSWERS_KEPT = 200;

const isTerminal = (s: ProjectState): boolean => s.status !== 'none' && TERMINAL.includes(s.status);

/**
 * One project's process from proposal to closure. The rules are the domain's deciders; this workflow
 * only orders the steps, stamps their time, has the activities append what was decided, pays through
 * the rail, and waits — under a deadline that escalates — for the next person.
 *
 * - Steps on the project's stream alone are `projectStep`; funding (`projectFund`) and payments
 *   (`projectPay`) also move a fund's money, so their activities decide both sides on fresh fund
 *   state and append to both streams in one transaction. One step at a time (`lock`).
 * - Cancellation is a domain step, not a Temporal cancel: it needs a county official, and the
 *   ProjectCancelled event itself lists what each fund must take back (releasesOf), so the saga's
 *   undo list is the domain's, not one the workflow keeps in memory.
 * - Histories of finished runs are replayed on every test run (test/replay-histories.int.spec.ts):
 *   any change to the commands this workflow issues must be guarded by patched('<change-id>').
 */
export async function projectLifecycle(input: ProjectLifecycleInput): Promise<ProjectState> {
  const { workflowId } = workflowInfo();
  const projectId = input.proposal.data.projectId;
  const countyId = input.proposal.data.countyId;
  const policies = { ...PLAN_POLICIES, ...input.policies };
  const decide = makeDecide(policies);
  const r = input.resume;
  let state: ProjectState = r?.state ?? initialState();
  let version = r?.version ?? 0;
  let lastPosition: number | undefined = r?.lastPosition;
  let step = r?.step ?? 0;
  const runs = (r?.runs ?? 0) + 1;
  // Bumped by every step a person takes; a deadline restarts when it moves, not when the workflow escalates.
  let progress = 0;
  let deadlineAt: string | undefined;
  const steps = new OneAtATime();
  const answered = new Map<string, unknown>(Object.entries(r?.answered ?? {}));

  // A step that arrives while the proposal is still being recorded waits for it, then decides.
  // A step that has begun is finished even if the workflow is asked to cancel: a payment the rail
  // has made must be recorded, an append the store has taken must be known.
  const lock = <T>(fn: () => Promise<T>, first = false): Promise<T> =>
    CancellationScope.nonCancellable(async () => {
      if (!first) await condition(() => state.status !== 'none');
      return steps.run(fn);
    });

  const stageAttribute = () => upsertSearchAttributes([{ key: TuopinStage, value: state.status !== 'none' && state.escalation?.stage === state.status ? 'overdue' : state.status }]);

  const moveOn = (events: readonly ProjectEvent[], streamVersion: number, positions: readonly number[], byPerson: boolean) => {
    state = events.reduce<ProjectState>((s, e) => evolve(s, e), state);
    version = streamVersion;
    lastPosition = positions.at(-1) ?? lastPosition;
    if (byPerson) progress += 1;
    stageAttribute();
  };

  const context = (stepName: string, actor: Actor, at: string) => ({
    projectId,
    countyId,
    step: stepName,
    actor,
    now: at,
    correlationId: input.correlationId,
    causationId: currentUpdateInfo()?.id ?? `${workflowId}/${stepName}`,
    projectVersion: version,
    ...(input.policies ? { policies: input.policies } : {}),
  });

  /** The saga's compensation: what the funds set aside and did not pay goes back, even if the workflow is being cancelled. */
  const releaseFunds = async (cancelled: ProjectEventOf<'ProjectCancelled'>, stepName: string, actor: Actor, at: string) => {
    if (cancelled.data.releases.length === 0) return;
    const { projectVersion: _v, ...ctx } = context(`${stepName}:compensate`, actor, at);
    const outcomes = await CancellationScope.nonCancellable(() => funds.releaseAllocations({ ...ctx, cancelled }));
    const failed = outcomes.filter((o) => !o.released);
    if (failed.length > 0) log.error('allocations not released after cancellation', { projectId, failed: failed.map((o) => ({ fundId: o.fundId, code: o.error?.code })) });
  };

  /** A step on the project's stream alone. */
  const apply = (command: ProjectCommand, stepName: string, byPerson = true): Promise<ProjectStepOutcome> =>
    lock(async () => {
      if (command.type !== 'ProposeProject') command = { ...command, meta: { ...command.meta, now: now() } } as ProjectCommand;
      const d = decide(command, state);
      if (!d.ok) throw refusal(d.error);
      step += 1;
      const name = `${step}:${stepName}`;
      const appended = await appendProjectEvents({
        projectId,
        countyId,
        expectedVersion: version === 0 ? 'no-stream' : version,
        step: name,
        events: d.events,
        actor: command.meta.actor,
        correlationId: input.correlationId,
        causationId: currentUpdateInfo()?.id ?? `${workflowId}/${stepName}`,
        businessDate: command.meta.now.slice(0, 10),
      });
      moveOn(d.events, appended.streamVersion, appended.positions, byPerson);
      const cancelled = d.events.find((e): e is ProjectEventOf<'ProjectCancelled'> => e.type === 'ProjectCancelled');
      if (cancelled) await releaseFunds(cancelled, name, command.meta.actor, command.meta.now);
      return { stage: state.status, streamVersion: version, positions: appended.positions };
    }, command.type === 'ProposeProject');

  const settle = (result: FundStepResult): ProjectStepOutcome => {
    if (!result.ok) throw refusal(result.error);
    moveOn(result.projectEvents, result.streamVersion, result.positions, true);
    return { stage: state.status, streamVersion: version, positions: result.positions };
  };

  const toCommand = (req: ProjectStepRequest): ProjectCommand =>
    ({ type: req.type, data: { ...req.data, projectId }, meta: { actor: req.actor, now: now() } }) as ProjectCommand;

  /** The project's side of an allocation; the fund's side (balance, earmark, county) is the activity's. */
  const fundingCommand = (req: ProjectFundRequest, allocationId: string): ProjectCommand => ({
    type: 'RecordFunding',
    // The source is the fund's and only recorded; the project's rules (stage, budget) do not read it.
    data: { projectId, fundId: req.fundId, allocationId, source: 'central', amount: req.amount },
    meta: { actor: req.actor, now: now() },
  });

  /** What a payment records, as the decider and the payment activities both take it. */
  const paymentOf = (req: ProjectPayRequest, paymentId: string) => ({
    projectId,
    paymentId,
    fundId: req.fundId,
    allocationId: req.allocationId,
    milestone: req.milestone,
    ...(req.milestoneId ? { milestoneId: req.milestoneId } : {}),
    payee: req.payee,
    ...(req.householdId !== undefined ? { householdId: req.householdId } : {}),
    amount: req.amount,
    use: req.use,
  });

  const paymentCommand = (req: ProjectPayRequest, paymentId: string): ProjectCommand => ({
    type: 'RecordPayment',
    data: paymentOf(req, paymentId),
    meta: { actor: req.actor, now: now() },
  });

  /** Ids derived from the project and the step: a repeated request carries the same one. */
  const allocationIdFor = (n: number) => `${projectId}:a${n}`;
  const paymentIdFor = (n: number) => `${projectId}:p${n}`;

  const fund = (req: ProjectFundRequest) =>
    lock(async () => {
      step += 1;
      const allocationId = allocationIdFor(step);
      const c = fundingCommand(req, allocationId);
      const d = decide(c, state);
      if (!d.ok) throw refusal(d.error);
      const result = await funds.allocateFunding({ ...context(`${step}:fund`, req.actor, c.meta.now), fundId: req.fundId, allocationId, amount: req.amount });
      return { ...settle(result), allocationId };
    });

  const pay = (req: ProjectPayRequest) =>
    lock(async () => {
      step += 1;
      const paymentId = paymentIdFor(step);
      const c = paymentCommand(req, paymentId);
      const d = decide(c, state);
      if (!d.ok) throw refusal(d.error);
      // Forwarded as asked: the household rides in the activities' input, which replay does not compare; no command changes.
      const request = paymentOf(req, paymentId);
      const ctx = { ...context(`${step}:pay`, req.actor, c.meta.now), request };
      // Runs recorded before the check became local replay the activity they scheduled.
      const check = patched('payment-check-local') ? await fundChecks.checkPayment(ctx) : await funds.checkPayment(ctx);
      if (!check.ok) throw refusal(check.error!);
      let status;
      try {
        // Pending and timeouts are retried by Temporal inside the activity's policy; what comes back is confirmed.
        status = await rail.payThroughRail(
          { idempotencyKey: paymentId, fromAccount: check.fromAccount!, toAccount: req.payee, amount: req.amount, memo: `${projectId} ${req.milestone}` },
          { correlationId: input.correlationId, causationId: ctx.causationId },
        );
      } catch (e) {
        // The rail refused: no money moved, nothing is recorded; the caller hears the rail's code.
        if (e instanceof ActivityFailure && e.cause instanceof ApplicationFailure)
          throw ApplicationFailure.create({ type: e.cause.type ?? 'PAYMENT_RAIL_REJECTED', message: e.cause.message, nonRetryable: true, details: e.cause.details as unknown[] });
        throw e;
      }
      // Money has moved: the books must now say so. Nothing in between may refuse it silently.
      const result = await CancellationScope.nonCancellable(() => funds.recordPayment(ctx));
      if (!result.ok) {
        log.error('payment confirmed by the rail but refused by the books', { projectId, paymentId, code: result.error.code });
        throw ApplicationFailure.create({ type: 'PAYMENT_CONFIRMED_NOT_RECORDED', message: `${paymentId} was paid (transfer ${status.transferId}) but not recorded: ${result.error.code}`, nonRetryable: true, details: [result.error] });
      }
      return { ...settle(result), paymentId, transferId: status.transferId };
    });

  const escalate = (level: EscalationLevel, kind: string, seen: number) =>
    lock(async () => {
      // A person acted while the timer fired: the stage is no longer overdue.
      if (progress !== seen || isTerminal(state)) return;
      const c: ProjectCommand = { type: 'EscalateProject', data: { projectId, level, deadlineKind: kind }, meta: { actor: DEADLINE_ACTOR, now: now() } };
      const d = decide(c, state);
      if (!d.ok) {
        log.warn('escalation refused', { projectId, level, code: d.error.code });
        return;
      }
      step += 1;
      const appended = await appendProjectEvents({
        projectId,
        countyId,
        expectedVersion: version,
        step: `${step}:escalate`,
        events: d.events,
        actor: DEADLINE_ACTOR,
        correlationId: input.correlationId,
        causationId: `${workflowId}/deadline/${kind}`,
        businessDate: c.meta.now.slice(0, 10),
      });
      moveOn(d.events, appended.streamVersion, appended.positions, false);
      log.info('project escalated', { projectId, level, deadlineKind: kind, stage: state.status });
    });

  setHandler(projectStatusQuery, () => {
    const next = nextActor(state);
    const s = state.status === 'none' ? undefined : state;
    const overdue = s?.escalation && s.escalation.stage === s.status ? s.escalation : undefined;
    return {
      projectId,
      stage: state.status,
      streamVersion: version,
      runs,
      ...(next ? { nextActor: next } : {}),
      ...(deadlineAt ? { deadlineAt } : {}),
      ...(overdue ? { overdue: { level: overdue.level, deadlineKind: nextActor(state)?.deadlineKind ?? 'none' } } : {}),
      ...(lastPosition !== undefined ? { lastPosition } : {}),
      ...(s ? { budget: s.budget, funded: s.funded, paid: s.paid } : {}),
    };
  });

  /** A request seen before (in this run or, carried over, in an earlier one) is answered as it was. */
  const repeated = (): boolean => {
    const id = currentUpdateInfo()?.id;
    return id !== undefined && answered.has(id);
  };
  const once =
    <A, R>(handler: (a: A) => Promise<R>) =>
    async (a: A): Promise<R> => {
      const id = currentUpdateInfo()?.id;
      if (id !== undefined && answered.has(id)) return answered.get(id) as R;
      const out = await handler(a);
      if (id !== undefined) {
        answered.set(id, out);
        // Bounded, so the carried state stays small: a retry comes soon after its request.
        if (answered.size > ANSWERS_KEPT) answered.delete(answered.keys().next().value!);
      }
      return out;
    };

  // Validators are synchronous on purpose: an async validator's promise is never awaited, so it could not refuse.
  const validate = (c: ProjectCommand) => {
    // Before the proposal is recorded there is nothing to decide on yet: the handler waits and decides.
    if (state.status === 'none' || repeated()) return;
    const d = decide(c, state);
    if (!d.ok) throw refusal(d.error);
  };

  setHandler(
    projectStepUpdate,
    once((req: ProjectStepRequest) => apply(toCommand(req), req.type)),
    {
      validator: (req) => {
        // The step's data is checked here too, not only at the API and CLI: an Update sent straight
        // to Temporal with text the store cannot keep (a lone surrogate, NUL) would otherwise retry its
        // append forever while holding the step lock. Validators do not run on replay.
        const parsed = (STEP_DATA_SCHEMAS as Record<string, z.ZodType | undefined>)[req.type]?.safeParse(req.data);
        if (!parsed?.success) {
          const issue = parsed?.error.issues[0];
          const where = issue ? `data${issue.path.map((k) => `.${String(k)}`).join('')}: ${issue.message}` : `no step ${String(req.type)}`;
          throw refusal({ code: 'STEP_DATA_INVALID', zh: `步骤内容不合规（${where}）`, en: `the step's data is invalid (${where})` });
        }
        validate(toCommand(req));
      },
    },
  );
  setHandler(projectFundUpdate, once(fund), { validator: (req) => validate(fundingCommand(req, allocationIdFor(step + 1))) });
  setHandler(projectPayUpdate, once(pay), { validator: (req) => validate(paymentCommand(req, paymentIdFor(step + 1))) });

  const p = input.proposal.data;
  upsertSearchAttributes([
    { key: TuopinCounty, value: p.countyId },
    { key: TuopinCategory, value: p.category },
    { key: TuopinFiscalYear, value: p.fiscalYear },
  ]);
  if (r === undefined) await apply({ type: 'ProposeProject', data: p, meta: { actor: input.proposal.actor, now: now() } }, 'proposal');
  else stageAttribute();

  const historyFull = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || (input.continueAsNewAfterEvents !== undefined && info.historyLength >= input.continueAsNewAfterEvents);
  };

  // A Temporal cancel request does not end a project: it may hold fund money that only a county
  // official's CancelProject releases (and records why). The process ends in a domain end state.
  CancellationScope.current().cancelRequested.catch(() =>
    log.warn('cancel request ignored: a project ends by its own steps (tuopin project cancel releases its allocations)', { projectId, stage: state.status }),
  );
  await CancellationScope.nonCancellable(() => untilAtRest());
  deadlineAt = undefined;
  return state;

  async function untilAtRest(): Promise<void> {
    while (!isTerminal(state)) {
      if (historyFull() && !steps.busy) {
        // Updates in flight finish in this run; the next one starts from the state they leave.
        await condition(() => !steps.busy && allHandlersFinished());
        if (!isTerminal(state)) {
          log.info('continuing as new', { projectId, historyLength: workflowInfo().historyLength, runs });
          await continueAsNew<typeof projectLifecycle>({ ...input, resume: { state, version, step, runs, answered: Object.fromEntries(answered), ...(lastPosition !== undefined ? { lastPosition } : {}) } });
        }
        break;
      }
      const seen = progress;
      const moved = () => progress !== seen || isTerminal(state) || (historyFull() && !steps.busy);
      const due = pendingDeadline(state, input.deadlines, Date.now());
      if (!due) {
        deadlineAt = undefined;
        await condition(moved);
        continue;
      }
      deadlineAt = new Date(Date.now() + due.ms).toISOString();
      if (await condition(moved, due.ms)) continue;
      await escalate(due.level, due.kind, seen);
    }
    await condition(allHandlersFinished);
  }
}
