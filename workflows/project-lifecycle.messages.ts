import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../domain/shared/actor';
import type { DomainError } from '../domain/shared/errors';
import type { EscalateProject, NextActor, ProjectCommand, ProposeProject, ProjectState, RecordFunding, RecordPayment } from '../domain/project';

export type ProjectStage = ProjectState['status'];

/**
 * What the project workflow and its callers (CLI, API, tests) share: the workflow id, the task
 * queue's default, the input, the human steps as one Update and the status Query.
 */
export const projectWorkflowId = (projectId: string): string => `project-${projectId}`;

export interface ProjectLifecycleInput {
  /** The proposal as the proposer gave it; the workflow stamps its own time on it. */
  readonly proposal: { readonly data: ProposeProject['data']; readonly actor: Actor };
  /** Ties every event of this project's process together in the store and the logs. */
  readonly correlationId: string;
}

/**
 * Steps a person takes on the project stream alone. Funding and payments also move a fund's money
 * and are taken through their own activities; escalation is the workflow's own act.
 */
export type HumanCommand = Exclude<ProjectCommand, ProposeProject | EscalateProject | RecordFunding | RecordPayment>;

type ToRequest<C> = C extends { type: infer T; data: infer D } ? { type: T; data: Omit<D, 'projectId'>; actor: Actor } : never;
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
  /** The store position of the last event this workflow appended. */
  readonly lastPosition?: number;
}

/** A refusal reaches the caller as an ApplicationFailure whose type is the domain error's code and whose first detail is the error. */
export type ProjectStepRefusal = DomainError;

export const projectStepUpdate = defineUpdate<ProjectStepOutcome, [ProjectStepRequest]>('projectStep');
export const projectStatusQuery = defineQuery<ProjectStatusView>('projectStatus');
