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
    // A batch of an announcement is ~190 exits: one statement for each run of exits (or of returns) in
    // commit order, not one per event, so an exit, a return and a second exit of the same household
    // stay in order. Within a run a key keeps its latest event: every statement only moves a row
    // forward (last_event_position), so applying the latest alone leaves what applying each did, and
    // ON CONFLICT may not touch a row twice in one statement.
    let exits = new Map<string, Row>();
    let returns = new Map<string, number>();
    const flushExits = async (): Promise<void> => {
      if (exits.size === 0) return;
      const rs = [...exits.values()];
      exits = new Map();
      const col = <K extends keyof Row>(k: K): Row[K][] => rs.map((r) => r[k]);
      await sql`
        INSERT INTO ${t} (kind, id, county_id, exit_year, member_count, returned, last_event_position)
        SELECT u.kind, u.id, u.county_id, u.exit_year, u.member_count, false, u.last_event_position
          FROM unnest(${col('kind')}::text[], ${col('id')}::text[], ${col('county_id')}::text[], ${col('exit_year')}::integer[], ${col('member_count')}::integer[],
                      ${col('last_event_position')}::bigint[]) AS u(kind, id, county_id, exit_year, member_count, last_event_position)
        ON CONFLICT (kind, id) DO UPDATE SET exit_year = excluded.exit_year, member_count = excluded.member_count, returned = false,
          last_event_position = excluded.last_event_position
        WHERE ${t}.last_event_position < excluded.last_event_position`.execute(trx);
    };
    const flushReturns = async (): Promise<void> => {
      if (returns.size === 0) return;
      const rs = [...returns];
      returns = new Map();
      await sql`
        UPDATE ${t} x SET returned = true, last_event_position = u.pos
          FROM unnest(${rs.map(([id]) => id)}::text[], ${rs.map(([, pos]) => pos)}::bigint[]) AS u(id, pos)
         WHERE x.kind = 'household' AND x.id = u.id AND x.last_event_position < u.pos`.execute(trx);
    };
    for (const e of events) {
      const r = rowOf(e);
      if (!r) continue;
      if ('returnOf' in r) {
        await flushExits();
        if (r.position > (returns.get(r.returnOf) ?? -1)) returns.set(r.returnOf, r.position);
        continue;
      }
      await flushReturns();
      const key = `${r.kind}\u0000${r.id}`;
      if (r.last_event_position > (exits.get(key)?.last_event_position ?? -1)) exits.set(key, r);
    }
    await flushExits();
    await flushReturns();
  },
};
