import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { domainError, isDomainError, type DomainError } from '../domain/shared/errors';

/**
 * What the services throw for the CLI and the API to present; the API maps each to its HTTP answer
 * once, in its error handler (`api/errors.ts#toApiError`), and the CLI to its exit codes.
 */

/** The rules refused: a decider's refusal (or the rail's), as the workflow or the service gave it. */
export class UpdateRefused extends Error {
  /**
   * The failure's own code: the refusal's, or the process's when it wraps a rule (a payment the
   * rail confirmed and the books refused is PAYMENT_CONFIRMED_NOT_RECORDED over the books' rule).
   */
  readonly failureCode: string;
  constructor(
    readonly refusal: DomainError,
    failureCode?: string,
  ) {
    super(refusal.en);
    this.failureCode = failureCode ?? refusal.code;
    this.name = 'UpdateRefused';
  }
}

/** No process by that id (never started, or ended and gone). `code` says what was looked for. */
export class ProcessNotFound extends Error {
  constructor(
    readonly workflowId: string,
    readonly code: 'PROCESS_NOT_FOUND' | 'PROJECT_NOT_FOUND' = 'PROCESS_NOT_FOUND',
  ) {
    super(`no process ${workflowId}`);
    this.name = 'ProcessNotFound';
  }
}

/**
 * What was not found, in each language, as the API and the CLI tell it: a project by its id (its
 * workflow is `project-<id>`, and a person looked for the project, not for a process), any other
 * process (a round, an exit) by its workflow id.
 */
export const processNotFoundText = (e: ProcessNotFound): { readonly en: string; readonly zh: string } => {
  if (e.code === 'PROCESS_NOT_FOUND') return { en: `no process ${e.workflowId}`, zh: `该办理流程不存在：${e.workflowId}` };
  const projectId = e.workflowId.replace(/^project-/, '');
  return { en: `no project ${projectId} (it does not exist or has ended)`, zh: `项目 ${projectId} 不存在或已结束` };
};

/**
 * A process Temporal knows and cannot answer for now: no worker serves its task queue (workers
 * down, or a workflow another deployment's workers ran). Not the caller's fault and not a bug: the
 * API answers 503 with a code, where it used to answer an unexplained 500.
 */
export class ProcessUnavailable extends Error {
  constructor(
    readonly workflowId: string,
    readonly reason: string,
  ) {
    super(`process ${workflowId} cannot answer now: ${reason}`);
    this.name = 'ProcessUnavailable';
  }
}

/**
 * An Update's failure as the services present it: the workflow's refusal (the domain error it
 * carries, or its failure type) as UpdateRefused, a missing workflow as ProcessNotFound; anything
 * else as it came.
 */
export const updateFailureOf = (workflowId: string, e: unknown, notFound: ProcessNotFound['code'] = 'PROCESS_NOT_FOUND'): unknown => {
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
    const detail = e.cause.details?.[0];
    if (isDomainError(detail)) return new UpdateRefused(detail, e.cause.type ?? detail.code);
    return new UpdateRefused(domainError(e.cause.type ?? 'STEP_FAILED', e.cause.message, e.cause.message));
  }
  if (e instanceof WorkflowNotFoundError) return new ProcessNotFound(workflowId, notFound);
  return e;
};
