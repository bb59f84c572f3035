/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * Residents' clear ID numbers, out of the immutable store (issue 11 point 2, PIPL correction and
 * deletion). Each household has a random data key, kept here only wrapped (AES-256-GCM) under the
 * deployment's key-encryption key (PII_MASTER_KEY, never in the database); each member's number is
 * sealed under the household's data key. Deleting the household's key row erases its numbers
 * (crypto-shredding; the sealed rows go with it, and copies in backups stay unreadable), while the
 * events, which hold only member keys and masked numbers, and their hash chain stay as they are.
 * Both tables are mutable: a wrong number is corrected in place.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE household_data_keys (
      household_id text PRIMARY KEY,
      wrapped_key bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`
    CREATE TABLE household_member_ids (
      household_id text NOT NULL REFERENCES household_data_keys (household_id) ON DELETE CASCADE,
      member_key text NOT NULL,
      sealed bytea NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (household_id, member_key)
    )
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE household_member_ids, household_data_keys`.execute(db);
}
