import { Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import type { ActorAssertions } from '../infra/tokens/actor-assertion';
import { appendToStream, eventMetadata, streamId, type ExpectedVersion } from '../infra/eventstore';
import type { Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import type { DomainEvent } from '../domain/shared/events';
import { asFailure, stepEventId, workflowOrigin } from './temporal-context';

export interface AppendProjectEventsInput {
  readonly projectId: string;
  readonly countyId: CountyId;
  readonly expectedVersion: ExpectedVersion;
  /** The workflow's step name; with the workflow id it fixes the event ids, so a retry appends nothing new. */
  readonly step: string;
  readonly events: readonly DomainEvent[];
  readonly actor: Actor;
  /** The caller's signed token for `actor` (infra/tokens/actor-assertion.ts); none for the system's own acts. */
  readonly assertion?: string;
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
  /** Checks who acts before anything is recorded. */
  readonly actors: ActorAssertions;
}

export const createProjectActivities = ({ db, actors }: ProjectActivityDeps) => ({
  async appendProjectEvents(input: AppendProjectEventsInput): Promise<AppendProjectEventsResult> {
    const { log } = Context.current();
    const origin = workflowOrigin();
    const stream = streamId('project', input.projectId);
    const metadata = eventMetadata({ actor: input.actor, countyId: input.countyId, correlationId: input.correlationId, causationId: input.causationId, temporal: origin, at: input.businessDate });
    const eventId = stepEventId(origin, input.step);
    const events = input.events.map((e, i) => ({ eventId: eventId(i), type: e.type, data: e.data, metadata }));
    try {
      await actors.check(input.actor, input.assertion);
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

export type ProjectActivities = ReturnType<typeof createProjectActivities>;
