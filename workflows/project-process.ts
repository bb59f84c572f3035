import { ActivityFailure, ApplicationFailure, CancellationScope, condition, currentUpdateInfo, log, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ProjectActivities } from '../activities/project-activities';
import type { FundActivities, FundStepResult } from '../activities/fund-activities';
import type { PaymentActivities } from '../activities/payment-activities';
import type { PaymentStepActivities } from '../activities/payment-step';
// From the modules themselves, not the domain's index: the index brings the events' schemas, which a workflow does not use (domain/project/event-parts.ts).
import { evolve } from '../domain/project/evolve';
import { initialState, TERMINAL } from '../domain/project/state';
import { makeDecide } from '../domain/project/decide';
import { nextActor } from '../domain/project/next-actor';
import { PLAN_POLICIES, POLICIES_BEFORE_V2 } from '../domain/project/policies';
import type { ProjectPolicies, ProjectCommand, ProjectEvent, ProjectEventOf, ProjectState } from '../domain/project';
import type { Actor } from '../domain/shared/actor';
import type {
  ProjectFundRequest,
  ProjectLifecycleInput,
  ProjectPayRequest,
  ProjectResume,
  ProjectStatusView,
  ProjectStepOutcome,
  ProjectStepRequest,
} from './project-lifecycle.messages';
import type { EscalationLevel } from './project-deadlines';
import { OneAtATime } from './one-at-a-time';
import { TuopinStage } from './search-attributes';
import { now } from './clock';
import { refusal } from './refusal';
import { actorRefusalOf, asserted, refuseSystemActor } from './actor-assertion';
import { requestFingerprint, withoutAssertion } from './request-fingerprint';

/** An Update id split into the request it names and the digest of what it asked. */
const requestOf = (id: string, req: unknown): [string, string] => {
  const slash = id.lastIndexOf('/');
  return slash < 0 ? [id, requestFingerprint(withoutAssertion(req))] : [id.slice(0, slash), id.slice(slash + 1)];
};

/** Deadlines are the process's own act: it records them as the administrator, the one role that only escalates. */
const DEADLINE_ACTOR: Actor = { userId: 'system.deadlines', role: 'administrator' };

/** A payment's activity found the store ahead of the process: taken in, then decided again. */
const BEHIND = Symbol('behind');

/** The store refused an append at the version the process holds: the project's stream has moved past it. */
const projectConflict = (e: unknown): boolean => {
  // A local activity's failure reaches the workflow as the activity's own ApplicationFailure; a regular one's inside an ActivityFailure.
  const failure = e instanceof ActivityFailure ? e.cause : e;
  return failure instanceof ApplicationFailure && failure.type === 'EXPECTED_VERSION_CONFLICT';
};

/**
 * The changes to a project's commands made before 'project-changes-marked-once', which marks them
 * all at once. The SDK's core records, for each patched() a new run calls, a marker and an upsert of
 * the TemporalChangeVersion search attribute, which is one more visibility write in the server:
 * seven of each per project, all in its first workflow task (issue 18 point 6). A run from that
 * patch on marks it alone and takes these changes as made; runs recorded before it replay their own
 * markers one by one. A later change is not added here: it calls patched() with its own id.
 */
export type ProjectChange =
  | 'payment-template-v2-subsidy-bases'
  | 'policies-from-tables'
  | 'actor-assertion'
  | 'payment-check-local'
  | 'append-local-activity'
  | 'payment-one-activity'
  | 'stage-attribute-when-changed'
  | 'county-name-search-attribute';

/** How many answers a run keeps for repeated requests (and hands to the next run). */
const ANSWERS_KEPT = 200;

/** The activities the process calls, as the workflow file proxies them (with their timeouts and retries). */
export interface ProjectProcessActivities {
  readonly appendProjectEvents: ProjectActivities['appendProjectEvents'];
  /** The same append as a local activity (runs from 'append-local-activity' on). */
  readonly appendLocally: ProjectActivities['appendProjectEvents'];
  /** A local activity: the project's events after the version the process holds. */
  readonly projectEventsAfter: ProjectActivities['projectEventsAfter'];
  /** A payment's check, rail and record in one activity (runs from 'payment-one-activity' on). */
  readonly paymentStep: PaymentStepActivities;
  /** A local activity: the tables in force (or, in a simulation namespace, the starter's). */
  readonly projectPolicies: ProjectActivities['projectPolicies'];
  readonly funds: FundActivities;
  /** The fund activities as local activities: the payment check only reads the store. */
  readonly fundChecks: FundActivities;
  readonly rail: PaymentActivities;
}

/**
 * One project's process: its state, the stream version it holds, the step counter, the answers to
 * repeated requests and the lock that runs one step at a time. `workflows/project-lifecycle.ts`
 * wires the Updates and the query to its methods and runs the main loop (deadlines, continue-as-new).
 *
 * - Steps on the project's stream alone go through `apply`; funding (`fund`) and payments (`pay`)
 *   also move a fund's money, so their activities decide both sides on fresh fund state and append
 *   to both streams in one transaction.
 * - Cancellation is a domain step, not a Temporal cancel: the ProjectCancelled event lists what each
 *   fund must take back (releasesOf), so the saga's undo list is the domain's (`releaseFunds`).
 *
 * A payment is decided in four places, each for a reason:
 * 1. the Update's validator (`validate`), on the process's state: a refused payment is turned away
 *    before the Update is accepted, so it leaves nothing in the history;
 * 2. `pay`, under the lock: an earlier step may have moved the project since the validator ran;
 * 3. `checkPayment` (a local activity), the project and the fund on fresh store state, before the
 *    rail is asked: the fund is shared with other projects and the process does not hold its state;
 * 4. `recordPayment`, both deciders again at the append, after the rail confirmed: the fund may have
 *    moved since the check, and the append is made at the versions the decision read. A refusal
 *    here is PAYMENT_CONFIRMED_NOT_RECORDED, logged as an error: money moved that the books refuse.
 */
export class ProjectProcess {
  state: ProjectState;
  private version: number;
  private lastPosition: number | undefined;
  private step: number;
  readonly runs: number;
  /** Bumped by every step a person takes; a deadline restarts when it moves, not when the workflow escalates. */
  progress = 0;
  deadlineAt: string | undefined;
  readonly steps = new OneAtATime();
  private readonly answered: Map<string, unknown>;
  /**
   * What each answered request asked, by request id. The services send `<kind>:<user>:<request id>/<digest>`
   * (services/project-updates.ts, updateIdOf); an id without a digest is its own request id, fingerprinted here.
   * This run's answers only: carried ones predate fingerprints.
   */
  private readonly fingerprints = new Map<string, string>();
  private readonly workflowId: string;
  private readonly projectId: string;
  private readonly countyId: ProjectLifecycleInput['proposal']['data']['countyId'];
  private decide: ReturnType<typeof makeDecide>;
  /** The tables this run decides by beyond the plan's: the starter's until `takePolicies` has run (histories recorded before it). */
  private policies: ProjectLifecycleInput['policies'];
  private readonly rules: ProjectPolicies;
  /** False while the run is taking its tables: no step is decided before. */
  private ready = true;
  /**
   * Runs started before these changes replay the commands they recorded: the append as an activity
   * of its own, and a payment's check, rail and record as three. From them on, a step's append is a
   * local activity within the Update's workflow task, and a payment one activity (issue 18).
   */
  private readonly appendsLocally: boolean;
  private readonly paysInOneActivity: boolean;
  /**
   * From 'stage-attribute-when-changed' on, the stage search attribute is upserted only when its value
   * changes: a payment leaves the stage as it was, and each upsert was one more command, history
   * event and visibility write per payment (issue 18). Runs recorded before upsert at every step.
   */
  private readonly stageOnlyWhenChanged: boolean;
  private stageShown: string | undefined;
  /** Whether this run made the change `id`: all of them from 'project-changes-marked-once' on, each by its own patch before. */
  readonly changed: (id: ProjectChange) => boolean;

  constructor(
    private readonly input: ProjectLifecycleInput,
    private readonly activities: ProjectProcessActivities,
  ) {
    this.workflowId = workflowInfo().workflowId;
    this.projectId = input.proposal.data.projectId;
    this.countyId = input.proposal.data.countyId;
    // A history recorded before payment template v2 (warranty ≤ 24 months, progress ≤ 90%) and
    // required subsidy bases replays under the rules it was decided by.
    const markedAtOnce = patched('project-changes-marked-once');
    this.changed = (id) => markedAtOnce || patched(id);
    this.rules = this.changed('payment-template-v2-subsidy-bases') ? PLAN_POLICIES : POLICIES_BEFORE_V2;
    this.appendsLocally = this.changed('append-local-activity');
    this.paysInOneActivity = this.changed('payment-one-activity');
    this.stageOnlyWhenChanged = this.changed('stage-attribute-when-changed');
    this.policies = input.policies;
    this.decide = makeDecide({ ...this.rules, ...input.policies });
    const r = input.resume;
    this.state = r?.state ?? initialState();
    this.version = r?.version ?? 0;
    this.lastPosition = r?.lastPosition;
    this.step = r?.step ?? 0;
    this.runs = (r?.runs ?? 0) + 1;
    this.answered = new Map<string, unknown>(Object.entries(r?.answered ?? {}));
  }

  /**
   * The tables this run decides by, from the domain's tables in force for the project's county and
   * day (a local activity: the worker knows whether its namespace is configured for simulation, the
   * only place a starter's tables are taken). Runs recorded before this decided by their input's.
   */
  async takePolicies(day: string): Promise<void> {
    if (!this.changed('policies-from-tables')) return;
    // Marked before the local activity, as takeNoticeTerms does: marked first by the proposal after it,
    // the marker can land in a later workflow task than the activity's result (a query arriving while it
    // runs), and such histories did not replay (seen in exit and benefit processes in CI).
    this.changed('actor-assertion');
    this.ready = false;
    const requested = this.input.policies;
    const taken = await this.activities.projectPolicies({ projectId: this.projectId, countyId: this.countyId, day, ...(requested ? { requested } : {}) });
    this.policies = taken;
    this.decide = makeDecide({ ...this.rules, ...taken });
    this.ready = true;
  }

  get atRest(): boolean {
    return this.state.status !== 'none' && TERMINAL.includes(this.state.status);
  }

  /** What the next run starts from (continue-as-new). */
  resume(): ProjectResume {
    return {
      state: this.state,
      version: this.version,
      step: this.step,
      runs: this.runs,
      answered: Object.fromEntries(this.answered),
      ...(this.lastPosition !== undefined ? { lastPosition: this.lastPosition } : {}),
    };
  }

  status(): ProjectStatusView {
    const state = this.state;
    const next = nextActor(state);
    const s = state.status === 'none' ? undefined : state;
    const overdue = s?.escalation && s.escalation.stage === s.status ? s.escalation : undefined;
    return {
      projectId: this.projectId,
      stage: state.status,
      streamVersion: this.version,
      runs: this.runs,
      ...(next ? { nextActor: next } : {}),
      ...(this.deadlineAt ? { deadlineAt: this.deadlineAt } : {}),
      ...(overdue ? { overdue: { level: overdue.level, deadlineKind: nextActor(state)?.deadlineKind ?? 'none' } } : {}),
      ...(this.lastPosition !== undefined ? { lastPosition: this.lastPosition } : {}),
      ...(s ? { budget: s.budget, funded: s.funded, paid: s.paid } : {}),
    };
  }

  stageAttribute(): void {
    const s = this.state;
    const stage = s.status !== 'none' && s.escalation?.stage === s.status ? 'overdue' : s.status;
    if (this.stageOnlyWhenChanged && stage === this.stageShown) return;
    upsertSearchAttributes([{ key: TuopinStage, value: stage }]);
    this.stageShown = stage;
  }

  /**
   * A step that arrives while the proposal is still being recorded waits for it, then decides.
   * A step that has begun is finished even if the workflow is asked to cancel: a payment the rail
   * has made must be recorded, an append the store has taken must be known.
   */
  private lock<T>(fn: () => Promise<T>, first = false): Promise<T> {
    return CancellationScope.nonCancellable(async () => {
      if (!first) await condition(() => this.state.status !== 'none');
      // Only while a run takes its tables (never in runs recorded before it).
      if (!this.ready) await condition(() => this.ready);
      return this.steps.run(fn);
    });
  }

  private moveOn(events: readonly ProjectEvent[], streamVersion: number, positions: readonly number[], byPerson: boolean): void {
    this.state = events.reduce<ProjectState>((s, e) => evolve(s, e), this.state);
    this.version = streamVersion;
    this.lastPosition = positions.at(-1) ?? this.lastPosition;
    if (byPerson) this.progress += 1;
    this.stageAttribute();
  }

  private causationOf(stepName: string): string {
    return currentUpdateInfo()?.id ?? `${this.workflowId}/${stepName}`;
  }

  private context(stepName: string, actor: Actor, at: string, assertion?: string) {
    return {
      projectId: this.projectId,
      countyId: this.countyId,
      step: stepName,
      actor,
      ...asserted(assertion, this.changed),
      now: at,
      correlationId: this.input.correlationId,
      causationId: this.causationOf(stepName),
      projectVersion: this.version,
      ...(this.policies ? { policies: this.policies } : {}),
    };
  }

  /** Has the activity append what the process decided on its own stream, at the version it holds. */
  private append(events: ProjectEvent[], step: string, actor: Actor, causationId: string, at: string, assertion?: string) {
    const appendProjectEvents = this.appendsLocally ? this.activities.appendLocally : this.activities.appendProjectEvents;
    return appendProjectEvents({
      projectId: this.projectId,
      countyId: this.countyId,
      expectedVersion: this.version === 0 ? 'no-stream' : this.version,
      step,
      events,
      actor,
      ...asserted(assertion, this.changed),
      correlationId: this.input.correlationId,
      causationId,
      businessDate: at.slice(0, 10),
    }).catch((e: unknown) => Promise.reject(actorRefusalOf(e)));
  }

  /**
   * A local append runs before its workflow task is recorded: if the task is lost after the store
   * took the events (the worker died, the Update was given up), the store holds a step the process
   * does not. The next step's append then meets the store ahead of it; the process takes in what the
   * store holds after its version (its own decisions: only it writes its stream) and decides again.
   * Returns whether there was anything to take in.
   */
  private async catchUp(): Promise<boolean> {
    const after = await this.activities.projectEventsAfter({ projectId: this.projectId, after: this.version });
    if (after.events.length === 0) return false;
    log.warn('the store holds project events this process did not: taking them in before deciding', {
      projectId: this.projectId,
      from: this.version,
      to: after.streamVersion,
      types: after.events.map((e) => e.type),
    });
    this.moveOn(after.events, after.streamVersion, after.positions, true);
    return true;
  }

  /**
   * `step`, run again once after catching up if the store was found ahead (only where appends are
   * local; runs recorded before take `step` as they did, with no wrapper between).
   */
  private caughtUp<T>(step: () => Promise<T>): Promise<T> {
    return this.appendsLocally ? this.retriedAfterCatchingUp(step) : step();
  }

  private async retriedAfterCatchingUp<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (e) {
      if (!projectConflict(e) || !(await this.catchUp())) throw e;
      return step();
    }
  }

  /** The saga's compensation: what the funds set aside and did not pay goes back, even if the workflow is being cancelled. */
  private async releaseFunds(cancelled: ProjectEventOf<'ProjectCancelled'>, stepName: string, actor: Actor, at: string): Promise<void> {
    if (cancelled.data.releases.length === 0) return;
    const { projectVersion: _v, ...ctx } = this.context(`${stepName}:compensate`, actor, at);
    const outcomes = await CancellationScope.nonCancellable(() => this.activities.funds.releaseAllocations({ ...ctx, cancelled }));
    const failed = outcomes.filter((o) => !o.released);
    if (failed.length > 0)
      log.error('allocations not released after cancellation', { projectId: this.projectId, failed: failed.map((o) => ({ fundId: o.fundId, code: o.error?.code })) });
  }

  /** A step on the project's stream alone; `assertion` proves the command's actor (none for the system's own acts). */
  apply(command: ProjectCommand, stepName: string, assertion?: string): Promise<ProjectStepOutcome> {
    return this.lock(() => this.caughtUp(() => this.applyNow(command, stepName, assertion)), command.type === 'ProposeProject');
  }

  private async applyNow(command: ProjectCommand, stepName: string, assertion?: string): Promise<ProjectStepOutcome> {
    {
      if (command.type !== 'ProposeProject') command = { ...command, meta: { ...command.meta, now: now() } } as ProjectCommand;
      const d = this.decide(command, this.state);
      if (!d.ok) throw refusal(d.error);
      this.step += 1;
      const name = `${this.step}:${stepName}`;
      const appended = await this.append(d.events, name, command.meta.actor, this.causationOf(stepName), command.meta.now, assertion);
      // The store's copy when this step was stored by a workflow task that was lost (appendProjectEvents).
      this.moveOn(appended.stored ?? d.events, appended.streamVersion, appended.positions, true);
      const cancelled = d.events.find((e): e is ProjectEventOf<'ProjectCancelled'> => e.type === 'ProjectCancelled');
      if (cancelled) await this.releaseFunds(cancelled, name, command.meta.actor, command.meta.now);
      return { stage: this.state.status, streamVersion: this.version, positions: appended.positions };
    }
  }

  private settle(result: FundStepResult): ProjectStepOutcome {
    if (!result.ok) throw refusal(result.error);
    this.moveOn(result.projectEvents, result.streamVersion, result.positions, true);
    return { stage: this.state.status, streamVersion: this.version, positions: result.positions };
  }

  toCommand(req: ProjectStepRequest): ProjectCommand {
    return { type: req.type, data: { ...req.data, projectId: this.projectId }, meta: { actor: req.actor, now: now() } } as ProjectCommand;
  }

  /** The project's side of an allocation; the fund's side (balance, earmark, county) is the activity's. */
  fundingCommand(req: ProjectFundRequest, allocationId: string): ProjectCommand {
    return {
      type: 'RecordFunding',
      // The source is the fund's and only recorded; the project's rules (stage, budget) do not read it.
      data: { projectId: this.projectId, fundId: req.fundId, allocationId, source: 'central', amount: req.amount },
      meta: { actor: req.actor, now: now() },
    };
  }

  /** What a payment records, as the decider and the payment activities both take it. */
  private paymentOf(req: ProjectPayRequest, paymentId: string) {
    return {
      projectId: this.projectId,
      paymentId,
      fundId: req.fundId,
      allocationId: req.allocationId,
      milestone: req.milestone,
      ...(req.milestoneId ? { milestoneId: req.milestoneId } : {}),
      payee: req.payee,
      ...(req.householdId !== undefined ? { householdId: req.householdId } : {}),
      amount: req.amount,
      use: req.use,
    };
  }

  paymentCommand(req: ProjectPayRequest, paymentId: string): ProjectCommand {
    return { type: 'RecordPayment', data: this.paymentOf(req, paymentId), meta: { actor: req.actor, now: now() } };
  }

  /** Ids derived from the project and the step: a repeated request carries the same one. The validators name the next step's. */
  allocationIdFor(n = this.step + 1): string {
    return `${this.projectId}:a${n}`;
  }
  paymentIdFor(n = this.step + 1): string {
    return `${this.projectId}:p${n}`;
  }

  fund(req: ProjectFundRequest) {
    return this.lock(() =>
      this.caughtUp(async () => {
        this.step += 1;
        const allocationId = this.allocationIdFor(this.step);
        const c = this.fundingCommand(req, allocationId);
        const d = this.decide(c, this.state);
        if (!d.ok) throw refusal(d.error);
        const result = await this.activities.funds.allocateFunding({
          ...this.context(`${this.step}:fund`, req.actor, c.meta.now, req.assertion),
          fundId: req.fundId,
          allocationId,
          amount: req.amount,
        });
        return { ...this.settle(result), allocationId };
      }),
    );
  }

  pay(req: ProjectPayRequest) {
    if (!this.paysInOneActivity) return this.payInThreeActivities(req);
    return this.lock(async () => {
      const first = await this.payInOneActivity(req);
      if (first !== BEHIND) return first;
      if (!(await this.catchUp()))
        throw ApplicationFailure.create({
          type: 'PROJECT_STORE_AHEAD',
          message: `the store holds a newer ${this.projectId} than this process, and none of its events after ${this.version}`,
          nonRetryable: true,
        });
      const again = await this.payInOneActivity(req);
      if (again === BEHIND)
        throw ApplicationFailure.create({ type: 'PROJECT_STORE_AHEAD', message: `${this.projectId} moved in the store again while this process took it in`, nonRetryable: true });
      return again;
    });
  }

  /** A payment decided here and made by one activity: check, rail, record (activities/payment-step.ts). */
  private async payInOneActivity(req: ProjectPayRequest) {
    this.step += 1;
    const paymentId = this.paymentIdFor(this.step);
    const c = this.paymentCommand(req, paymentId);
    const d = this.decide(c, this.state);
    if (!d.ok) throw refusal(d.error);
    const ctx = { ...this.context(`${this.step}:pay`, req.actor, c.meta.now, req.assertion), request: this.paymentOf(req, paymentId) };
    let out;
    try {
      // Once the rail is asked, the activity is finished even if the workflow is being cancelled: money that moved is recorded.
      out = await CancellationScope.nonCancellable(() => this.activities.paymentStep.payAndRecord(ctx));
    } catch (e) {
      // The rail refused: no money moved, nothing is recorded; the caller hears the rail's code.
      if (e instanceof ActivityFailure && e.cause instanceof ApplicationFailure)
        throw ApplicationFailure.create({ type: e.cause.type ?? 'PAYMENT_RAIL_REJECTED', message: e.cause.message, nonRetryable: true, details: e.cause.details as unknown[] });
      throw e;
    }
    if (!out.paid) {
      if (out.behind) return BEHIND;
      throw refusal(out.error!);
    }
    if (!out.ok) {
      log.error('payment confirmed by the rail but refused by the books', { projectId: this.projectId, paymentId, code: out.error.code });
      throw ApplicationFailure.create({
        type: 'PAYMENT_CONFIRMED_NOT_RECORDED',
        message: `${paymentId} was paid (transfer ${out.transferId}) but not recorded: ${out.error.code}`,
        nonRetryable: true,
        details: [out.error],
      });
    }
    return { ...this.settle(out), paymentId, transferId: out.transferId };
  }

  /** Runs recorded before 'payment-one-activity': the check, the rail and the record, each its own activity. */
  private payInThreeActivities(req: ProjectPayRequest) {
    return this.lock(async () => {
      this.step += 1;
      const paymentId = this.paymentIdFor(this.step);
      const c = this.paymentCommand(req, paymentId);
      const d = this.decide(c, this.state);
      if (!d.ok) throw refusal(d.error);
      const request = this.paymentOf(req, paymentId);
      const ctx = { ...this.context(`${this.step}:pay`, req.actor, c.meta.now, req.assertion), request };
      // Runs recorded before the check became local replay the activity they scheduled.
      const check = this.changed('payment-check-local') ? await this.activities.fundChecks.checkPayment(ctx) : await this.activities.funds.checkPayment(ctx);
      if (!check.ok) throw refusal(check.error!);
      let status;
      try {
        // Pending and timeouts are retried by Temporal inside the activity's policy; what comes back is confirmed.
        status = await this.activities.rail.payThroughRail(
          { idempotencyKey: paymentId, fromAccount: check.fromAccount!, toAccount: req.payee, amount: req.amount, memo: `${this.projectId} ${req.milestone}` },
          { correlationId: this.input.correlationId, causationId: ctx.causationId },
        );
      } catch (e) {
        // The rail refused: no money moved, nothing is recorded; the caller hears the rail's code.
        if (e instanceof ActivityFailure && e.cause instanceof ApplicationFailure)
          throw ApplicationFailure.create({ type: e.cause.type ?? 'PAYMENT_RAIL_REJECTED', message: e.cause.message, nonRetryable: true, details: e.cause.details as unknown[] });
        throw e;
      }
      // Money has moved: the books must now say so. Nothing in between may refuse it silently.
      const result = await CancellationScope.nonCancellable(() => this.activities.funds.recordPayment(ctx));
      if (!result.ok) {
        log.error('payment confirmed by the rail but refused by the books', { projectId: this.projectId, paymentId, code: result.error.code });
        throw ApplicationFailure.create({
          type: 'PAYMENT_CONFIRMED_NOT_RECORDED',
          message: `${paymentId} was paid (transfer ${status.transferId}) but not recorded: ${result.error.code}`,
          nonRetryable: true,
          details: [result.error],
        });
      }
      return { ...this.settle(result), paymentId, transferId: status.transferId };
    });
  }

  /** The deadline's step: recorded only if nobody acted since the timer was set (`seen`). */
  escalate(level: EscalationLevel, kind: string, seen: number): Promise<void> {
    // After catching up, a step someone took is in (`progress` moved): the escalation is not recorded.
    return this.lock(() =>
      this.caughtUp(async () => {
        // A person acted while the timer fired: the stage is no longer overdue.
        if (this.progress !== seen || this.atRest) return;
        const c: ProjectCommand = { type: 'EscalateProject', data: { projectId: this.projectId, level, deadlineKind: kind }, meta: { actor: DEADLINE_ACTOR, now: now() } };
        const d = this.decide(c, this.state);
        if (!d.ok) {
          log.warn('escalation refused', { projectId: this.projectId, level, code: d.error.code });
          return;
        }
        this.step += 1;
        const appended = await this.append(d.events, `${this.step}:escalate`, DEADLINE_ACTOR, `${this.workflowId}/deadline/${kind}`, c.meta.now);
        this.moveOn(appended.stored ?? d.events, appended.streamVersion, appended.positions, false);
        log.info('project escalated', { projectId: this.projectId, level, deadlineKind: kind, stage: this.state.status });
      }),
    );
  }

  /** A request seen before (in this run or, carried over, in an earlier one) is answered as it was. */
  private repeated(): boolean {
    const id = currentUpdateInfo()?.id;
    return id !== undefined && this.answered.has(id);
  }

  once<A, R>(handler: (a: A) => Promise<R>): (a: A) => Promise<R> {
    return async (a: A): Promise<R> => {
      const id = currentUpdateInfo()?.id;
      if (id !== undefined && this.answered.has(id)) return this.answered.get(id) as R;
      const out = await handler(a);
      if (id !== undefined) {
        this.answered.set(id, out);
        const [base, digest] = requestOf(id, a);
        this.fingerprints.set(base, digest);
        if (this.fingerprints.size > ANSWERS_KEPT) this.fingerprints.delete(this.fingerprints.keys().next().value!);
        // Bounded, so the carried state stays small: a retry comes soon after its request.
        if (this.answered.size > ANSWERS_KEPT) this.answered.delete(this.answered.keys().next().value!);
      }
      return out;
    };
  }

  /** An answered request id, now sent with another request: refused, never answered with the first one's outcome. */
  sameRequestAsFirst(req: unknown): void {
    const id = currentUpdateInfo()?.id;
    if (id === undefined) return;
    const [base, digest] = requestOf(id, req);
    const first = this.fingerprints.get(base);
    if (first !== undefined && first !== digest) {
      throw refusal({
        code: 'REQUEST_ID_REUSED',
        zh: `请求编号 ${base} 已用于另一个不同的请求，不得重复使用`,
        en: `the request id ${base} was used for a different request; a request id may only repeat the same request`,
      });
    }
  }

  /** The system's own ids (`system.*`) act only from inside the workflow, never in an Update (they carry no assertion). */
  fromPerson(req: { readonly actor: Actor }): void {
    refuseSystemActor(req.actor);
  }

  /** Validators are synchronous on purpose: an async validator's promise is never awaited, so it could not refuse. */
  validate(c: ProjectCommand): void {
    // Before the proposal is recorded there is nothing to decide on yet: the handler waits and decides.
    if (this.state.status === 'none' || !this.ready || this.repeated()) return;
    const d = this.decide(c, this.state);
    if (!d.ok) throw refusal(d.error);
  }
}
