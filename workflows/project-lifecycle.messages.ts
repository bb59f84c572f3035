import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../domain/shared/actor';
import type { Fen } from '../domain/shared/money';
import type { MilestoneKind } from '../domain/fund/ids';
import type { NoticePolicy } from '../domain/policy/funding';
import type { PaymentTemplatePolicy } from '../domain/policy/payments';
import type { DeadlineKind, EscalateProject, NextActor, ProjectCommand, ProposeProject, ProjectState, RecordFunding, RecordPayment } from '../domain/project';

export type ProjectStage = ProjectState['status'];

/**
 * What the project workflow and its callers (CLI, API, tests) share: the workflow id, the task
 * queue's default, the input, the human steps as one Update and the status Query.
 */
export const projectWorkflowId = (projectId: string): string => `project-${projectId}`;

export interface ProjectLifecycleInput {
  /** The proposal as the proposer gave it; the workflow stamps its own time on it. */
  readonly proposal: { readonly data: ProposeProject['data']; readonly actor: Actor; readonly assertion?: string };
  /** Ties every event of this project's process together in the store and the logs. */
  readonly correlationId: string;
  /**
   * How long each waiting stage may wait (ms) before the workflow escalates it, one level at a time
   * (township → county → city). A kind left out has no deadline. Configuration, so tests use seconds.
   */
  readonly deadlines?: Partial<Record<DeadlineKind, number>>;
  /**
   * Other versions of the rule tables (a short notice, a short warranty in tests). Every event
   * records the version it was decided by, so a test policy is never mistaken for the plan's.
   */
  readonly policies?: { readonly notice?: NoticePolicy; readonly payments?: PaymentTemplatePolicy };
  /** Continue-as-new after this many history events even if the server does not suggest it (tests). */
  readonly continueAsNewAfterEvents?: number;
  /** Set only by continue-as-new: where the previous run stopped. */
  readonly resume?: ProjectResume;
}

/** What a run hands the next one: the project's state is folded from the store's events, never re-read. */
export interface ProjectResume {
  readonly state: ProjectState;
  readonly version: number;
  readonly step: number;
  readonly lastPosition?: number;
  readonly runs: number;
  /**
   * The last answers by request (Update) id. The server deduplicates an Update id within one run
   * only; this lets a request repeated after continue-as-new be answered, not applied again.
   */
  readonly answered?: Readonly<Record<string, unknown>>;
}

/**
 * Steps a person takes on the project stream alone. Funding and payments also move a fund's money
 * and are taken through their own activities; escalation is the workflow's own act.
 */
export type HumanCommand = Exclude<ProjectCommand, ProposeProject | EscalateProject | RecordFunding | RecordPayment>;

/**
 * Who acts, and the proof: the caller's signed token for `actor` (infra/tokens/actor-assertion.ts),
 * checked by the activity that records the decision. Not part of the request's identity (a repeat
 * with a fresh token is the same request).
 */
export interface Asserted {
  readonly actor: Actor;
  readonly assertion?: string;
}

type ToRequest<C> = C extends { type: infer T; data: infer D } ? { type: T; data: Omit<D, 'projectId'> } & Asserted : never;
/** A step as a caller sends it: the command without its project id (the workflow knows it) or time (the workflow gives it). */
export type ProjectStepRequest = ToRequest<HumanCommand>;

export interface ProjectStepOutcome {
  readonly stage: ProjectStage;
  readonly streamVersion: number;
  /** Store positions of the events the step appended, in order. */
  readonly positions: readonly number[];
}

export interface ProjectStatusView {
  readonly projectId: string;
  readonly stage: ProjectStage;
  readonly streamVersion: number;
  readonly nextActor?: NextActor;
  /** When the current wait escalates next, if it has a deadline. */
  readonly deadlineAt?: string;
  /** Set while the current stage is overdue: the last level it was escalated to. */
  readonly overdue?: { readonly level: 'township' | 'county' | 'city'; readonly deadlineKind: string };
  /** The store position of the last event this workflow appended. */
  readonly lastPosition?: number;
  readonly budget?: Fen;
  readonly funded?: Fen;
  readonly paid?: Fen;
  /** How many runs (continue-as-new) this project's process has had. */
  readonly runs: number;
}

/** Integrated funding: one fund's share, requested by county finance (or the county office). */
export interface ProjectFundRequest extends Asserted {
  readonly fundId: string;
  readonly amount: Fen;
}

export interface ProjectFundOutcome extends ProjectStepOutcome {
  /** Derived from the project and the step, never random: the fund and the project both carry it. */
  readonly allocationId: string;
}

/** The finance bureau's request to pay a milestone to a payee from one allocation. */
export interface ProjectPayRequest extends Asserted {
  readonly fundId: string;
  readonly allocationId: string;
  readonly milestone: MilestoneKind;
  readonly milestoneId?: string;
  /** The account paid: what the rail is told. */
  readonly payee: string;
  /** The household the payment is for (到户), when it is one's: recorded on the fund and the project, not sent to the rail. */
  readonly householdId?: string;
  readonly amount: Fen;
  readonly use: string;
}

export interface ProjectPayOutcome extends ProjectStepOutcome {
  /** The payment id, which is also the rail's idempotency key. */
  readonly paymentId: string;
  readonly transferId: string;
}

export const projectStepUpdate = defineUpdate<ProjectStepOutcome, [ProjectStepRequest]>('projectStep');
export const projectFundUpdate = defineUpdate<ProjectFundOutcome, [ProjectFundRequest]>('projectFund');
export const projectPayUpdate = defineUpdate<ProjectPayOutcome, [ProjectPayRequest]>('projectPay');
export const projectStatusQuery = defineQuery<ProjectStatusView>('projectStatus');
