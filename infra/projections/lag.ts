import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import type { Projection } from './projection';

/**
 * Committed events of the types a projection handles that it has not yet applied: those after its
 * checkpoint in the tail's order (all of them when it has none). What the lag metric reports, and
 * what a check of a read model against a rebuild waits on before comparing them.
 */
export const projectorLag = async (db: Kysely<Database>, p: Projection): Promise<number> => {
  const cp = await db.selectFrom('projection_checkpoints').select(['tx_id', 'position']).where('name', '=', p.name).executeTakeFirst();
  const after = cp ? sql`AND (tx_id, position) > (${cp.tx_id}::xid8, ${cp.position})` : sql``;
  const { rows } = await sql<{ lag: string }>`SELECT count(*)::text AS lag FROM events WHERE type = ANY(${[...p.canHandle]}::text[]) ${after}`.execute(db);
  return Number(rows[0]?.lag ?? 0);
};
