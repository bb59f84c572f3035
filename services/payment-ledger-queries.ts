import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';

/** One payment as the payment_ledger read model holds it; what GET /payments returns. */
export interface LedgerPayment {
  readonly paymentId: string;
  readonly fundId: string;
  readonly source: string;
  readonly countyId: string;
  readonly fiscalYear: number;
  readonly projectId: string;
  readonly allocationId: string;
  readonly milestone: string;
  readonly payeeAccount: string;
  readonly householdId: string | null;
  readonly amountFen: number;
  readonly businessDate: string;
  readonly recordedAt: string;
  readonly position: number;
}

export interface LedgerFilter {
  readonly county?: string | undefined;
  readonly fund?: string | undefined;
  readonly project?: string | undefined;
  /** The payee's account. */
  readonly payee?: string | undefined;
  readonly household?: string | undefined;
  /** The fund's fiscal year. */
  readonly year?: number | undefined;
  /** Keyset cursor: the store position of the previous page's last payment. */
  readonly after?: number | undefined;
  readonly limit: number;
}

export interface LedgerPage {
  readonly items: LedgerPayment[];
  readonly next: string | null;
  /** Over every payment the filter selects, not only this page. */
  readonly totals: { readonly payments: number; readonly amountFen: number };
}

const filtered = (db: Kysely<Database>, f: Omit<LedgerFilter, 'after' | 'limit'>) => {
  let q = db.selectFrom('payment_ledger');
  if (f.county) q = q.where('county_id', '=', f.county);
  if (f.fund) q = q.where('fund_id', '=', f.fund);
  if (f.project) q = q.where('project_id', '=', f.project);
  if (f.payee) q = q.where('payee_account', '=', f.payee);
  if (f.household) q = q.where('household_id', '=', f.household);
  if (f.year) q = q.where('fiscal_year', '=', f.year);
  return q;
};

/**
 * Payments in store order, in keyset pages, with the filter's totals (count and fen, summed in SQL as bigint).
 * The page and the totals are read from one snapshot: read in parallel on two connections, a payment
 * projected between the two reads was counted in the totals but missing from the page (seen in CI).
 */
export const listPayments = async (db: Kysely<Database>, f: LedgerFilter): Promise<LedgerPage> =>
  db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => listPaymentsIn(trx, f));

const listPaymentsIn = async (db: Kysely<Database>, f: LedgerFilter): Promise<LedgerPage> => {
  let q = filtered(db, f)
    .select([
      'payment_id',
      'fund_id',
      'source',
      'county_id',
      'fiscal_year',
      'project_id',
      'allocation_id',
      'milestone',
      'payee_account',
      'household_id',
      'amount_fen',
      sql<string>`business_date::text`.as('business_date'),
      'recorded_at',
      'position',
    ])
    .orderBy('position')
    .limit(f.limit + 1);
  if (f.after !== undefined) q = q.where('position', '>', String(f.after));
  const rows = await q.execute();
  const totals = await filtered(db, f)
    .select([sql<string>`count(*)`.as('payments'), sql<string>`coalesce(sum(amount_fen), 0)`.as('fen')])
    .executeTakeFirstOrThrow();
  const items = rows.slice(0, f.limit).map((r): LedgerPayment => ({
    paymentId: r.payment_id,
    fundId: r.fund_id,
    source: r.source,
    countyId: r.county_id,
    fiscalYear: r.fiscal_year,
    projectId: r.project_id,
    allocationId: r.allocation_id,
    milestone: r.milestone,
    payeeAccount: r.payee_account,
    householdId: r.household_id,
    amountFen: Number(r.amount_fen),
    businessDate: r.business_date,
    recordedAt: new Date(r.recorded_at).toISOString(),
    position: Number(r.position),
  }));
  return { items, next: rows.length > f.limit ? String(items[items.length - 1]!.position) : null, totals: { payments: Number(totals.payments), amountFen: Number(totals.fen) } };
};
