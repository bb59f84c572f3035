import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowStartOptions } from '@temporalio/client';
import type { QueryDefinition, UpdateDefinition, Workflow } from '@temporalio/common';
import { domainError } from '../domain/shared/errors';
import { UpdateRefused, updateFailureOf } from './errors';
import { queryLive } from './workflow-unavailable';
import { updateIdOf } from './project-updates';

/**
 * Starting, stepping and reading the exit processes (exit round, village exit, county exit, return
 * review), the same for the CLI and the API. Their workflow ids name the village, county or
 * household and the year, so a second start for the same one finds the first.
 */
export interface Started {
  readonly workflowId: string;
  readonly runId: string;
  /** The same request had started it already: nothing new was started. */
  readonly repeated: boolean;
}

const describeOrNull = (client: Client, workflowId: string) =>
  client.workflow
    .getHandle(workflowId)
    .describe()
    .catch((e: unknown) => (e instanceof WorkflowNotFoundError ? null : Promise.reject(e)));

/**
 * Starts the workflow once. The request id rides in the workflow's memo: the same request again
 * (even after the process ended) answers with the run it started; another request while it runs
 * is refused (EXIT_PROCESS_RUNNING). The workflow is passed as its function, so its arguments are typed.
 */
export const startOnce = async <W extends Workflow>(client: Client, workflow: W, options: WorkflowStartOptions<W>, requestId?: string): Promise<Started> => {
  const { workflowId } = options;
  const sameRequest = async (): Promise<Started | null> => {
    if (!requestId) return null;
    const d = await describeOrNull(client, workflowId);
    return d && d.memo?.requestId === requestId ? { workflowId, runId: d.runId, repeated: true } : null;
  };
  const earlier = await sameRequest();
  if (earlier) return earlier;
  try {
    const h = await client.workflow.start(workflow, requestId ? { ...options, memo: { requestId } } : options);
    return { workflowId, runId: h.firstExecutionRunId, repeated: false };
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    const running = await describeOrNull(client, workflowId);
    if (running && requestId && running.memo?.requestId === requestId) return { workflowId, runId: running.runId, repeated: true };
    throw new UpdateRefused(
      domainError('EXIT_PROCESS_RUNNING', `${workflowId} 正在办理中`, `${workflowId} is already running`, { workflowId, ...(running ? { runId: running.runId } : {}) }),
    );
  }
};

/** A person's step as an Update; the request id, scoped by the user (updateIdOf), is the Update id, so a repeat is answered, not applied twice. */
export const sendUpdate = <Ret, Req>(client: Client, workflowId: string, update: UpdateDefinition<Ret, [Req]>, request: Req, requestId?: string): Promise<Ret> =>
  client.workflow
    .getHandle(workflowId)
    .executeUpdate(update, {
      args: [request],
      ...(requestId ? { updateId: updateIdOf((request as { actor?: { userId?: string } }).actor?.userId ?? 'anonymous', 'exit', requestId, request) } : {}),
    })
    .catch((e: unknown) => Promise.reject(updateFailureOf(workflowId, e)));

/** The process's live status, or null when there is none by that id; ProcessUnavailable when no worker can answer. */
export const queryStatus = <S>(client: Client, workflowId: string, query: QueryDefinition<S>): Promise<S | null> => queryLive(client, workflowId, query);

/** Ids name their county second: vil-<county>-…, hh-<county>-…. */
export const countyOf = (id: string): string => id.split('-')[1] ?? '';

/** Days as the policy counts them, in whole seconds of the workflow's clock (tests shorten the day; events record whole seconds). */
export const noticeSeconds = (days: number, daySeconds = 86_400): number => Math.ceil(days * daySeconds);
