import { ApplicationFailure, Context } from '@temporalio/activity';
import { EventStoreError, ExpectedVersionConflictError, eventIdFor } from '../infra/eventstore';
import { ActorAssertionError } from '../infra/tokens/actor-assertion';

/** The workflow run an activity works for, and the activity: stamped on every event it writes. */
export interface Origin {
  readonly workflowId: string;
  readonly runId: string;
  readonly activityId: string;
}

/**
 * Which workflow this activity runs for. Event ids derive from it, so an activity run outside a
 * workflow (where there is none) fails at once rather than write events nobody can retry.
 */
export const workflowOrigin = (): Origin => {
  const { info } = Context.current();
  const wf = info.workflowExecution;
  if (!wf) throw ApplicationFailure.create({ type: 'NotInWorkflow', message: `${info.activityType} runs only as a workflow activity`, nonRetryable: true });
  return { workflowId: wf.workflowId, runId: wf.runId, activityId: info.activityId };
};

/** The id of the `index`-th event a workflow's step records (see `eventIdFor`). */
export const stepEventId =
  (origin: Origin, step: string) =>
  (index: number): string =>
    eventIdFor(origin.workflowId, step, index);

/**
 * Bad input will be just as bad on the next attempt: fail at once with the store's code. A version
 * conflict that reaches an activity (a stream its workflow holds, or one still contended after the
 * command handler's retries) is for the workflow to hear about, not for Temporal to retry blindly.
 */
export const asFailure = (e: unknown): unknown => {
  // Who acts was not proved: final, with the refusal as the first detail (the workflow refuses with it).
  if (e instanceof ActorAssertionError) return ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true, details: [e.refusal] });
  if (e instanceof ExpectedVersionConflictError) return ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true, details: [e.details] });
  if (e instanceof EventStoreError) {
    return ApplicationFailure.create({ type: 'EventStoreInvalid', message: `${e.code}: ${e.message}`, nonRetryable: true, details: [{ code: e.code, field: e.field }] });
  }
  return e;
};
