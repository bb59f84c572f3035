import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { domainError } from '../domain/shared/errors';
import type { Actor } from '../domain/shared/actor';
import { UpdateRefused } from './errors';
import { canonicalJson } from '../infra/eventstore/canonical';
import type { ProposeProject } from '../domain/project';
import { projectLifecycle } from '../workflows/project-lifecycle';
import { projectWorkflowId, type ProjectLifecycleInput } from '../workflows/project-lifecycle.messages';

export interface ProposeOutcome {
  readonly projectId: string;
  readonly workflowId: string;
  readonly runId: string;
}

/** The proposer and the proposal, as a digest: what makes a second start under one project id the same request. */
export const proposalFingerprint = (command: ProposeProject): string =>
  createHash('sha256')
    .update(canonicalJson({ proposer: command.meta.actor.userId, data: command.data }))
    .digest('hex');

/**
 * Starts a project's lifecycle with its proposal (the CLI and the API check the proposal with the
 * domain first). A project has one process: starting it again throws WorkflowExecutionAlreadyStartedError.
 */
export const startProposal = async (
  client: Client,
  command: ProposeProject,
  taskQueue: string,
  options: Pick<ProjectLifecycleInput, 'deadlines' | 'policies'> = {},
  /** The proposer's signed token (infra/tokens/actor-assertion.ts): the activity that records the proposal checks it. */
  assertion?: string,
): Promise<ProposeOutcome> => {
  const workflowId = projectWorkflowId(command.data.projectId);
  const input: ProjectLifecycleInput = {
    proposal: { data: command.data, actor: command.meta.actor as Actor, ...(assertion !== undefined ? { assertion } : {}) },
    correlationId: workflowId,
    ...options,
  };
  const handle = await client.workflow.start<typeof projectLifecycle>(projectLifecycle, {
    workflowId,
    taskQueue,
    args: [input],
    // Who proposed what, as a digest (no names in memos): a repeat of this proposal is told from another one under the same id.
    memo: { proposal: proposalFingerprint(command) },
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  return { projectId: command.data.projectId, workflowId, runId: handle.firstExecutionRunId };
};

/**
 * The proposal as a request that may be repeated: when the project's process is already running,
 * a request with an id (the project id derives from it) is answered with that process
 * (`repeated: true`); one without is refused (PROJECT_EXISTS).
 */
export const proposeOnce = async (
  client: Client,
  command: ProposeProject,
  taskQueue: string,
  requestId: string | undefined,
  options: Pick<ProjectLifecycleInput, 'deadlines'> = {},
  /** The proposer's signed token (infra/tokens/actor-assertion.ts). */
  assertion?: string,
): Promise<ProposeOutcome & { readonly repeated: boolean }> => {
  const { projectId } = command.data;
  try {
    return { ...(await startProposal(client, command, taskQueue, options, assertion)), repeated: false };
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    const exists = new UpdateRefused(domainError('PROJECT_EXISTS', `项目 ${projectId} 已存在`, `project ${projectId} already exists`, { projectId }));
    if (!requestId) throw exists;
    // Only the same proposer's same proposal is a repeat: another one under an existing id (someone
    // else's project, or other terms) is refused, never answered with the project that is there.
    const d = await client.workflow.getHandle(projectWorkflowId(projectId)).describe();
    if (d.memo?.proposal !== proposalFingerprint(command)) throw exists;
    return { projectId, workflowId: d.workflowId, runId: d.runId, repeated: true };
  }
};
