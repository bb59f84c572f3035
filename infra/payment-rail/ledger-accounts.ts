import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../database';
import type { Fen } from '../../domain/shared/money';
import { idempotencyKeySchema } from './rail';
import type { RailAccountKind, RailTables } from './rail.table';

/**
 * Accounts and funding of the simulated treasury ledger. Appropriation opens a fund's treasury
 * account and credits it from a source account (the budget line the money comes from); payments
 * then move it out through the rail. Every movement is a transfer of two entries that cancel out.
 */

export type RailDb = Kysely<Database & RailTables>;

/** The app's connection seen with the rail's tables (they are not in `Database`: the rail is an adapter). */
export const railDb = (db: Kysely<Database>): RailDb => db.withTables<RailTables>();

export const LEDGER_ERROR_CODES = ['LEDGER_INPUT_INVALID', 'ACCOUNT_KIND_CONFLICT', 'CREDIT_REFERENCE_REUSED', 'ACCOUNT_NOT_FOUND'] as const;
export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}

const parse = <T>(schema: z.ZodType<T>, input: unknown): T => {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.join('.') || '(input)';
  throw new LedgerError('LEDGER_INPUT_INVALID', `${field}: ${issue?.message ?? 'invalid'}`, field);
};

const accountIdSchema = idempotencyKeySchema;

/**
 * Opens an account if it is missing; opening it again with the same kind is a no-op, with another
 * kind ACCOUNT_KIND_CONFLICT (a treasury account must never turn into a payee, or back).
 */
export const openAccount = async (appDb: Kysely<Database>, accountId: string, kind: Exclude<RailAccountKind, 'source'>): Promise<void> => {
  const id = parse(accountIdSchema, accountId);
  const k = parse(z.enum(['treasury', 'payee']), kind);
  const db = railDb(appDb);
  await db
    .insertInto('rail_accounts')
    .values({ account_id: id, kind: k })
    .onConflict((oc) => oc.column('account_id').doNothing())
    .execute();
  const row = await db.selectFrom('rail_accounts').select('kind').where('account_id', '=', id).executeTakeFirstOrThrow();
  if (row.kind !== k) throw new LedgerError('ACCOUNT_KIND_CONFLICT', `account ${id} is a ${row.kind} account, not ${k}`, 'accountId');
};

const creditSchema = z.strictObject({
  /** The caller's id for this credit (e.g. the appropriation event id): a retry credits once. */
  reference: idempotencyKeySchema,
  /** Where the money comes from, e.g. `source:central-2016`; opened on first use, may go negative. */
  fromSource: accountIdSchema.refine((s) => s.startsWith('source:'), { error: 'must start with source:' }),
  toAccount: accountIdSchema,
  amount: z.number().int({ error: 'must be a whole number of fen' }).positive({ error: 'must be more than zero fen' }).max(Number.MAX_SAFE_INTEGER),
});
export type CreditInput = z.input<typeof creditSchema>;

/**
 * Funds an open treasury account from a source account: one funding transfer per reference. A
 * second call with the same reference and the same content returns the first transfer's id.
 */
export const credit = async (appDb: Kysely<Database>, input: CreditInput): Promise<{ transferId: string; duplicate: boolean }> => {
  const c = parse(creditSchema, input);
  const db = railDb(appDb);
  try {
    return await creditOnce(db, c);
  } catch (e) {
    // Two credits with one reference raced: the loser's insert failed the unique index and rolled
    // back whole; the winner has committed, so a second pass answers as a duplicate (or a reuse).
    if ((e as { constraint?: string }).constraint !== 'rail_transfers_reference') throw e;
    return creditOnce(db, c);
  }
};

const creditOnce = async (db: RailDb, c: z.output<typeof creditSchema>): Promise<{ transferId: string; duplicate: boolean }> =>
  db.transaction().execute(async (trx) => {
    const prior = await trx.selectFrom('rail_transfers').select('transfer_id').where('reference', '=', c.reference).executeTakeFirst();
    if (prior) {
      const entries = await trx.selectFrom('rail_entries').select(['account_id', 'amount_fen']).where('transfer_id', '=', prior.transfer_id).execute();
      const same = entries.some((e) => e.account_id === c.toAccount && Number(e.amount_fen) === c.amount) && entries.some((e) => e.account_id === c.fromSource);
      if (!same) throw new LedgerError('CREDIT_REFERENCE_REUSED', `reference ${c.reference} already funded a different transfer`, 'reference');
      return { transferId: prior.transfer_id, duplicate: true };
    }
    await trx
      .insertInto('rail_accounts')
      .values({ account_id: c.fromSource, kind: 'source' })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
    const accounts = await trx
      .selectFrom('rail_accounts')
      .select(['account_id', 'kind'])
      .where('account_id', 'in', [c.fromSource, c.toAccount])
      .orderBy('account_id')
      .forUpdate()
      .execute();
    const to = accounts.find((a) => a.account_id === c.toAccount);
    if (!to || to.kind !== 'treasury') throw new LedgerError('ACCOUNT_NOT_FOUND', `${c.toAccount} is not an open treasury account`, 'toAccount');
    if (accounts.find((a) => a.account_id === c.fromSource)?.kind !== 'source')
      throw new LedgerError('ACCOUNT_KIND_CONFLICT', `${c.fromSource} is not a source account`, 'fromSource');
    const transferId = `trf-${randomUUID()}`;
    await trx.insertInto('rail_transfers').values({ transfer_id: transferId, instruction_id: null, reference: c.reference, kind: 'funding', amount_fen: c.amount }).execute();
    await postEntries(trx, transferId, c.fromSource, c.toAccount, c.amount as Fen);
    return { transferId, duplicate: false };
  });

/**
 * The two entries of a transfer and the balances they move. Callers hold both accounts' row locks.
 * The CHECK on rail_accounts refuses to overdraw a treasury account even if a caller forgot to look.
 */
export const postEntries = async (trx: RailDb, transferId: string, from: string, to: string, amount: Fen): Promise<void> => {
  await trx
    .insertInto('rail_entries')
    .values([
      { transfer_id: transferId, account_id: from, amount_fen: -amount },
      { transfer_id: transferId, account_id: to, amount_fen: amount },
    ])
    .execute();
  await sql`
    UPDATE rail_accounts
       SET balance_fen = balance_fen + CASE WHEN account_id = ${from} THEN ${-amount}::bigint ELSE ${amount}::bigint END,
           updated_at = now()
     WHERE account_id IN (${from}, ${to})
  `.execute(trx);
};

/** An account's balance in fen (a source account's is negative: what it has issued). */
export const balanceOf = async (db: Kysely<Database>, accountId: string): Promise<number | undefined> => {
  const row = await railDb(db).selectFrom('rail_accounts').select('balance_fen').where('account_id', '=', accountId).executeTakeFirst();
  return row ? Number(row.balance_fen) : undefined;
};

export interface TrialBalance {
  readonly accounts: number;
  readonly transfers: number;
  /** Σ balances and Σ entries: both 0 in a sound ledger. */
  readonly balancesTotal: number;
  readonly entriesTotal: number;
  /** Accounts whose stored balance differs from the sum of their entries. */
  readonly driftedAccounts: string[];
  /** Transfers whose entries do not cancel out. */
  readonly unbalancedTransfers: string[];
}

/** The ledger checked against itself; read-only, in one snapshot. */
export const trialBalance = async (db: Kysely<Database>): Promise<TrialBalance> =>
  railDb(db)
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const totals = await sql<{ accounts: string; transfers: string; balances: string; entries: string }>`
        SELECT (SELECT count(*) FROM rail_accounts)::text AS accounts,
               (SELECT count(*) FROM rail_transfers)::text AS transfers,
               (SELECT coalesce(sum(balance_fen), 0) FROM rail_accounts)::text AS balances,
               (SELECT coalesce(sum(amount_fen), 0) FROM rail_entries)::text AS entries
      `.execute(trx);
      const drifted = await sql<{ account_id: string }>`
        SELECT a.account_id FROM rail_accounts a LEFT JOIN rail_entries e ON e.account_id = a.account_id
         GROUP BY a.account_id, a.balance_fen HAVING a.balance_fen <> coalesce(sum(e.amount_fen), 0) ORDER BY 1
      `.execute(trx);
      const unbalanced = await sql<{ transfer_id: string }>`
        SELECT transfer_id FROM rail_entries GROUP BY transfer_id HAVING sum(amount_fen) <> 0 ORDER BY 1
      `.execute(trx);
      const t = totals.rows[0]!;
      return {
        accounts: Number(t.accounts),
        transfers: Number(t.transfers),
        balancesTotal: Number(t.balances),
        entriesTotal: Number(t.entries),
        driftedAccounts: drifted.rows.map((r) => r.account_id),
        unbalancedTransfers: unbalanced.rows.map((r) => r.transfer_id),
      };
    });
