import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../infra/database';
import type { FundBalancesTable } from '../infra/projections/fund-balances/fund-balances.table';
import type { Page } from './page';

/** A fund's balances as the fund_balances read model holds them; what GET /funds returns and `tuopin fund list` prints. */
export interface FundBalance {
  readonly fundId: string;
  readonly source: string;
  readonly countyId: string;
  readonly fiscalYear: number;
  readonly documentNumber: string;
  readonly appropriatedFen: number;
  readonly availableFen: number;
  readonly allocatedUnpaidFen: number;
  readonly paidFen: number;
  readonly returnedFen: number;
  readonly frozen: boolean;
  readonly lastEventPosition: number;
}

export interface FundFilter {
  readonly county?: string | undefined;
  readonly source?: string | undefined;
  readonly year?: number | undefined;
  /** Keyset cursor: the last fund id of the previous page. */
  readonly after?: string | undefined;
  readonly limit: number;
}

export type FundSums = Pick<FundBalance, 'appropriatedFen' | 'availableFen' | 'allocatedUnpaidFen' | 'paidFen' | 'returnedFen'> & { readonly funds: number };

const balanceOf = (r: Selectable<FundBalancesTable>): FundBalance => ({
  fundId: r.fund_id,
  source: r.source,
  countyId: r.county_id,
  fiscalYear: r.fiscal_year,
  documentNumber: r.document_number,
  appropriatedFen: Number(r.appropriated_fen),
  availableFen: Number(r.available_fen),
  allocatedUnpaidFen: Number(r.allocated_unpaid_fen),
  paidFen: Number(r.paid_fen),
  returnedFen: Number(r.returned_fen),
  frozen: r.frozen,
  lastEventPosition: Number(r.last_event_position),
});

const filtered = (db: Kysely<Database>, f: Omit<FundFilter, 'limit' | 'after'>) => {
  let query = db.selectFrom('fund_balances');
  if (f.county) query = query.where('county_id', '=', f.county);
  if (f.year) query = query.where('fiscal_year', '=', f.year);
  if (f.source) query = query.where('source', '=', f.source);
  return query;
};

/** One keyset page of fund balances in fund id order. */
export const listFunds = async (db: Kysely<Database>, f: FundFilter): Promise<Page<FundBalance>> => {
  let query = filtered(db, f)
    .selectAll()
    .orderBy('fund_id')
    .limit(f.limit + 1);
  if (f.after) query = query.where('fund_id', '>', f.after);
  const rows = await query.execute();
  const items = rows.slice(0, f.limit).map(balanceOf);
  return { items, next: rows.length > f.limit ? items[items.length - 1]!.fundId : null };
};

export const getFundBalance = async (db: Kysely<Database>, fundId: string): Promise<FundBalance | null> => {
  const row = await db.selectFrom('fund_balances').selectAll().where('fund_id', '=', fundId).executeTakeFirst();
  return row ? balanceOf(row) : null;
};

/** The sums selected for a filter, in numeric so no sum can overflow. */
const SUMS = (() => {
  const s = (c: string) => sql<string>`coalesce(sum(${sql.ref(c)}::numeric), 0)::text`;
  return [
    sql<string>`count(*)::text`.as('funds'),
    s('appropriated_fen').as('appropriated'),
    s('available_fen').as('available'),
    s('allocated_unpaid_fen').as('allocated_unpaid'),
    s('paid_fen').as('paid'),
    s('returned_fen').as('returned'),
  ] as const;
})();

const sumsOf = (r: { funds: string; appropriated: string; available: string; allocated_unpaid: string; paid: string; returned: string }): FundSums => ({
  funds: Number(r.funds),
  appropriatedFen: Number(r.appropriated),
  availableFen: Number(r.available),
  allocatedUnpaidFen: Number(r.allocated_unpaid),
  paidFen: Number(r.paid),
  returnedFen: Number(r.returned),
});

/** The database's own sums over the same filter: a check on totals added up row by row. */
export const sumFunds = async (db: Kysely<Database>, f: Omit<FundFilter, 'limit' | 'after'>): Promise<FundSums> =>
  sumsOf(await filtered(db, f).select(SUMS).executeTakeFirstOrThrow());

/** What fund totals can be grouped by. */
export const FUND_DIMENSIONS = ['source', 'county', 'year'] as const;
export type FundDimension = (typeof FUND_DIMENSIONS)[number];

export interface FundGroup extends FundSums {
  readonly source?: string;
  readonly countyId?: string;
  readonly fiscalYear?: number;
}

const DIMENSION_COLUMN = { source: 'source', county: 'county_id', year: 'fiscal_year' } as const;

/**
 * Fund balances summed by source, county and/or year (the city office's view of where the money
 * stands), with the grand total over the same filter from the same snapshot: the groups add up to
 * it to the fen, which the caller can check.
 */
export const fundTotals = async (db: Kysely<Database>, f: Omit<FundFilter, 'limit' | 'after'>, by: readonly FundDimension[]): Promise<{ groups: FundGroup[]; total: FundSums }> =>
  db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const columns = by.map((d) => DIMENSION_COLUMN[d]);
      let q = filtered(trx, f).select([...columns, ...SUMS]);
      for (const c of columns) q = q.groupBy(c).orderBy(c);
      const rows = await q.execute();
      const groups = rows.map((r) => ({
        ...(by.includes('source') ? { source: r.source } : {}),
        ...(by.includes('county') ? { countyId: r.county_id } : {}),
        ...(by.includes('year') ? { fiscalYear: r.fiscal_year } : {}),
        ...sumsOf(r),
      }));
      return { groups, total: await sumFunds(trx, f) };
    });
