import { ServiceError, WorkflowNotFoundError, type Client, type QueryDefinition } from '@temporalio/client';
import { ProcessUnavailable } from './errors';

/**
 * What a query no worker takes ends with (gRPC codes): FAILED_PRECONDITION when no worker has polled
 * the workflow's task queue lately, DEADLINE_EXCEEDED when none took it in time, and CANCELLED when
 * our own deadline (QUERY_DEADLINE_MS) cut the call first — which of the two comes back is a race.
 */
const NO_WORKER = new Set([9, 4, 1]);

/** Rethrows a query's "no worker" refusal as ProcessUnavailable; anything else as it came. */
export const unavailableOr = (workflowId: string, e: unknown): unknown =>
  e instanceof ServiceError && NO_WORKER.has((e.cause as { code?: number } | undefined)?.code ?? -1) ? new ProcessUnavailable(workflowId, (e.cause as Error).message) : e;

/**
 * How long a status query may wait for a worker. Temporal's own limit is 30 s; a person at a
 * screen (or a script polling) is better told within seconds that the process cannot answer now.
 */
export const QUERY_DEADLINE_MS = 5_000;

/** A workflow's live answer to a query: null when there is no such workflow; ProcessUnavailable when no worker answers in time. */
export const queryLive = <S>(client: Client, workflowId: string, query: QueryDefinition<S>): Promise<S | null> =>
  client.connection
    .withDeadline(Date.now() + QUERY_DEADLINE_MS, () => client.workflow.getHandle(workflowId).query(query))
    .catch((e: unknown) => (e instanceof WorkflowNotFoundError ? null : Promise.reject(unavailableOr(workflowId, e))));
