/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * The bearer-token denylist (api/plugins/auth.ts): a token id listed here is refused by every API
 * process. A row is written once; it may be dropped after `expires_at`, when the token is dead anyway.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE revoked_tokens (
      jti text PRIMARY KEY CHECK (jti ~ '^[A-Za-z0-9-]{8,64}$'),
      revoked_by text NOT NULL,
      reason text NOT NULL,
      revoked_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    )
  `.execute(db);
  await sql`REVOKE ALL ON revoked_tokens FROM PUBLIC, tuopin_writer`.execute(db);
  await sql`GRANT SELECT, INSERT ON revoked_tokens TO tuopin_writer`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE revoked_tokens`.execute(db);
}
