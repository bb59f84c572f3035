import { ev, FUND, PROJECT, wan } from './fund.fixtures';
import { fundFlow, type PositionedFundEvent } from './flow';
import type { FundEvent } from './events';
import type { Fen } from '../shared/money';

const at = (events: FundEvent[]): PositionedFundEvent[] => events.map((e, i) => ({ ...e, position: 100 + i }) as PositionedFundEvent);
const paidTo = (amount: number, paymentId: string, payee: string, householdId?: string, allocationId = 'alc-1'): FundEvent => {
  const e = ev.disbursed(amount as Fen, paymentId, allocationId);
  return { ...e, data: { ...e.data, payee, ...(householdId ? { householdId } : {}) } } as FundEvent;
};

describe('fundFlow: where a fund went, from its own stream', () => {
  it('follows appropriation → allocations → payments → payees, each payment keeping the source, and reconciles to the fen', () => {
    const flow = fundFlow(
      at([
        ev.appropriated(wan(100)),
        ev.allocated(wan(30), 'alc-1'),
        ev.allocated(wan(20), 'alc-2'),
        paidTo(wan(9), 'pay-1', 'acct-contractor-1'),
        paidTo(333, 'pay-2', 'acct-farmer-1', 'hh-song-00042'),
        paidTo(wan(5), 'pay-3', 'acct-contractor-1', undefined, 'alc-2'),
        ev.released(wan(15), 'alc-2'),
        ev.returned(wan(10)),
      ]),
    )!;
    expect(flow.fundId).toBe(FUND);
    expect(flow.appropriation).toMatchObject({ source: 'central', amount: wan(100), position: 100 });
    expect(flow.allocations.map((a) => [a.allocationId, a.projectId, a.allocated, a.released, a.paid, a.unpaid])).toEqual([
      ['alc-1', PROJECT, wan(30), 0, wan(9) + 333, wan(30) - wan(9) - 333],
      ['alc-2', PROJECT, wan(20), wan(15), wan(5), 0],
    ]);
    expect(flow.allocations.flatMap((a) => a.payments.map((p) => [p.paymentId, p.source, p.position]))).toEqual([
      ['pay-1', 'central', 103],
      ['pay-2', 'central', 104],
      ['pay-3', 'central', 105],
    ]);
    expect(flow.payees).toEqual([
      { payee: 'acct-contractor-1', amount: wan(14), payments: 2, households: [], projects: [PROJECT] },
      { payee: 'acct-farmer-1', amount: 333, payments: 1, households: ['hh-song-00042'], projects: [PROJECT] },
    ]);
    expect(flow.totals).toEqual({
      appropriated: wan(100),
      available: wan(100) - wan(30) - wan(20) + wan(15) - wan(10),
      allocatedUnpaid: wan(30) - wan(9) - 333,
      paid: wan(14) + 333,
      returned: wan(10),
    });
    expect(flow.checks.every((c) => c.holds)).toBe(true);
    expect(flow.reconciled).toBe(true);
  });

  it('a frozen fund says so; no stream (or no appropriation) is no flow', () => {
    expect(fundFlow(at([ev.appropriated(), ev.frozen()]))?.frozen).toBe(true);
    expect(fundFlow(at([ev.appropriated(), ev.frozen(), ev.unfrozen()]))?.frozen).toBe(false);
    expect(fundFlow([])).toBeNull();
  });

  it('a payment against an allocation the stream never made is caught: payments no longer add up to paid', () => {
    const flow = fundFlow(at([ev.appropriated(wan(100)), ev.allocated(wan(30), 'alc-1'), paidTo(wan(1), 'pay-x', 'acct-x', undefined, 'alc-9')]))!;
    expect(flow.reconciled).toBe(false);
    expect(flow.checks.find((c) => !c.holds)).toMatchObject({ rule: 'payments add up to paid', left: 0, right: wan(1) });
  });
});
