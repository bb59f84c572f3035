/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * Steps whose activity kept failing (activities/stuck-steps.ts), one row per activity execution:
 * an operations table, not the record. It is written by the worker's activity interceptor on its
 * own connection, outside the append that fails, so a step the store keeps refusing is still seen;
 * GET /anomalies lists each row as `step-stuck`. Mutable (attempts, state) and never hashed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE stuck_steps (
      workflow_id text NOT NULL,
      run_id text NOT NULL,
      activity_id text NOT NULL,
      activity_type text NOT NULL,
      county_id text,
      project_id text,
      fund_id text,
      household_id text,
      state text NOT NULL CHECK (state IN ('retrying', 'failed', 'recovered')),
      attempts integer NOT NULL CHECK (attempts > 0),
      max_attempts integer,
      error_type text,
      error_message text CHECK (length(error_message) <= 500),
      first_at timestamptz NOT NULL DEFAULT now(),
      last_at timestamptz NOT NULL DEFAULT now(),
      position bigint NOT NULL,
      PRIMARY KEY (workflow_id, run_id, activity_id)
    )
  `.execute(db);
  await sql`CREATE INDEX stuck_steps_county ON stuck_steps (county_id, position)`.execute(db);
  await sql`REVOKE ALL ON stuck_steps FROM PUBLIC, tuopin_writer`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE ON stuck_steps TO tuopin_writer`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE stuck_steps`.execute(db);
}
