/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * A member-key claim names the import that made it (infra/registry/register.ts): the key of a
 * session advisory lock that import holds from before its claim until after its append, on the one
 * connection that does both. While that lock is held the claim is the import's; once it is free
 * the import has ended, so its claim either has its household in the store or was left by an
 * import that died and may be taken over at once. Claims made before (null) keep the 15-minute rule.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE household_member_keys ADD COLUMN claim_lock integer`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE household_member_keys DROP COLUMN claim_lock`.execute(db);
}
