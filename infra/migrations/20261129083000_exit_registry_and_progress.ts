/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * The exit side's tables beside the store:
 * - household_member_keys: the duplicate index (one person, one file). Salted HMAC keys only, never
 *   ID numbers; written in the same transaction as the HouseholdRegistered append, and the primary
 *   key refuses a second household claiming the same person even under concurrent imports.
 * - county_check_findings: each re-visit of the provincial check's third-party sample.
 * - exit_progress: the read model of exits (households, villages, counties) against the plan.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE household_member_keys (
      member_key text PRIMARY KEY,
      household_id text NOT NULL,
      registered_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX household_member_keys_household ON household_member_keys (household_id)`.execute(db);
  await sql`
    CREATE TABLE county_check_findings (
      county_id text NOT NULL,
      check_id text NOT NULL,
      sample_id text NOT NULL,
      kind text NOT NULL,
      household_id text,
      finding text NOT NULL,
      detail text NOT NULL,
      seed text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (check_id, sample_id)
    )`.execute(db);
  await sql`
    CREATE TABLE exit_progress (
      kind text NOT NULL,
      id text NOT NULL,
      county_id text NOT NULL,
      exit_year integer NOT NULL,
      member_count integer NOT NULL,
      returned boolean NOT NULL DEFAULT false,
      last_event_position bigint NOT NULL,
      PRIMARY KEY (kind, id)
    )`.execute(db);
  await sql`CREATE INDEX exit_progress_county_year ON exit_progress (county_id, exit_year)`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON household_member_keys, county_check_findings, exit_progress TO tuopin_writer`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE exit_progress, county_check_findings, household_member_keys`.execute(db);
}
