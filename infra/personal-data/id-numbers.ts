import { sql, type Kysely } from 'kysely';
import { decideIdNumbersErase, decideIdNumbersRead } from '../../domain/privacy/decide';
import type { CommandMeta } from '../../domain/shared/actor';
import type { CountyId } from '../../domain/reference/counties';
import { isDomainError, type DomainError } from '../../domain/shared/errors';
import type { Database } from '../database';
import { appendToStream, readStream, streamId } from '../eventstore';
import { dataKeyAad, idNumberAad, newDataKey, open, seal } from './seal';

/**
 * Residents' clear ID numbers, outside the immutable store: sealed under a per-household data key,
 * itself wrapped under the deployment's key-encryption key (PII_MASTER_KEY, never in the database).
 * Reading them is for roles with a stated need and is recorded before anything is decrypted;
 * erasing them destroys the household's data key (crypto-shredding), the events and their chain
 * untouched. Migration 20261206073000 holds the tables.
 */

export class IdNumbersError extends Error {
  constructor(
    readonly code: 'ID_NUMBERS_ERASED' | 'HOUSEHOLD_NOT_REGISTERED' | 'ID_NUMBERS_NOT_PERMITTED' | 'ID_NUMBERS_REASON_REQUIRED',
    message: string,
    readonly domain?: DomainError,
  ) {
    super(message);
    this.name = 'IdNumbersError';
  }
}

export interface HouseholdIdNumbers {
  readonly householdId: string;
  /** Member key → normalized clear number. */
  readonly members: readonly { readonly memberKey: string; readonly idNumber: string }[];
}

type Executor = Kysely<Database>;

/**
 * Seals each household's numbers under its data key, creating the key when the household has none.
 * Run inside the registration's transaction, so a refused registration leaves nothing behind.
 */
export const storeIdNumbers = async (trx: Executor, kek: Buffer, households: readonly HouseholdIdNumbers[]): Promise<void> => {
  if (households.length === 0) return;
  const ids = households.map((h) => h.householdId);
  const fresh = households.map((h) => seal(kek, newDataKey(), dataKeyAad(h.householdId)));
  await sql`INSERT INTO household_data_keys (household_id, wrapped_key)
            SELECT * FROM unnest(${ids}::text[], ${fresh}::bytea[]) ON CONFLICT (household_id) DO NOTHING`.execute(trx);
  const { rows } = await sql<{ household_id: string; wrapped_key: Buffer }>`
    SELECT household_id, wrapped_key FROM household_data_keys WHERE household_id = ANY(${ids}::text[])`.execute(trx);
  const keys = new Map(rows.map((r) => [r.household_id, open(kek, r.wrapped_key, dataKeyAad(r.household_id))]));
  const hh: string[] = [];
  const mk: string[] = [];
  const sealed: Buffer[] = [];
  for (const h of households) {
    const key = keys.get(h.householdId)!;
    for (const m of h.members) {
      hh.push(h.householdId);
      mk.push(m.memberKey);
      sealed.push(seal(key, Buffer.from(m.idNumber, 'utf8'), idNumberAad(h.householdId, m.memberKey)));
    }
  }
  await sql`INSERT INTO household_member_ids (household_id, member_key, sealed)
            SELECT * FROM unnest(${hh}::text[], ${mk}::text[], ${sealed}::bytea[])
            ON CONFLICT (household_id, member_key) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = now()`.execute(trx);
};

/** The county a household was registered in, from its first event (an id prefix proves nothing). */
const registeredCounty = async (db: Executor, householdId: string): Promise<CountyId> => {
  const [first] = await readStream(db, streamId('household', householdId), { limit: 1 });
  if (!first || first.type !== 'HouseholdRegistered') throw new IdNumbersError('HOUSEHOLD_NOT_REGISTERED', `household ${householdId} is not registered`);
  return (first.data as { countyId: CountyId }).countyId;
};

const refused = (e: DomainError): IdNumbersError => new IdNumbersError(e.code as IdNumbersError['code'], e.en, e);

const record = async (db: Executor, event: { type: string; data: { householdId: string; countyId: CountyId } }, meta: CommandMeta, n: string): Promise<void> => {
  const { householdId, countyId } = event.data;
  await appendToStream(db, streamId('pii', householdId), 'any', [
    {
      eventId: `pii:${householdId}:${n}`,
      type: event.type,
      data: event.data,
      metadata: { actor: meta.actor, countyId, correlationId: `pii-${householdId}`, causationId: `pii-${householdId}`, businessDate: meta.now.slice(0, 10) },
    },
  ]);
};

/**
 * A household's clear numbers, for a reader with a stated need. The read is appended as
 * `IdNumbersRead` (who, role, reason, when) before anything is decrypted: no record, no numbers.
 */
export const readIdNumbers = async (db: Executor, kek: Buffer, householdId: string, reason: string, meta: CommandMeta): Promise<HouseholdIdNumbers> => {
  const countyId = await registeredCounty(db, householdId);
  const { rows } = await sql<{ member_key: string; sealed: Buffer; wrapped_key: Buffer }>`
    SELECT m.member_key, m.sealed, k.wrapped_key FROM household_data_keys k JOIN household_member_ids m USING (household_id)
     WHERE k.household_id = ${householdId} ORDER BY m.member_key`.execute(db);
  const decided = decideIdNumbersRead({ householdId, countyId, reason, members: rows.length }, meta);
  if (isDomainError(decided)) throw refused(decided);
  if (rows.length === 0) throw new IdNumbersError('ID_NUMBERS_ERASED', `household ${householdId} has no ID numbers on file: erased, or registered before they were kept apart`);
  await record(db, decided, meta, `read:${meta.actor.userId}:${meta.now}`);
  const key = open(kek, rows[0]!.wrapped_key, dataKeyAad(householdId));
  return { householdId, members: rows.map((r) => ({ memberKey: r.member_key, idNumber: open(key, r.sealed, idNumberAad(householdId, r.member_key)).toString('utf8') })) };
};

/** Erases a household's clear numbers for good: `IdNumbersErased` recorded, then its data key destroyed. */
export const eraseIdNumbers = async (db: Executor, householdId: string, reason: string, meta: CommandMeta): Promise<{ erased: number }> => {
  const countyId = await registeredCounty(db, householdId);
  const decided = decideIdNumbersErase({ householdId, countyId, reason }, meta);
  if (isDomainError(decided)) throw refused(decided);
  await record(db, decided, meta, `erase:${meta.actor.userId}:${meta.now}`);
  const r = await sql<{ n: string }>`
    WITH m AS (SELECT count(*) AS n FROM household_member_ids WHERE household_id = ${householdId}),
         d AS (DELETE FROM household_data_keys WHERE household_id = ${householdId})
    SELECT n FROM m`.execute(db);
  return { erased: Number(r.rows[0]?.n ?? 0) };
};
