import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { appendToStream, EventStoreError, ExpectedVersionConflictError, streamId, type ExpectedVersion } from '../infra/eventstore';
import type { Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import type { DomainEvent } from '../domain/shared/events';
import { eventIdFor } from './event-id';

export interface AppendProjectEventsInput {
  readonly projectId: string;
  readonly countyId: CountyId;
  readonly expectedVersion: ExpectedVersion;
  /** The workflow's step name; with the workflow id it fixes the event ids, so a retry appends nothing new. */
  readonly step: string;
  readonly events: readonly DomainEvent[];
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string;
  readonly businessDate: string;
}

export interface AppendProjectEventsResult {
  readonly streamVersion: number;
  readonly positions: number[];
  readonly duplicate: boolean;
}

export interface ProjectActivityDeps {
  readonly db: Kysely<Database>;
}

/**
 * Bad input will be just as bad on the next attempt: fail at once with the store's code. A version
 * conflict on a project stream means a second writer, which the workflow must hear about, not retry.
 */
const asFailure = (e: unknown): unknown => {
  if (e instanceof ExpectedVersionConflictError) {
    return ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true, details: [e.details] });
  }
  if (e instanceof EventStoreError) {
    return ApplicationFailure.create({ type: 'EventStoreInvalid', message: `${e.code}: ${e.message}`, nonRetryable: true, details: [{ code: e.code, field: e.field }] });
  }
  return e;
};

export const createProjectActivities = ({ db }: ProjectActivityDeps) => ({
  async appendProjectEvents(input: AppendProjectEventsInput): Promise<AppendProjectEventsResult> {
    const { info, log } = Context.current();
    const wf = info.workflowExecution;
    if (!wf) throw ApplicationFailure.create({ type: 'NotInWorkflow', message: 'appendProjectEvents runs only as a workflow activity', nonRetryable: true });
    const stream = streamId('project', input.projectId);
    const events = input.events.map((e, i) => ({
      eventId: eventIdFor(wf.workflowId, input.step, i),
      type: e.type,
      data: e.data,
      metadata: {
        actor: input.actor,
        countyId: input.countyId,
        correlationId: input.correlationId,
        causationId: input.causationId,
        temporal: { workflowId: wf.workflowId, runId: wf.runId, activityId: info.activityId },
        businessDate: input.businessDate,
      },
    }));
    try {
      const r = await appendToStream(db, stream, input.expectedVersion, events);
      log.info('project events appended', {
        streamId: stream,
        correlationId: input.correlationId,
        step: input.step,
        duplicate: r.duplicate,
        positions: r.events.map((e) => e.position),
      });
      return { streamVersion: r.streamVersions[stream] ?? 0, positions: r.events.map((e) => e.position), duplicate: r.duplicate };
    } catch (e) {
      throw asFailure(e);
    }
  },
});
