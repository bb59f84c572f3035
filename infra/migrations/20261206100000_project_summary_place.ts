/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * A project's place (domain/project/place.ts): its level and, where it has them, its township and
 * village, kept by the project_summary projection. Proposals recorded before places existed were all
 * village projects with no village named: their rows read level 'village' and null ids.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE project_summary ADD COLUMN level text NOT NULL DEFAULT 'village', ADD COLUMN township_id text, ADD COLUMN village_id text`.execute(db);
  await sql`CREATE INDEX project_summary_village ON project_summary (village_id) WHERE village_id IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS project_summary_village`.execute(db);
  await sql`ALTER TABLE project_summary DROP COLUMN IF EXISTS level, DROP COLUMN IF EXISTS township_id, DROP COLUMN IF EXISTS village_id`.execute(db);
}
