import { Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import type { ActorAssertions } from '../infra/tokens/actor-assertion';
import { appendToStream, CODES, EventStoreError, eventMetadata, readStream, streamId, type ExpectedVersion } from '../infra/eventstore';
import type { Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import type { DomainEvent } from '../domain/shared/events';
import type { ProjectEvent } from '../domain/project';
import { projectPoliciesInForce, type ProjectPolicies } from '../domain/project/policies';
import { ApplicationFailure } from '@temporalio/activity';
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
  /**
   * The events the store holds for this step when an earlier run of it was stored by a workflow task
   * that was then lost (same ids, same Update, decided at another moment): the process takes these,
   * the record, not the ones it decided again. Absent when what it decided was stored.
   */
  readonly stored?: ProjectEvent[];
}

export interface ProjectActivityDeps {
  readonly db: Kysely<Database>;
  /** Checks who acts before anything is recorded. */
  readonly actors: ActorAssertions;
  /** Whether this worker's namespace is configured for tests or simulation: only there may a process run under tables of its starter's choosing. */
  readonly simulation: boolean;
}

export interface ProjectPoliciesInput {
  readonly projectId: string;
  readonly countyId: CountyId;
  /** The process's start day (its own clock): the tables in force on it. */
  readonly day: string;
  /** Tables the starter asked for (tests, the demo's scaled tables). */
  readonly requested?: Partial<ProjectPolicies>;
}

export interface ProjectEventsAfterInput {
  readonly projectId: string;
  /** The stream version the process holds: the events after it are returned. */
  readonly after: number;
}

/** The events of a project's stream the process does not hold yet, with where they are. */
export interface ProjectEventsAfter {
  readonly events: ProjectEvent[];
  readonly streamVersion: number;
  readonly positions: number[];
}

export const createProjectActivities = ({ db, actors, simulation }: ProjectActivityDeps) => ({
  /**
   * The project's events after the version its process holds (a local activity, reads only). A
   * process that appends in a local activity can find the store ahead of it: a step whose append
   * committed in a workflow task that never completed (the worker died, the Update was given up)
   * is in the store and not in the process. The process takes these events in before it decides
   * again, so the store stays the record and the process never decides on a state it has left.
   */
  async projectEventsAfter(input: ProjectEventsAfterInput): Promise<ProjectEventsAfter> {
    const stored = await readStream(db, streamId('project', input.projectId), { fromVersion: input.after + 1 });
    return {
      events: stored.map((e) => ({ type: e.type, data: e.data }) as ProjectEvent),
      streamVersion: stored.at(-1)?.streamVersion ?? input.after,
      positions: stored.map((e) => e.position),
    };
  },

  /**
   * The tables a project process decides by: those in force for its county and day, from the
   * domain's tables. Tables its starter asked for are taken only in a namespace configured for tests
   * or simulation; anywhere else they are ignored (and the ignoring logged), so whoever can start a
   * workflow cannot run a project under a 5-second notice or a 0-month warranty.
   */
  async projectPolicies(input: ProjectPoliciesInput): Promise<Partial<ProjectPolicies>> {
    if (input.requested && simulation) return input.requested;
    if (input.requested) {
      Context.current().log.warn('tables asked for by the starter ignored: this namespace is not configured for simulation; the tables in force decide', {
        projectId: input.projectId,
        asked: Object.values(input.requested).flatMap((p) => (p && typeof p === 'object' && 'id' in p ? [`${String(p.id)}@${String((p as { version?: unknown }).version)}`] : [])),
      });
    }
    const inForce = projectPoliciesInForce(input.countyId, input.day);
    return { notice: inForce.notice, payments: inForce.payments, negativeList: inForce.negativeList };
  },

  async appendProjectEvents(input: AppendProjectEventsInput): Promise<AppendProjectEventsResult> {
    const { log } = Context.current();
    const origin = workflowOrigin();
    const stream = streamId('project', input.projectId);
    const metadata = eventMetadata({
      actor: input.actor,
      countyId: input.countyId,
      correlationId: input.correlationId,
      causationId: input.causationId,
      temporal: origin,
      at: input.businessDate,
    });
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
      if (e instanceof EventStoreError && e.code === CODES.EVENT_ID_REUSED) {
        const first = await storedStep(
          db,
          stream,
          input,
          events.map((x) => x.eventId),
        );
        log.warn('the store holds this step from a workflow task that was lost', { streamId: stream, step: input.step, causationId: input.causationId, taken: first.kind });
        if (first.kind === 'same-update') return first.result;
        if (first.kind === 'store-ahead')
          throw ApplicationFailure.create({
            type: CODES.EXPECTED_VERSION_CONFLICT,
            message: `stream ${stream}: the store holds another step at version ${String(input.expectedVersion)} (its workflow task was lost)`,
            nonRetryable: true,
          });
      }
      throw asFailure(e);
    }
  },
});

/**
 * A local append runs before its workflow task is recorded. If that task is lost after the store
 * took the step, the process takes the step again, with the same event ids (workflow and step) but
 * decided at another moment, and the store refuses the ids as reused. Rule 3 wants the first result:
 * - the same Update asked again (its id is the events' causation): the stored events are the step's
 *   result, and the process takes them;
 * - another Update took the step's number: the store is ahead of the process, which takes in what
 *   it holds and decides again (a version conflict, as the workflow hears it).
 */
const storedStep = async (
  db: Kysely<Database>,
  stream: string,
  input: AppendProjectEventsInput,
  ids: readonly string[],
): Promise<{ kind: 'same-update'; result: AppendProjectEventsResult } | { kind: 'store-ahead' } | { kind: 'other' }> => {
  const from = input.expectedVersion === 'no-stream' ? 1 : typeof input.expectedVersion === 'number' ? input.expectedVersion + 1 : undefined;
  if (from === undefined) return { kind: 'other' };
  const stored = (await readStream(db, stream, { fromVersion: from })).slice(0, ids.length);
  if (stored.length === 0) return { kind: 'other' };
  const sameStep = stored.length === ids.length && stored.every((e, i) => e.eventId === ids[i] && e.type === input.events[i]!.type);
  if (sameStep && stored.every((e) => e.metadata.causationId === input.causationId))
    return {
      kind: 'same-update',
      result: {
        streamVersion: stored.at(-1)!.streamVersion,
        positions: stored.map((e) => e.position),
        duplicate: true,
        stored: stored.map((e) => ({ type: e.type, data: e.data }) as ProjectEvent),
      },
    };
  return { kind: 'store-ahead' };
};

export type ProjectActivities = ReturnType<typeof createProjectActivities>;
