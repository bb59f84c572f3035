import { sql, type Kysely } from 'kysely';
import { memberKey } from './keys';
import type { Database } from '../database';
import { storeIdNumbers } from './id-numbers';

/**
 * One-time, for a deployment that registered households before ID numbers were kept apart: every
 * version-1 `HouseholdRegistered`/`HouseholdMembersUpdated` still holds clear numbers in its data.
 * Readers never see them (the upcast masks them), and this copies them, sealed, into the encrypted
 * table so the roles with a need read them the new way and erasure works for these households too.
 * The latest member list of a household wins. Idempotent. The version-1 rows themselves stay in
 * the append-only store (README "Personal data" says how to retire them).
 */
export const migrateVersion1IdNumbers = async (db: Kysely<Database>, kek: Buffer, salt: string): Promise<{ households: number; members: number }> => {
  const latest = new Map<string, { idNumber: string }[]>();
  let after = 0;
  for (;;) {
    const { rows } = await sql<{ position: string; data: { householdId: string; members: { idNumber: string }[] } }>`
      SELECT position, data FROM events
       WHERE type IN ('HouseholdRegistered', 'HouseholdMembersUpdated') AND schema_version = 1 AND position > ${after}
       ORDER BY position LIMIT 2000`.execute(db);
    for (const r of rows) latest.set(r.data.householdId, r.data.members);
    if (rows.length < 2000) break;
    after = Number(rows[rows.length - 1]!.position);
  }
  // A household erased since (its key destroyed on purpose) is not brought back.
  const erased = new Set(
    (await sql<{ household_id: string }>`SELECT data->>'householdId' AS household_id FROM events WHERE type = 'IdNumbersErased'`.execute(db)).rows.map((r) => r.household_id),
  );
  const households = [...latest]
    .filter(([h]) => !erased.has(h))
    .map(([householdId, members]) => ({ householdId, members: members.map((m) => ({ memberKey: memberKey(m.idNumber, salt), idNumber: m.idNumber })) }));
  for (let i = 0; i < households.length; i += 500) {
    const part = households.slice(i, i + 500);
    await db.transaction().execute((trx) => storeIdNumbers(trx, kek, part));
  }
  return { households: households.length, members: households.reduce((n, h) => n + h.members.length, 0) };
};
