import { Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import { identificationDecider, makeDecide, registrationsOf, type IdentificationCommand, type IdentificationEventData, type IdentificationRules } from '../domain/identification';
import type { Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import type { Database } from '../infra/database';
import { aggregateStream, appendToStreams, eventMetadata, ExpectedVersionConflictError, readStream, streamId } from '../infra/eventstore';
import { decideOnStream, type StreamCommandInput, type StreamCommandResult } from './exit-activities';
import { stepEventId, workflowOrigin } from './temporal-context';
import type { ActorAssertions } from '../infra/tokens/actor-assertion';

export interface IdentificationActivityDeps {
  readonly db: Kysely<Database>;
  /** Checks who acts before a step is recorded. */
  readonly actors: ActorAssertions;
}

export const identificationStream = (villageId: string, year: number): string => streamId('identification', `${villageId}-${year}`);

export interface RegisterIdentifiedInput {
  readonly villageId: string;
  readonly year: number;
  readonly countyId: CountyId;
  readonly actor: Actor;
  readonly step: string;
  readonly correlationId: string;
  readonly causationId: string;
}

export interface RegisterIdentifiedResult {
  readonly registered: readonly string[];
  /** Registered meanwhile by someone else (an import of the same household id): left as it is. */
  readonly refused: readonly { readonly householdId: string; readonly code: string }[];
}

export const createIdentificationActivities = ({ db, actors }: IdentificationActivityDeps) => ({
  async applyIdentificationCommand(input: StreamCommandInput<IdentificationCommand> & { rules: IdentificationRules }): Promise<StreamCommandResult> {
    const d = input.command.data;
    return decideOnStream(db, actors, identificationStream(d.villageId, d.year), { ...identificationDecider, decide: makeDecide(input.rules) }, input);
  },

  /**
   * 建档立卡 of the households the county approved: each one's HouseholdRegistered, from its
   * application's file, as the first event of its stream. A retry finds its own event there and
   * counts it registered; a stream someone else began is refused for that household alone.
   */
  async registerIdentified(input: RegisterIdentifiedInput): Promise<RegisterIdentifiedResult> {
    const o = workflowOrigin();
    const round = await aggregateStream(db, identificationStream(input.villageId, input.year), identificationDecider);
    const announced = round.events.find((e) => e.type === 'IdentificationAnnounced');
    if (!announced) return { registered: [], refused: [] };
    const regs = registrationsOf(round.state, announced.data as IdentificationEventData<'IdentificationAnnounced'>);
    const registered: string[] = [];
    const refused: { householdId: string; code: string }[] = [];
    for (const data of regs) {
      const stream = streamId('household', data.householdId);
      const eventId = stepEventId(o, `${input.step}:${data.householdId}`)(0);
      try {
        await appendToStreams(db, [
          {
            streamId: stream,
            expectedVersion: 'no-stream',
            events: [
              {
                eventId,
                type: 'HouseholdRegistered',
                data,
                metadata: eventMetadata({
                  actor: input.actor,
                  countyId: input.countyId,
                  correlationId: input.correlationId,
                  causationId: input.causationId,
                  temporal: o,
                  at: data.at,
                }),
              },
            ],
          },
        ]);
        registered.push(data.householdId);
      } catch (e) {
        if (!(e instanceof ExpectedVersionConflictError)) throw e;
        const first = (await readStream(db, stream, { limit: 1 }))[0];
        if (first?.eventId === eventId) registered.push(data.householdId);
        else refused.push({ householdId: data.householdId, code: 'HOUSEHOLD_ALREADY_REGISTERED' });
      }
    }
    Context.current().log.info('identified households registered', {
      workflowId: o.workflowId,
      correlationId: input.correlationId,
      registered: registered.length,
      refused: refused.length,
    });
    return { registered, refused };
  },
});
