import { sql, type Transaction } from 'kysely';
import type { Database } from '../../database';
import type { StoredEvent } from '../../eventstore/types';
import type { Projection } from '../projection';

/**
 * Exits against the plan: one row per exited household (its people and exit year; `returned` when
 * it re-entered poverty), per exited village and per exited county. Yearly figures per county are
 * sums over the rows, so a rebuild from the store gives the same table.
 */
type Row = { kind: string; id: string; county_id: string; exit_year: number; member_count: number; returned: boolean; last_event_position: number };

const rowOf = (e: StoredEvent): Row | { returnOf: string; position: number } | undefined => {
  const d = e.data as Record<string, unknown>;
  switch (e.type) {
    case 'HouseholdExitAnnounced':
      return {
        kind: 'household',
        id: d.householdId as string,
        county_id: d.countyId as string,
        exit_year: d.year as number,
        member_count: d.memberCount as number,
        returned: false,
        last_event_position: e.position,
      };
    case 'HouseholdReturnedToPoverty':
      return { returnOf: d.householdId as string, position: e.position };
    case 'VillageExited':
      return {
        kind: 'village',
        id: d.villageId as string,
        county_id: d.countyId as string,
        exit_year: d.year as number,
        member_count: 0,
        returned: false,
        last_event_position: e.position,
      };
    case 'CountyExited':
      return {
        kind: 'county',
        id: d.countyId as string,
        county_id: d.countyId as string,
        exit_year: d.year as number,
        member_count: 0,
        returned: false,
        last_event_position: e.position,
      };
    default:
      return undefined;
  }
};

export const exitProgress: Projection = {
  name: 'exit_progress',
  table: 'exit_progress',
  canHandle: ['HouseholdExitAnnounced', 'HouseholdReturnedToPoverty', 'VillageExited', 'CountyExited'],

  async apply(trx: Transaction<Database>, table: string, events: readonly StoredEvent[]): Promise<void> {
    const t = sql.table(table);
    // In commit order, one statement per event kind run: an exit, a return and a second exit of the same household stay in order.
    for (const e of events) {
      const r = rowOf(e);
      if (!r) continue;
      if ('returnOf' in r) {
        await sql`UPDATE ${t} SET returned = true, last_event_position = ${r.position} WHERE kind = 'household' AND id = ${r.returnOf} AND last_event_position < ${r.position}`.execute(
          trx,
        );
        continue;
      }
      await sql`
        INSERT INTO ${t} (kind, id, county_id, exit_year, member_count, returned, last_event_position)
        VALUES (${r.kind}, ${r.id}, ${r.county_id}, ${r.exit_year}, ${r.member_count}, false, ${r.last_event_position})
        ON CONFLICT (kind, id) DO UPDATE SET exit_year = excluded.exit_year, member_count = excluded.member_count, returned = false,
          last_event_position = excluded.last_event_position
        WHERE ${t}.last_event_position < excluded.last_event_position`.execute(trx);
    }
  },
};
