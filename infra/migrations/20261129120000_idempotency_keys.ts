/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * Which request each client's idempotency key first named (api/plugins/idempotency.ts): the key is
 * the user's, so one user's key never collides with another's. Rows are written once and never
 * changed, so the application may only INSERT and SELECT.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE idempotency_keys (
      user_id text NOT NULL,
      key text NOT NULL,
      fingerprint text NOT NULL,
      route text NOT NULL,
      first_seen_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, key)
    )
  `.execute(db);
  // The schema's default privileges would also give UPDATE and DELETE: a recorded key is not to be rewritten.
  await sql`REVOKE ALL ON idempotency_keys FROM PUBLIC, tuopin_writer`.execute(db);
  await sql`GRANT SELECT, INSERT ON idempotency_keys TO tuopin_writer`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE idempotency_keys`.execute(db);
}
