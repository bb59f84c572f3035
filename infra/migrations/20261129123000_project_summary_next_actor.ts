/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * Who a project waits for (domain/project/next-actor.ts nextActorAtStage), kept by the project_summary
 * projection. Rows projected before this migration have none until the read model is rebuilt
 * (`tuopin projection rebuild project_summary`), which fills every row from the store.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE project_summary ADD COLUMN next_role text, ADD COLUMN next_county_id text`.execute(db);
  await sql`CREATE INDEX project_summary_next_role ON project_summary (next_role, county_id, project_id) WHERE next_role IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS project_summary_next_role`.execute(db);
  await sql`ALTER TABLE project_summary DROP COLUMN IF EXISTS next_role, DROP COLUMN IF EXISTS next_county_id`.execute(db);
}
