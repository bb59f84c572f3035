import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { railDb, trialBalance } from '../infra/payment-rail';

/** One payment seen on one side, or on both with different amounts. */
export interface ReconciliationItem {
  /** The rail's idempotency key, which is the books' payment id. */
  readonly paymentKey: string;
  readonly railFen: number | null;
  readonly booksFen: number | null;
  /** The fund paid from, as the side that knows it says. */
  readonly fundId: string | null;
}

export interface RailReconciliation {
  readonly ok: boolean;
  readonly asOf: string;
  readonly rail: { readonly confirmed: number; readonly amountFen: number };
  readonly books: { readonly payments: number; readonly amountFen: number };
  /** Confirmed by the rail, not in the books (money left and no record says so): what a freeze used to cause. */
  readonly paidNotBooked: readonly ReconciliationItem[];
  /** In the books, not confirmed by the rail (a record without money): the books claim what was not paid. */
  readonly bookedNotPaid: readonly ReconciliationItem[];
  /** On both sides with different amounts. */
  readonly amountsDiffer: readonly ReconciliationItem[];
  /** Confirmed within the grace period and not yet booked: a payment being recorded right now, not a mismatch. */
  readonly inFlight: readonly ReconciliationItem[];
  /** Still pending at the rail: neither paid nor refused yet. */
  readonly pendingAtRail: number;
  /** The rail's own double entry: every balance and every transfer sums to zero. */
  readonly railBalanced: boolean;
}

const fundOfAccount = (account: string): string | null => (account.startsWith('treasury:') ? account.slice('treasury:'.length) : null);

/**
 * Rail against books: every transfer the rail has confirmed is a `FundDisbursed` in the store
 * under the same key, for the same amount, and every `FundDisbursed` is a confirmed transfer. Read
 * from the store (not a read model, which may lag) and from the rail's ledger, each in one snapshot.
 * A payment confirmed less than `graceMs` ago and not yet booked is in flight, listed apart; run it
 * on demand (`tuopin rail reconcile`), on a schedule, and at the end of the tests and the demo.
 */
export const reconcileRailWithBooks = async (db: Kysely<Database>, opts: { readonly graceMs?: number; readonly now?: Date } = {}): Promise<RailReconciliation> => {
  const now = opts.now ?? new Date();
  const graceStart = new Date(now.getTime() - (opts.graceMs ?? 60_000));
  const rail = await railDb(db)
    .selectFrom('rail_instructions')
    .select(['idempotency_key', 'amount_fen', 'from_account', 'state', 'settled_at'])
    .where('state', 'in', ['confirmed', 'pending'])
    .execute();
  const { rows: booked } = await sql<{ payment_id: string; amount: string; fund_id: string }>`
    SELECT data->>'paymentId' AS payment_id, data->>'amount' AS amount, data->>'fundId' AS fund_id
      FROM events WHERE type = 'FundDisbursed'`.execute(db);
  const books = new Map(booked.map((b) => [b.payment_id, { fen: Number(b.amount), fundId: b.fund_id }]));
  const confirmed = rail.filter((r) => r.state === 'confirmed');
  const paid = new Map(confirmed.map((r) => [r.idempotency_key, r]));
  const paidNotBooked: ReconciliationItem[] = [];
  const inFlight: ReconciliationItem[] = [];
  const amountsDiffer: ReconciliationItem[] = [];
  for (const r of confirmed) {
    const b = books.get(r.idempotency_key);
    const item = { paymentKey: r.idempotency_key, railFen: Number(r.amount_fen), booksFen: b?.fen ?? null, fundId: b?.fundId ?? fundOfAccount(r.from_account) };
    if (b === undefined) (r.settled_at !== null && r.settled_at > graceStart ? inFlight : paidNotBooked).push(item);
    else if (b.fen !== Number(r.amount_fen)) amountsDiffer.push(item);
  }
  const bookedNotPaid = [...books].filter(([key]) => !paid.has(key)).map(([key, b]) => ({ paymentKey: key, railFen: null, booksFen: b.fen, fundId: b.fundId }));
  const trial = await trialBalance(db);
  const railBalanced = trial.balancesTotal === 0 && trial.entriesTotal === 0 && trial.driftedAccounts.length === 0 && trial.unbalancedTransfers.length === 0;
  const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);
  return {
    ok: paidNotBooked.length === 0 && bookedNotPaid.length === 0 && amountsDiffer.length === 0 && railBalanced,
    asOf: now.toISOString(),
    rail: { confirmed: confirmed.length, amountFen: sum(confirmed.map((r) => Number(r.amount_fen))) },
    books: { payments: books.size, amountFen: sum([...books.values()].map((b) => b.fen)) },
    paidNotBooked,
    bookedNotPaid,
    amountsDiffer,
    inFlight,
    pendingAtRail: rail.length - confirmed.length,
    railBalanced,
  };
};
