import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { domainError } from '../domain/shared/errors';
import type { Actor } from '../domain/shared/actor';
import { UpdateRefused } from './errors';
import type { ProposeProject } from '../domain/project';
import type { projectLifecycle } from '../workflows/project-lifecycle';
import { projectWorkflowId, type ProjectLifecycleInput } from '../workflows/project-lifecycle.messages';

export interface ProposeOutcome {
  readonly projectId: string;
  readonly workflowId: string;
  readonly runId: string;
}

/**
 * Starts a project's lifecycle with its proposal (the CLI and the API check the proposal with the
 * domain first). A project has one process: starting it again throws WorkflowExecutionAlreadyStartedError.
 */
export const startProposal = async (
  client: Client,
  command: ProposeProject,
  taskQueue: string,
  options: Pick<ProjectLifecycleInput, 'deadlines' | 'policies'> = {},
): Promise<ProposeOutcome> => {
  const workflowId = projectWorkflowId(command.data.projectId);
  const input: ProjectLifecycleInput = {
    proposal: { data: command.data, actor: command.meta.actor as Actor },
    correlationId: workflowId,
    ...options,
  };
  const handle = await client.workflow.start<typeof projectLifecycle>('projectLifecycle', {
    workflowId,
    taskQueue,
    args: [input],
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
export const proposeOnce = async (client: Client, command: ProposeProject, taskQueue: string, requestId: string | undefined): Promise<ProposeOutcome & { readonly repeated: boolean }> => {
  const { projectId } = command.data;
  try {
    return { ...(await startProposal(client, command, taskQueue)), repeated: false };
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    if (!requestId) throw new UpdateRefused(domainError('PROJECT_EXISTS', `项目 ${projectId} 已存在`, `project ${projectId} already exists`));
    const d = await client.workflow.getHandle(projectWorkflowId(projectId)).describe();
    return { projectId, workflowId: d.workflowId, runId: d.runId, repeated: true };
  }
};
