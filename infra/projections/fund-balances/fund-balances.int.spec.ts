import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { appendToStream, readAll } from '../../eventstore';
import { appropriateFund } from '../../../services/appropriate-fund';
import { loadFund } from '../../../activities/fund-streams';
import * as fund from '../../../domain/fund';
import type { Fen } from '../../../domain/shared/money';
import { rebuildProjection } from '../rebuild';
import { fundBalances } from '.';

jest.setTimeout(60_000);

const finance = { userId: 'fin.song.1', role: 'county-finance' as const, countyId: 'song' as const };
const meta = { actor: finance, now: '2017-03-01T09:00:00+08:00' };

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('fundbal');
});
afterAll(async () => {
  await t.drop();
});

/** A seeded walk over allocate / release / disburse / return, each decided on the fund's current state. */
const walk = async (fundId: string, seed: number, steps: number) => {
  // mulberry32: small, seeded, good enough to spread the choices.
  let x = seed >>> 0;
  const rnd = (n: number) => {
    x = (x + 0x6d2b79f5) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((((z ^ (z >>> 14)) >>> 0) / 4294967296) * n) | 0;
  };
  for (let i = 0; i < steps; i++) {
    const { state, version } = await loadFund(t.appDb, fundId);
    if (state.status === 'none') throw new Error('no fund');
    const allocations = Object.entries(state.allocations);
    const pick = allocations[rnd(Math.max(1, allocations.length))];
    const amount = (1 + rnd(3_000_000)) as Fen;
    const candidates: fund.FundCommand[] = [
      {
        type: 'AllocateFund',
        data: { fundId, allocationId: `alc-${seed}-${i}`, projectId: `prj-song-2017-p${seed}x${i}`, projectCountyId: 'song', category: 'transport', amount },
        meta,
      },
      ...(pick
        ? [{ type: 'ReleaseAllocation' as const, data: { fundId, allocationId: pick[0], amount: Math.min(amount, pick[1].amount - pick[1].paid) as Fen, reason: 'test' }, meta }]
        : []),
      ...(pick
        ? [
            {
              type: 'DisburseFund' as const,
              data: {
                fundId,
                allocationId: pick[0],
                paymentId: `pay-${seed}-${i}`,
                milestone: 'progress' as const,
                payee: 'acct-payee-1',
                amount: Math.min(amount, pick[1].amount - pick[1].paid) as Fen,
              },
              meta,
            },
          ]
        : []),
      { type: 'ReturnFund', data: { fundId, amount: Math.min(amount, 500_000) as Fen, reason: 'test' }, meta },
    ];
    const d = fund.decide(candidates[rnd(candidates.length)]!, state);
    if (!d.ok || d.events.length === 0) continue;
    await appendToStream(
      t.appDb,
      `fund-${fundId}`,
      version,
      d.events.map((e, k) => ({
        eventId: `fb-${fundId}-${i}-${k}`,
        type: e.type,
        data: e.data,
        metadata: { actor: finance, countyId: 'song', correlationId: 'c', causationId: 'c', businessDate: '2017-03-01' },
      })),
    );
  }
};

describe('fund_balances', () => {
  it('rebuilt from the store in small batches, reconciles with every fund to the fen', async () => {
    const funds = ['fund-song-2017-fb-a1', 'fund-song-2017-fb-b2', 'fund-song-2017-fb-c3'];
    for (const [n, fundId] of funds.entries()) {
      const r = await appropriateFund(
        t.appDb,
        {
          type: 'AppropriateFund',
          data: {
            fundId,
            source: n === 0 ? 'central' : 'county',
            fiscalYear: 2017,
            countyId: 'song',
            documentNumber: `doc-${n}`,
            amount: (50_000_000 * (n + 1)) as Fen,
            earmark: ['transport'],
          },
          meta,
        },
        { creditTreasury: false },
      );
      expect(r.ok).toBe(true);
    }
    await Promise.all(funds.map((f, n) => walk(f, n + 7, 60)));
    const types = (await readAll(t.appDb, { limit: 10_000 })).events.map((e) => e.type);
    for (const type of ['FundAllocated', 'FundAllocationReleased', 'FundDisbursed', 'FundReturned']) expect(types.filter((x) => x === type).length).toBeGreaterThan(3);
    await rebuildProjection(t.adminDb, fundBalances, { batchSize: 7 });
    const rows = await t.appDb.selectFrom('fund_balances').selectAll().orderBy('fund_id').execute();
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const { state } = await loadFund(t.appDb, row.fund_id);
      if (state.status === 'none') throw new Error('no fund');
      expect(fund.balanced(state)).toBe(true);
      expect({
        appropriated: Number(row.appropriated_fen),
        available: Number(row.available_fen),
        allocatedUnpaid: Number(row.allocated_unpaid_fen),
        paid: Number(row.paid_fen),
        returned: Number(row.returned_fen),
      }).toEqual({ appropriated: state.appropriated, available: state.available, allocatedUnpaid: state.allocatedUnpaid, paid: state.paid, returned: state.returned });
    }
    // By source, county and year: one GROUP BY, and the invariant holds for the group too.
    const bySource = await t.appDb
      .selectFrom('fund_balances')
      .select((eb) => [
        'source',
        eb.fn.sum<string>('appropriated_fen').as('appropriated'),
        eb.fn.sum<string>('available_fen').as('available'),
        eb.fn.sum<string>('allocated_unpaid_fen').as('unpaid'),
        eb.fn.sum<string>('paid_fen').as('paid'),
        eb.fn.sum<string>('returned_fen').as('returned'),
      ])
      .where('county_id', '=', 'song')
      .where('fiscal_year', '=', 2017)
      .groupBy('source')
      .execute();
    for (const g of bySource) expect(Number(g.appropriated)).toBe(Number(g.available) + Number(g.unpaid) + Number(g.paid) + Number(g.returned));
  });
});
