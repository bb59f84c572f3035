import { sql, type Transaction } from 'kysely';
import type { FundEvent } from '../../../domain/fund/events';
import type { Database } from '../../database';
import type { StoredEvent } from '../../eventstore/types';
import type { Projection } from '../projection';

interface Delta {
  available: number;
  allocatedUnpaid: number;
  paid: number;
  returned: number;
  frozen?: boolean;
  /** The fund's first and last event in the batch: the row must not have seen the first one yet. */
  firstPosition: number;
  lastPosition: number;
  at: string;
}

const zero = (e: StoredEvent): Delta => ({ available: 0, allocatedUnpaid: 0, paid: 0, returned: 0, firstPosition: e.position, lastPosition: e.position, at: e.recordedAt });

/**
 * One row per fund: appropriated = available + allocated-unpaid + paid + returned, to the fen, as
 * the fund's own decider keeps it. Group by source, county and year in SQL. A batch becomes one
 * insert per new fund and one update for every fund touched, each fund's movements summed.
 */
export const fundBalances: Projection = {
  name: 'fund_balances',
  table: 'fund_balances',
  canHandle: ['FundAppropriated', 'FundAllocated', 'FundAllocationReleased', 'FundDisbursed', 'FundReturned', 'FundFrozen', 'FundUnfrozen'],

  async apply(trx: Transaction<Database>, table: string, events: readonly StoredEvent[]): Promise<void> {
    const t = sql.table(table);
    const deltas = new Map<string, Delta>();
    for (const stored of events) {
      const e = { type: stored.type, data: stored.data } as FundEvent;
      if (e.type === 'FundAppropriated') {
        const d = e.data;
        // A fund's first event; a second delivery finds the row and changes nothing.
        await sql`
          INSERT INTO ${t} (fund_id, source, county_id, fiscal_year, document_number, appropriated_fen, available_fen, allocated_unpaid_fen, paid_fen, returned_fen, last_event_position, updated_at)
          VALUES (${d.fundId}, ${d.source}, ${d.countyId}, ${d.fiscalYear}, ${d.documentNumber}, ${d.amount}, ${d.amount}, 0, 0, 0, ${stored.position}, ${stored.recordedAt}::timestamptz)
          ON CONFLICT (fund_id) DO NOTHING`.execute(trx);
        continue;
      }
      const delta = deltas.get(e.data.fundId) ?? zero(stored);
      delta.lastPosition = stored.position;
      delta.at = stored.recordedAt;
      switch (e.type) {
        case 'FundAllocated':
          delta.available -= e.data.amount;
          delta.allocatedUnpaid += e.data.amount;
          break;
        case 'FundAllocationReleased':
          delta.available += e.data.amount;
          delta.allocatedUnpaid -= e.data.amount;
          break;
        case 'FundDisbursed':
          delta.allocatedUnpaid -= e.data.amount;
          delta.paid += e.data.amount;
          break;
        case 'FundReturned':
          delta.available -= e.data.amount;
          delta.returned += e.data.amount;
          break;
        case 'FundFrozen':
          delta.frozen = true;
          break;
        case 'FundUnfrozen':
          delta.frozen = false;
          break;
      }
      deltas.set(e.data.fundId, delta);
    }
    if (deltas.size === 0) return;
    // One statement for the batch, from arrays; a null `frozen` keeps the row's.
    const ds = [...deltas.entries()];
    const col = (f: (d: Delta) => number) => ds.map(([, d]) => f(d));
    await sql`
      UPDATE ${t} SET
        available_fen = available_fen + m.available,
        allocated_unpaid_fen = allocated_unpaid_fen + m.unpaid,
        paid_fen = paid_fen + m.paid,
        returned_fen = returned_fen + m.returned,
        frozen = coalesce(m.frozen, ${t}.frozen),
        last_event_position = m.last,
        updated_at = m.at
      FROM unnest(${ds.map(([id]) => id)}::text[], ${col((d) => d.available)}::bigint[], ${col((d) => d.allocatedUnpaid)}::bigint[], ${col((d) => d.paid)}::bigint[],
                  ${col((d) => d.returned)}::bigint[], ${ds.map(([, d]) => d.frozen ?? null)}::boolean[], ${col((d) => d.firstPosition)}::bigint[],
                  ${col((d) => d.lastPosition)}::bigint[], ${ds.map(([, d]) => d.at)}::timestamptz[])
        AS m(fund_id, available, unpaid, paid, returned, frozen, first, last, at)
      WHERE ${t}.fund_id = m.fund_id AND ${t}.last_event_position < m.first`.execute(trx);
  },
};
