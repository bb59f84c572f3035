import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { domainError, isDomainError, type DomainError } from '../domain/shared/errors';
import {
  projectFundUpdate,
  projectPayUpdate,
  projectStepUpdate,
  projectWorkflowId,
  type ProjectFundOutcome,
  type ProjectFundRequest,
  type ProjectPayOutcome,
  type ProjectPayRequest,
  type ProjectStepOutcome,
  type ProjectStepRequest,
} from '../workflows/project-lifecycle.messages';

/** The workflow refused an Update: the domain's (or the rail's) refusal, for the CLI and the API to present. */
export class UpdateRefused extends Error {
  constructor(readonly refusal: DomainError) {
    super(refusal.en);
    this.name = 'UpdateRefused';
  }
}

const refusalOf = (e: unknown): unknown => {
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
    const detail = e.cause.details?.[0];
    if (isDomainError(detail)) return new UpdateRefused(detail);
    return new UpdateRefused(domainError(e.cause.type ?? 'STEP_FAILED', e.cause.message, e.cause.message));
  }
  return e;
};

/** The request id becomes the Update id: the workflow answers a repeated one instead of applying it twice. */
const withId = (requestId: string | undefined) => (requestId ? { updateId: requestId } : {});

export const sendStep = (client: Client, projectId: string, request: ProjectStepRequest, requestId?: string): Promise<ProjectStepOutcome> =>
  client.workflow
    .getHandle(projectWorkflowId(projectId))
    .executeUpdate(projectStepUpdate, { args: [request], ...withId(requestId) })
    .catch((e: unknown) => Promise.reject(refusalOf(e)));

export const sendFundingUpdate = (client: Client, projectId: string, request: ProjectFundRequest, requestId?: string): Promise<ProjectFundOutcome> =>
  client.workflow
    .getHandle(projectWorkflowId(projectId))
    .executeUpdate(projectFundUpdate, { args: [request], ...withId(requestId) })
    .catch((e: unknown) => Promise.reject(refusalOf(e)));

export const sendPaymentUpdate = (client: Client, projectId: string, request: ProjectPayRequest, requestId?: string): Promise<ProjectPayOutcome> =>
  client.workflow
    .getHandle(projectWorkflowId(projectId))
    .executeUpdate(projectPayUpdate, { args: [request], ...withId(requestId) })
    .catch((e: unknown) => Promise.reject(refusalOf(e)));
