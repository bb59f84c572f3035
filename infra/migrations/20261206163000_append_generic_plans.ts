/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

const SIGNATURE = 'integer[], text[], text[], integer[], text[], text[], integer[], text[], text[], text[]';

/**
 * The append function plans its statements once per session, not on every call (issue 18, point 7).
 *
 * Why: its statements take arrays as parameters. A generic plan assumes 100 elements per array
 * where a call carries 1 to 80, so PL/pgSQL's plan cache judged the generic plan dearer and
 * re-planned the events-and-refs INSERT for every call: `perf` on a backend making 1-event appends
 * put 18% of its CPU in planning (GetCachedPlan → standard_planner), 4% with generic plans. The
 * plans do not depend on the arrays' sizes (unnest, index look-ups by key), so a generic plan is
 * the right one at every size. Nothing the function checks or writes changes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`ALTER FUNCTION tuopin_append_batch(${SIGNATURE}) SET plan_cache_mode = force_generic_plan`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`ALTER FUNCTION tuopin_append_batch(${SIGNATURE}) RESET plan_cache_mode`).execute(db);
}
