/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * A confirmed instruction must name its own transfer, and that transfer must name it back: the app
 * role may UPDATE rail_instructions, so the database, not only the rail's code, ties the two.
 * (Its own migration: 20261129090000_payment_rail had already run on shared databases.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE rail_transfers ADD CONSTRAINT rail_transfers_transfer_instruction UNIQUE (transfer_id, instruction_id)`.execute(db);
  await sql`
    ALTER TABLE rail_instructions ADD CONSTRAINT rail_instructions_transfer
    FOREIGN KEY (transfer_id, instruction_id) REFERENCES rail_transfers (transfer_id, instruction_id)
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE rail_instructions DROP CONSTRAINT rail_instructions_transfer`.execute(db);
  await sql`ALTER TABLE rail_transfers DROP CONSTRAINT rail_transfers_transfer_instruction`.execute(db);
}
