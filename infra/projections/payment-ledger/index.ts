import { sql, type Transaction } from 'kysely';
import type { FundAppropriated, FundDisbursed } from '../../../domain/fund/events';
import type { Database } from '../../database';
import { readStream } from '../../eventstore/read';
import type { StoredEvent } from '../../eventstore/types';
import type { Projection } from '../projection';

interface FundFacts {
  source: string;
  countyId: string;
  fiscalYear: number;
}

/**
 * The fund's source, county and year, from its first event (FundAppropriated), which no later event
 * changes: read from the store, so a payment row never depends on another read model's progress.
 */
const fundFacts = async (trx: Transaction<Database>, fundIds: readonly string[]): Promise<Map<string, FundFacts>> => {
  const facts = new Map<string, FundFacts>();
  for (const fundId of fundIds) {
    const [first] = await readStream(trx, `fund-${fundId}`, { limit: 1 });
    if (!first || first.type !== 'FundAppropriated') throw new Error(`fund ${fundId} has no appropriation as its first event`);
    const d = first.data as FundAppropriated['data'];
    facts.set(fundId, { source: d.source, countyId: d.countyId, fiscalYear: d.fiscalYear });
  }
  return facts;
};

/**
 * One row per payment (FundDisbursed, the books' side of a payment the rail confirmed): which fund
 * (source, county, fiscal year), which project, allocation and milestone, the payee's account and
 * the household it was paid for (the event's own fields), the amount in fen, the business date and the store position. Its sum per fund is the
 * fund's `paid_fen` in fund_balances, to the fen: both are the same events.
 */
export const paymentLedger: Projection = {
  name: 'payment_ledger',
  table: 'payment_ledger',
  canHandle: ['FundDisbursed'],

  async apply(trx: Transaction<Database>, table: string, events: readonly StoredEvent[]): Promise<void> {
    const paid = events.map((e) => ({ stored: e, data: e.data as FundDisbursed['data'] }));
    const facts = await fundFacts(trx, [...new Set(paid.map((p) => p.data.fundId))]);
    const rows = paid.map(({ stored, data }) => {
      const f = facts.get(data.fundId)!;
      return [
        data.paymentId,
        stored.eventId,
        data.fundId,
        f.source,
        f.countyId,
        f.fiscalYear,
        data.projectId,
        data.allocationId,
        data.milestone,
        data.payee,
        data.householdId ?? null,
        data.amount,
        stored.metadata.businessDate,
        stored.recordedAt,
        stored.position,
      ] as const;
    });
    if (rows.length === 0) return;
    const col = (k: number) => rows.map((r) => r[k]);
    // One statement for the batch, from arrays; a payment already in the table (its id is the rail's key) stays as first recorded.
    await sql`
      INSERT INTO ${sql.table(table)} (payment_id, event_id, fund_id, source, county_id, fiscal_year, project_id, allocation_id, milestone, payee_account, household_id, amount_fen, business_date, recorded_at, position)
      SELECT * FROM unnest(${col(0)}::text[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::text[], ${col(4)}::text[], ${col(5)}::integer[], ${col(6)}::text[], ${col(7)}::text[],
                           ${col(8)}::text[], ${col(9)}::text[], ${col(10)}::text[], ${col(11)}::bigint[], ${col(12)}::date[], ${col(13)}::timestamptz[], ${col(14)}::bigint[])
      ON CONFLICT (payment_id) DO NOTHING`.execute(trx);
  },
};
