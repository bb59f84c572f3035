import type { DomainError } from '../domain/shared/errors';

/**
 * A refusal the API answers with a 4xx: a stable code for clients, and messages for people in
 * Chinese and English (the domain's own when it is a domain refusal).
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 409 | 422 | 503,
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(en);
    this.name = 'ApiError';
  }
}

/**
 * Access rules answer 403 whoever applies them (the API's pre-check or a decider); a refusal
 * because of the resource's state is a conflict (409); one about the request itself, decided
 * before anything is sent, is unprocessable (422).
 */
export const fromDomainError = (e: DomainError, phase: 'precheck' | 'workflow'): ApiError =>
  new ApiError(e.code.startsWith('ACCESS_') ? 403 : phase === 'precheck' ? 422 : 409, e.code, e.zh, e.en, e.details);

/** A process no worker can answer for now (services/workflow-unavailable.ts): the service's state, not the request's fault. */
export const processUnavailable = (workflowId: string): ApiError =>
  new ApiError(503, 'PROCESS_UNAVAILABLE', '该流程暂时无法响应，请稍后重试', `the process ${workflowId} cannot answer now (no worker serves it); try again later`, { workflowId });

export const notFound = (what: string, id: string): ApiError => new ApiError(404, 'NOT_FOUND', `未找到${what}：${id}`, `no ${what} ${id}`);
