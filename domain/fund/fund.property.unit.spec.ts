import fc from 'fast-check';
import { decide } from './decide';
import { evolve } from './evolve';
import { balanced, initialState, type FundState } from './state';
import { auditor, cityOffice, finance, FUND, official, PROJECT } from './fund.fixtures';
import type { FundCommand } from './commands';
import { meta } from '../shared/fixtures';
import type { Fen } from '../shared/money';

const NOW = '2017-03-01T09:00:00+08:00';
const actors = [finance, finance, finance, official, cityOffice, auditor];
const allocationIds = ['alc-1', 'alc-2', 'alc-3'];
const amount = fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.constantFrom(0, 1, 999, 1_000, 1_001)).map((n) => n as Fen);

const command: fc.Arbitrary<FundCommand> = fc
  .record({
    kind: fc.constantFrom('appropriate', 'allocate', 'release', 'releaseAll', 'disburse', 'return', 'freeze', 'unfreeze'),
    actor: fc.constantFrom(...actors),
    amount,
    allocationId: fc.constantFrom(...allocationIds),
    paymentId: fc.constantFrom('pay-1', 'pay-2', 'pay-3', 'pay-4'),
    category: fc.constantFrom('transport' as const, 'health' as const),
  })
  .map(({ kind, actor, amount, allocationId, paymentId, category }): FundCommand => {
    const m = meta(actor, NOW);
    switch (kind) {
      case 'appropriate':
        return {
          type: 'AppropriateFund',
          data: { fundId: FUND, source: 'county', fiscalYear: 2017, countyId: 'song', documentNumber: 'd-1', amount: (amount + 1_000) as Fen, earmark: ['transport'] },
          meta: m,
        };
      case 'allocate':
        return { type: 'AllocateFund', data: { fundId: FUND, allocationId, projectId: PROJECT, projectCountyId: 'song', category, amount }, meta: m };
      case 'release':
        return { type: 'ReleaseAllocation', data: { fundId: FUND, allocationId, amount, reason: 'r' }, meta: m };
      case 'releaseAll':
        return { type: 'ReleaseAllocation', data: { fundId: FUND, allocationId, reason: 'r' }, meta: m };
      case 'disburse':
        return { type: 'DisburseFund', data: { fundId: FUND, allocationId, paymentId, milestone: 'progress', payee: 'acct-1', amount }, meta: m };
      case 'return':
        return { type: 'ReturnFund', data: { fundId: FUND, amount, reason: 'r' }, meta: m };
      case 'freeze':
        return { type: 'FreezeFund', data: { fundId: FUND, reason: 'r' }, meta: m };
      default:
        return { type: 'UnfreezeFund', data: { fundId: FUND, reason: 'r' }, meta: m };
    }
  });

const check = (before: FundState, after: FundState) => {
  if (after.status === 'none') return;
  expect(balanced(after)).toBe(true);
  for (const a of Object.values(after.allocations)) {
    expect(a.paid).toBeLessThanOrEqual(a.amount);
    expect(a.amount).toBeGreaterThanOrEqual(0);
    expect(['transport']).toContain(a.category);
  }
  // Nothing is allocated or paid while frozen.
  if (before.status === 'frozen') {
    expect(after.paid).toBe(before.paid);
    expect(Object.keys(after.allocations)).toEqual(Object.keys(before.allocations));
  }
  // Auditors and the city office never change money.
};

describe('Fund invariant under random command sequences', () => {
  it('appropriated = available + allocated-unpaid + paid + returned, never negative, never beyond the earmark, frozen funds idle', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 60 }), (commands) => {
        let state = initialState();
        for (const c of commands) {
          const r = decide(c, state);
          if (!r.ok) continue;
          const next = r.events.reduce(evolve, state);
          check(state, next);
          if (c.meta.actor.role === 'auditor' || c.meta.actor.role === 'city-poverty-office') {
            if (state.status !== 'none' && next.status !== 'none')
              expect([next.available, next.paid, next.returned, next.allocatedUnpaid]).toEqual([state.available, state.paid, state.returned, state.allocatedUnpaid]);
          }
          state = next;
        }
      }),
      { numRuns: 500 },
    );
  });
});
