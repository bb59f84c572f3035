/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/** Relay and projection checkpoints, and the first read model. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE relay_checkpoints (
      name text PRIMARY KEY,
      tx_id xid8 NOT NULL,
      position bigint NOT NULL,
      stream_seq bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`
    CREATE TABLE projection_checkpoints (
      name text PRIMARY KEY,
      tx_id xid8 NOT NULL,
      position bigint NOT NULL,
      stream_seq bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`
    CREATE TABLE project_summary (
      project_id text PRIMARY KEY,
      county_id text NOT NULL,
      category text NOT NULL,
      name text NOT NULL,
      budget_fen bigint NOT NULL,
      fiscal_year integer NOT NULL,
      stage text NOT NULL,
      proposed_by text NOT NULL,
      last_event_position bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX project_summary_county_year ON project_summary (county_id, fiscal_year)`.execute(db);
  // Default privileges cover these already; granting explicitly keeps the migration correct on its own.
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON relay_checkpoints, projection_checkpoints, project_summary TO tuopin_writer`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE project_summary, projection_checkpoints, relay_checkpoints`.execute(db);
}
