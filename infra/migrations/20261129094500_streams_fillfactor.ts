/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * Room on every `streams` page for its rows' next versions. Each append rewrites its stream's row
 * (version, head_hash, updated_at: none of them indexed), so the new version can stay on the same
 * page as a HOT update, with no new entry in `streams_pkey`, as long as the page has room. At the
 * default fillfactor (100) the pages are full from the inserts that created the streams and the
 * first update of each row goes elsewhere and adds an index entry. Applies to pages written from
 * now on; an existing store gets it at its next rewrite (VACUUM FULL / CLUSTER), which is not forced here.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE streams SET (fillfactor = 70)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE streams RESET (fillfactor)`.execute(db);
}
