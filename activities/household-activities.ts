import { Context } from '@temporalio/activity';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { applyHouseholdBatch, type BatchInput, type HouseholdOutcome } from '../infra/registry/household-batch';
import { checkClaim, type ActorAssertions, type ActorClaim } from '../infra/tokens/actor-assertion';
import { asFailure, workflowOrigin } from './temporal-context';

export type { BatchInput, HouseholdOutcome, HouseholdCommandItem, BatchCommandType } from '../infra/registry/household-batch';

export interface HouseholdActivityDeps {
  readonly db: Kysely<Database>;
  /** Checks who acts before anything is recorded. */
  readonly actors: ActorAssertions;
}

/** Registered households of a village, by id (from the refs index: no scan of the store). */
export const householdsOfVillage = async (db: Kysely<Database>, villageId: string): Promise<string[]> => {
  const { rows } = await sql<{ stream_id: string }>`
    SELECT e.stream_id FROM refs r JOIN events e ON e.position = r.position
     WHERE r.kind = 'village' AND r.ref_id = ${villageId} AND e.type = 'HouseholdRegistered'
     ORDER BY e.stream_id`.execute(db);
  return rows.map((r) => r.stream_id.slice('household-'.length));
};

export const householdsOfCounty = async (db: Kysely<Database>, countyId: string): Promise<string[]> => {
  const { rows } = await sql<{ stream_id: string }>`
    SELECT e.stream_id FROM refs r JOIN events e ON e.position = r.position
     WHERE r.kind = 'county' AND r.ref_id = ${countyId} AND e.type = 'HouseholdRegistered'
     ORDER BY e.stream_id`.execute(db);
  return rows.map((r) => r.stream_id.slice('household-'.length));
};

export const createHouseholdActivities = ({ db, actors }: HouseholdActivityDeps) => ({
  /**
   * One command per household, decided and appended in batches; refusals come back as outcomes. Who
   * acts is proved first: an unproved actor fails the step (ACTOR_ASSERTION_*) and nothing is decided.
   */
  async applyHouseholdCommands(input: BatchInput & ActorClaim): Promise<HouseholdOutcome[]> {
    await checkClaim(actors, input).catch((e: unknown) => Promise.reject(asFailure(e)));
    const o = workflowOrigin();
    const outcomes = await applyHouseholdBatch(db, input, o);
    Context.current().log.info('household batch applied', {
      workflowId: o.workflowId,
      correlationId: input.correlationId,
      step: input.step,
      households: input.items.length,
      refused: outcomes.filter((x) => !x.ok).length,
    });
    return outcomes;
  },

  async listVillageHouseholds(input: { villageId: string }): Promise<string[]> {
    return householdsOfVillage(db, input.villageId);
  },
});
