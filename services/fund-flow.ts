import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { readStream, streamId } from '../infra/eventstore';
import { fundFlow, type FundFlow, type PositionedFundEvent } from '../domain/fund';

/** Where a fund's money went (domain/fund/flow.ts), from the fund's own stream; null when there is no such fund. */
export const readFundFlow = async (db: Kysely<Database>, fundId: string): Promise<FundFlow | null> => {
  const events = await readStream(db, streamId('fund', fundId));
  return fundFlow(events.map((e) => ({ type: e.type, data: e.data, position: e.position }) as PositionedFundEvent));
};

/** The most allocations one page of a fund's flow may hold (GET /funds/:id/flow?limit=). */
export const FLOW_PAGE_MAX = 500;

export interface FundFlowPage extends FundFlow {
  /** Allocations of the whole fund; the page holds at most `limit` of them. */
  readonly allocationCount: number;
  /** The allocation id to ask `after` for the next page, or null on the last. */
  readonly next: string | null;
}

/**
 * One page of the flow: up to `limit` allocations (in the order they were made) after the one
 * named, with their payments, and the payees those payments reached. The appropriation, returns,
 * totals and the checks are the whole fund's on every page: they are what the pages add up to.
 */
export const readFundFlowPage = async (
  db: Kysely<Database>,
  fundId: string,
  page: { readonly limit: number; readonly after?: string | undefined },
): Promise<FundFlowPage | null> => {
  const flow = await readFundFlow(db, fundId);
  if (!flow) return null;
  const at = page.after === undefined ? -1 : flow.allocations.findIndex((a) => a.allocationId === page.after);
  // A cursor naming no allocation of this fund is past the end, not the start again.
  const start = page.after === undefined ? 0 : at < 0 ? flow.allocations.length : at + 1;
  const allocations = flow.allocations.slice(start, start + page.limit);
  const more = start + page.limit < flow.allocations.length;
  const paged = start > 0 || more;
  const reached = new Set(allocations.flatMap((a) => a.payments.map((p) => p.payee)));
  return {
    ...flow,
    allocations,
    payees: paged ? flow.payees.filter((p) => reached.has(p.payee)) : flow.payees,
    allocationCount: flow.allocations.length,
    next: more ? (allocations.at(-1)?.allocationId ?? null) : null,
  };
};
