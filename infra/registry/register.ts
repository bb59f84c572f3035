import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../domain/shared/actor';
import type { Database } from '../database';
import { appendToStreams, eventIdFor, eventMetadata, streamId, type StreamAppend } from '../eventstore';
import { logger } from '../logger';
import { config } from '../config';
import { storeIdNumbers } from '../personal-data/id-numbers';
import { RegistryError, type RowError } from './errors';
import { parseImportFile, type RawRow } from './file-format';
import { validateRows, type ValidRow } from './validate';
import { BASELINE_REGISTRATION_YEAR } from '../../domain/identification/registration';

export interface ImportInput {
  /** File name (its extension picks the format) and content. */
  readonly name: string;
  readonly text: string;
  readonly actor: Actor;
  readonly salt: string;
  /** The key-encryption key of clear ID numbers (infra/personal-data); defaults to PII_MASTER_KEY. */
  readonly idKey?: Buffer;
  /** The command time; defaults to now. */
  readonly now?: string;
  /** Refuse rows of another county. */
  readonly countyId?: string;
}

export interface ImportResult {
  readonly importId: string;
  readonly households: number;
  readonly members: number;
  /** The same file was imported before: nothing new was written. */
  readonly duplicate: boolean;
  readonly positions: { readonly first: number; readonly last: number } | null;
}

const digest = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 24);

/**
 * Which rows are already on file: the same import again (every household stream holds our first
 * event id) is a harmless retry; anything else already registered is refused, naming the rows.
 */
const alreadyRegistered = async (db: Kysely<Database>, rows: readonly ValidRow[], correlation: string): Promise<'none' | 'same-import' | RowError[]> => {
  const streams = rows.map((r) => streamId('household', r.data.householdId));
  const found = await sql<{ stream_id: string; event_id: string }>`
    SELECT stream_id, event_id FROM events WHERE stream_id = ANY(${streams}::text[]) AND stream_version = 1`.execute(db);
  if (found.rows.length === 0) return 'none';
  const byStream = new Map(found.rows.map((r) => [r.stream_id, r.event_id]));
  const same = found.rows.length === rows.length && rows.every((r) => byStream.get(streamId('household', r.data.householdId)) === eventIdFor(correlation, r.data.householdId));
  if (same) return 'same-import';
  return rows
    .filter((r) => byStream.has(streamId('household', r.data.householdId)))
    .map((r) => ({ line: r.line, row: r.row, field: 'householdId', code: 'HOUSEHOLD_ALREADY_REGISTERED', message: 'this household id is already registered' }));
};

/**
 * A claim made without an import's session lock (before claim locks, or by an identification round)
 * whose household has not reached the store counts as in progress for this long; only after it is
 * it stale, left by an import that died between its claim and its append, and may be taken over.
 * An import that fails gives its claims back.
 */
export const CLAIM_STALE_AFTER_MINUTES = 15;

/** The advisory-lock class of an import's claims: beside the store's streams (…296), the relay (…297) and the import turn (…298). */
export const CLAIM_LOCK_CLASS = 1953853299;

/**
 * Claims every member's key for its household, in a transaction of its own: the store's append
 * must be its own transaction (commit-order tailing), so the unique key is the one decision of who
 * holds a person: of two registrations racing for one person, the first claim wins and the other
 * is refused, even before the winner has appended. A key held by the same household (a retry) is
 * fine; any other is a duplicate registration unless its holder can no longer append:
 * - a claim with `claimLock` (an import's) is its import's while that import's session holds the
 *   lock, which it does from before the claim until after the append, on the connection that runs
 *   both; a free lock means the import ended, and a claim it left without its household in the
 *   store is taken over at once. A live import, however slow, is never overtaken;
 * - a claim without one (an identification round, or older rows) is taken over once stale
 *   (CLAIM_STALE_AFTER_MINUTES), as before.
 */
export const claimKeys = async (db: Kysely<Database>, rows: readonly ValidRow[], idKey: Buffer, claimLock: number | null = null): Promise<RowError[]> =>
  db.transaction().execute(async (trx) => {
    const keys = rows.flatMap((r) => r.memberKeys.map((k) => ({ k, h: r.data.householdId })));
    const owners = new Map<string, string>();
    const stale = new Set<string>();
    const lockOf = new Map<string, number>();
    for (let i = 0; i < keys.length; i += 5000) {
      const part = keys.slice(i, i + 5000);
      await sql`
        INSERT INTO household_member_keys (member_key, household_id, claim_lock)
        SELECT k, h, ${claimLock}::integer FROM unnest(${part.map((x) => x.k)}::text[], ${part.map((x) => x.h)}::text[]) AS u(k, h)
        ON CONFLICT (member_key) DO NOTHING`.execute(trx);
      const held = await sql<{ member_key: string; household_id: string; stale: boolean; claim_lock: number | null }>`
        SELECT member_key, household_id, registered_at < now() - make_interval(mins => ${CLAIM_STALE_AFTER_MINUTES}) AS stale, claim_lock
          FROM household_member_keys WHERE member_key = ANY(${part.map((x) => x.k)}::text[])`.execute(trx);
      for (const r of held.rows) {
        owners.set(r.member_key, r.household_id);
        if (r.claim_lock !== null) lockOf.set(r.member_key, r.claim_lock);
        else if (r.stale) stale.add(r.member_key);
      }
    }
    const foreign = keys.filter((x) => owners.get(x.k) !== x.h);
    if (foreign.length > 0) {
      const others = [...new Set(foreign.map((x) => owners.get(x.k)!))];
      // Whose import has ended: its lock is free. Taken here for this transaction (held until the
      // takeover commits) and before the store is looked at: an import gives its lock back only after
      // its append has committed, so the look below sees that append if there was one.
      const ended = new Set<number>();
      for (const lock of new Set(foreign.flatMap((x) => (lockOf.has(x.k) && lockOf.get(x.k) !== claimLock ? [lockOf.get(x.k)!] : [])))) {
        const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${CLAIM_LOCK_CLASS}, ${lock}::integer) AS ok`.execute(trx);
        if (got.rows[0]?.ok) ended.add(lock);
      }
      const live = await sql<{ stream_id: string }>`SELECT stream_id FROM streams WHERE stream_id = ANY(${others.map((o) => streamId('household', o))}::text[])`.execute(trx);
      const registered = new Set(live.rows.map((r) => r.stream_id.slice('household-'.length)));
      // An applicant in an identification round (识别) holds its people until the round decides: weeks, not minutes.
      const applicants = await sql<{ ref_id: string }>`
        SELECT DISTINCT r.ref_id FROM refs r JOIN events e ON e.position = r.position
         WHERE r.kind = 'household' AND r.ref_id = ANY(${others}::text[]) AND e.type = 'IdentificationApplicationRecorded'`.execute(trx);
      for (const r of applicants.rows) registered.add(r.ref_id);
      for (const x of foreign) {
        const owner = owners.get(x.k)!;
        const lock = lockOf.get(x.k);
        // Registered, or claimed by an import still under way: the person is taken.
        if (registered.has(owner) || (lock === undefined ? !stale.has(x.k) : !ended.has(lock))) continue;
        // The claim as read, or none if its import gave it back meanwhile; one taken since by a third is not ours.
        const took = await sql<{ household_id: string }>`
          INSERT INTO household_member_keys (member_key, household_id, claim_lock) VALUES (${x.k}, ${x.h}, ${claimLock}::integer)
          ON CONFLICT (member_key) DO UPDATE SET household_id = EXCLUDED.household_id, registered_at = now(), claim_lock = EXCLUDED.claim_lock
           WHERE household_member_keys.household_id = ${owner}
          RETURNING household_id`.execute(trx);
        if (took.rows.length > 0) owners.set(x.k, x.h);
      }
    }
    const errors: RowError[] = [];
    for (const r of rows) {
      r.memberKeys.forEach((k, i) => {
        const owner = owners.get(k);
        if (owner !== undefined && owner !== r.data.householdId) {
          errors.push({
            line: r.line,
            row: r.row,
            field: `members[${i}].idNumber`,
            code: 'HOUSEHOLD_MEMBER_ALREADY_REGISTERED',
            message: 'this person is already registered in another household',
          });
        }
      });
    }
    // A refusal rolls the claims back: the error leaves the transaction.
    if (errors.length > 0) throw new RegistryError('REGISTRY_DUPLICATE', `${errors.length} member(s) already registered in another household; nothing was registered`, errors);
    // The clear numbers go to their encrypted table with the claims; the events get keys and masks only.
    await storeIdNumbers(
      trx,
      idKey,
      rows.map((r) => ({ householdId: r.data.householdId, members: r.memberKeys.map((memberKey, i) => ({ memberKey, idNumber: r.idNumbers[i]! })) })),
    );
    return errors;
  });

/** One append statement per file: the file is all or nothing. Larger files are split by village. */
export const MAX_HOUSEHOLDS_PER_FILE = 20_000;

/**
 * What the lock table allows an import: PostgreSQL's shared lock table holds
 * max_locks_per_transaction × (max_connections + max_prepared_transactions) locks for everyone, and
 * an import's append takes one advisory lock per household stream in one transaction.
 * - `perFile`: a file may take half of the table (3,200 households on default settings, 64 × 100;
 *   at most 20,000), so it never fails "out of shared memory" (SQLSTATE 53200) nor makes other
 *   writers fail; raise max_locks_per_transaction for larger files (README, "PostgreSQL roles").
 * - `alongside`: an import of at most max_locks_per_transaction households takes no more than any
 *   one transaction is budgeted, so such imports run side by side; a larger one runs alone
 *   (withImportSlot), so two large files never hold more than half the table between them.
 */
export const importLockBudget = async (db: Kysely<Database>): Promise<{ perFile: number; alongside: number }> => {
  const { rows } = await sql<{ per_tx: number; slots: number }>`
    SELECT current_setting('max_locks_per_transaction')::int AS per_tx,
           current_setting('max_locks_per_transaction')::int * (current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int) AS slots`.execute(db);
  return { perFile: Math.min(MAX_HOUSEHOLDS_PER_FILE, Math.floor(Number(rows[0]!.slots) / 2)), alongside: Number(rows[0]!.per_tx) };
};

/** How many households one file may register on this server (importLockBudget). */
export const householdsPerFileLimit = async (db: Kysely<Database>): Promise<number> => (await importLockBudget(db)).perFile;

/** The registry import's session advisory lock: a class of its own beside the store's streams (…296) and the relay's leader (…297). */
const IMPORT_LOCK_CLASS = 1953853298;
/** How long an import waits for one under way before it is refused with REGISTRY_IMPORT_BUSY (409). */
export const IMPORT_WAIT_MS = 10_000;

/**
 * Runs an import on one connection holding the import lock: shared for a small import (several
 * run together), exclusive for a large one (it runs alone). The lock is the session's, so it is
 * held across the claim and the append transactions and freed if the process dies (its connection
 * closes). An import that cannot have it within IMPORT_WAIT_MS is refused, nothing written.
 */
const withImportSlot = async <T>(db: Kysely<Database>, alone: boolean, work: (conn: Kysely<Database>) => Promise<T>): Promise<T> =>
  db.connection().execute(async (conn) => {
    const [take, give] = alone ? ['pg_try_advisory_lock', 'pg_advisory_unlock'] : ['pg_try_advisory_lock_shared', 'pg_advisory_unlock_shared'];
    const deadline = Date.now() + IMPORT_WAIT_MS;
    for (;;) {
      const got = await sql<{ ok: boolean }>`SELECT ${sql.raw(take!)}(${IMPORT_LOCK_CLASS}, 0) AS ok`.execute(conn);
      if (got.rows[0]?.ok) break;
      if (Date.now() >= deadline) {
        throw new RegistryError(
          'REGISTRY_IMPORT_BUSY',
          `another registry import is under way and this one waited ${IMPORT_WAIT_MS / 1000} s for it; nothing was registered, try again when it is done`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    try {
      return await work(conn);
    } finally {
      // A broken connection has dropped the lock with it; the import's own outcome is what the caller hears.
      await sql`SELECT ${sql.raw(give!)}(${IMPORT_LOCK_CLASS}, 0)`
        .execute(conn)
        .catch((err: unknown) => logger.warn({ err }, 'registry import lock not given back: its connection is gone, and the lock with it'));
    }
  });

/** Registers every household of `rows`, or none. */
export const registerRows = async (db: Kysely<Database>, rawRows: readonly RawRow[], input: Omit<ImportInput, 'name' | 'text'> & { importKey: string }): Promise<ImportResult> => {
  // Checked first, on the row count alone: a file the lock table cannot take is refused before any work.
  const budget = await importLockBudget(db);
  const limit = budget.perFile;
  if (rawRows.length > limit) {
    throw new RegistryError(
      'REGISTRY_FILE_TOO_LARGE',
      `the file holds ${rawRows.length} rows; this server takes at most ${limit} households per file (half its lock table: max_locks_per_transaction × (max_connections + max_prepared_transactions)); split it, e.g. one file per village, or raise max_locks_per_transaction`,
    );
  }
  return withImportSlot(db, rawRows.length > budget.alongside, (conn) => registerWithSlot(conn, rawRows, input));
};

const registerWithSlot = async (db: Kysely<Database>, rawRows: readonly RawRow[], input: Omit<ImportInput, 'name' | 'text'> & { importKey: string }): Promise<ImportResult> => {
  const now = input.now ?? new Date().toISOString();
  const checked = validateRows(rawRows, { actor: input.actor, now }, input.salt, input.countyId ? { countyId: input.countyId } : {});
  if (!checked.ok) throw new RegistryError('REGISTRY_ROWS_INVALID', `${checked.errors.length} error(s); nothing was registered`, checked.errors);
  const rows = checked.rows;
  const late = rows.filter((r) => r.data.registeredYear > BASELINE_REGISTRATION_YEAR);
  if (late.length > 0) {
    throw new RegistryError(
      'REGISTRY_NOT_BASELINE',
      `${late.length} household(s) registered for a year after ${BASELINE_REGISTRATION_YEAR}: a new poor household is registered by an identification round (识别), not imported; nothing was registered`,
      late.map((r) => ({
        line: r.line,
        row: r.row,
        field: 'registeredYear',
        code: 'REGISTRY_NOT_BASELINE',
        message: `direct registration imports the ${BASELINE_REGISTRATION_YEAR} baseline only (新识别的贫困户须经识别程序：农户申请、民主评议、公示、县级审定公告)`,
      })),
    );
  }
  if (rows.length === 0) throw new RegistryError('REGISTRY_FILE_INVALID', 'the file holds no households');
  if (rows.length > MAX_HOUSEHOLDS_PER_FILE)
    throw new RegistryError('REGISTRY_FILE_INVALID', `the file holds ${rows.length} households; split it (at most ${MAX_HOUSEHOLDS_PER_FILE}, e.g. one file per village)`);
  const importId = digest(input.importKey);
  const correlation = `import-${importId}`;
  const log = logger.child({ correlationId: correlation, households: rows.length });
  const summary = { importId, households: rows.length, members: rows.reduce((n, r) => n + r.memberKeys.length, 0) };
  const existing = await alreadyRegistered(db, rows, correlation);
  if (existing === 'same-import') return { ...summary, duplicate: true, positions: null };
  if (existing !== 'none') throw new RegistryError('REGISTRY_DUPLICATE', `${existing.length} household(s) already registered; nothing was registered`, existing);
  // This import's claims are its own while this session holds their lock: from here until after the append, which runs on this same connection.
  const claimLock = Number.parseInt(importId.slice(0, 8), 16) | 0;
  await sql`SELECT pg_advisory_lock(${CLAIM_LOCK_CLASS}, ${claimLock}::integer)`.execute(db);
  try {
    return await claimAndAppend(db, rows, input, { summary, correlation, now, log, claimLock });
  } finally {
    await sql`SELECT pg_advisory_unlock(${CLAIM_LOCK_CLASS}, ${claimLock}::integer)`
      .execute(db)
      .catch((err: unknown) => logger.warn({ err }, 'registry claim lock not given back: its connection is gone, and the lock with it'));
  }
};

const claimAndAppend = async (
  db: Kysely<Database>,
  rows: readonly ValidRow[],
  input: Omit<ImportInput, 'name' | 'text'> & { importKey: string },
  ctx: { summary: { importId: string; households: number; members: number }; correlation: string; now: string; log: typeof logger; claimLock: number },
): Promise<ImportResult> => {
  const { summary, correlation, now, log } = ctx;
  await claimKeys(db, rows, input.idKey ?? config().PII_MASTER_KEY, ctx.claimLock);
  const appends: StreamAppend[] = rows.map((r) => ({
    streamId: streamId('household', r.data.householdId),
    expectedVersion: 'no-stream',
    events: [
      {
        eventId: eventIdFor(correlation, r.data.householdId),
        type: r.event.type,
        data: r.event.data,
        metadata: eventMetadata({ actor: input.actor, countyId: r.data.countyId, correlationId: correlation, causationId: `${correlation}/line-${r.line}`, at: now }),
      },
    ],
  }));
  let a;
  try {
    a = await appendToStreams(db, appends);
  } catch (e) {
    // Another writer registered one of these households meanwhile: give back this import's claims.
    const ours = rows.map((r) => r.data.householdId);
    await sql`DELETE FROM household_member_keys k WHERE k.household_id = ANY(${ours}::text[])
      AND NOT EXISTS (SELECT 1 FROM streams s WHERE s.stream_id = 'household-' || k.household_id)`.execute(db);
    await sql`DELETE FROM household_data_keys k WHERE k.household_id = ANY(${ours}::text[])
      AND NOT EXISTS (SELECT 1 FROM streams s WHERE s.stream_id = 'household-' || k.household_id)`.execute(db);
    throw e;
  }
  log.info({ duplicate: a.duplicate }, 'households registered');
  const positions = a.events.map((x) => x.position);
  return { ...summary, duplicate: a.duplicate, positions: { first: Math.min(...positions), last: Math.max(...positions) } };
};

/**
 * 建档立卡 from a file (one per village or county): all rows or none. The import id is the file's
 * digest, so importing the same file again writes nothing and answers as before.
 */
export const importHouseholdFile = async (db: Kysely<Database>, input: ImportInput): Promise<ImportResult> => {
  const rows = parseImportFile(input.name, input.text);
  return registerRows(db, rows, { ...input, importKey: `${input.name.split('/').pop()}\u0000${input.text}` });
};

/** One household through the same checks (the CLI's and API's single registration). */
export const registerHousehold = async (db: Kysely<Database>, data: unknown, input: Omit<ImportInput, 'name' | 'text'>): Promise<ImportResult> =>
  registerRows(db, [{ line: 1, row: 1, value: data }], { ...input, importKey: `single\u0000${JSON.stringify(data)}` });
