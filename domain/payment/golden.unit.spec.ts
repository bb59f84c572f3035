import { balanced, type FundBooks } from '../fund';
import { formatWan } from '../shared/money';
import { c, FUND_CENTRAL, FUND_COUNTY, T, wan } from '../project/project.fixtures';
import { appropriate, World } from './ledger.fixtures';

const books = (w: World, id: string) => w.funds[id] as FundBooks;

/**
 * 资金跟着项目走: the whole path of one project, told the way the plan tells it, checked to the fen
 * at every step on both funds and on the project.
 */
describe('Golden: a 嵩县 village road, 3 km, central 60% and county 40%', () => {
  it('advance 30%, progress, settlement after acceptance, 3% retention after the warranty — reconciles to the fen', () => {
    const w = new World();
    w.onFund(appropriate(FUND_CENTRAL, 'central', wan(500)));
    w.onFund(appropriate(FUND_COUNTY, 'county', wan(200)));

    // 3 km × 35万 = 105万 of subsidy, proposed with its 四议两公开 record and a performance target.
    w.onProject(c.propose());
    w.onProject(c.townshipApprove());
    w.onProject(c.countyApprove());
    w.onProject(c.publishNotice());
    w.onProject(c.enterLibrary());

    // Integrated funding: 63万 central (60%), 42万 county (40%).
    expect(w.allocate(FUND_CENTRAL, 'alc-central', wan(63)).ok).toBe(true);
    const second = w.allocate(FUND_COUNTY, 'alc-county', wan(42));
    expect(second.ok && second.projectEvents.map((e) => e.type)).toEqual(['ProjectFundingRecorded', 'ProjectFullyFunded']);
    expect(w.project.status).toBe('funded');

    w.onProject(c.start()); // contract 105万, advance 30%, retention 3%, warranty 12 months
    expect(w.pay({ fundId: FUND_CENTRAL, allocationId: 'alc-central', paymentId: 'pay-advance', milestone: 'advance', amount: wan(31.5) }, T.start).ok).toBe(true);

    // Before acceptance everything paid (the advance included) stays within 90% of the work done:
    // at 50%, 47.25万; at 100%, 94.5万 — the rest waits for acceptance and settlement.
    w.onProject(c.milestone('ms-50', 5000, T.m1));
    const beyond90 = w.pay(
      { fundId: FUND_CENTRAL, allocationId: 'alc-central', paymentId: 'pay-50', milestone: 'progress', milestoneId: 'ms-50', amount: (wan(15.75) + 1) as never },
      T.m1,
    );
    expect(!beyond90.ok && beyond90.error.code).toBe('PAYMENT_EXCEEDS_WORK_DONE');
    expect(w.pay({ fundId: FUND_CENTRAL, allocationId: 'alc-central', paymentId: 'pay-50', milestone: 'progress', milestoneId: 'ms-50', amount: wan(15.75) }, T.m1).ok).toBe(true);
    w.onProject(c.milestone('ms-100', 10_000, T.m2));
    expect(w.pay({ fundId: FUND_CENTRAL, allocationId: 'alc-central', paymentId: 'pay-100c', milestone: 'progress', milestoneId: 'ms-100', amount: wan(15.75) }, T.m2).ok).toBe(
      true,
    );
    expect(w.pay({ fundId: FUND_COUNTY, allocationId: 'alc-county', paymentId: 'pay-100k', milestone: 'progress', milestoneId: 'ms-100', amount: wan(12.75) }, T.m2).ok).toBe(true);

    // No settlement before acceptance.
    const early = w.pay({ fundId: FUND_COUNTY, allocationId: 'alc-county', paymentId: 'pay-settle', milestone: 'settlement', amount: wan(26.1) }, T.complete);
    expect(!early.ok && early.error.code).toBe('PAYMENT_SETTLEMENT_BEFORE_ACCEPTANCE');

    w.onProject(c.complete());
    w.onProject(c.accept());
    w.onProject(c.settle(wan(105)));
    expect(w.project).toMatchObject({ settlementAmount: wan(105), retentionAmount: wan(3.15) });

    // The settlement pays up to 105 − 3.15 = 101.85万 in all (75.75万 paid so far); one fen more would eat the retention.
    const greedy = w.pay({ fundId: FUND_COUNTY, allocationId: 'alc-county', paymentId: 'pay-settle', milestone: 'settlement', amount: (wan(26.1) + 1) as never }, T.settle);
    expect(!greedy.ok && greedy.error.code).toBe('PAYMENT_RETENTION_NOT_HELD');
    expect(w.pay({ fundId: FUND_COUNTY, allocationId: 'alc-county', paymentId: 'pay-settle', milestone: 'settlement', amount: wan(26.1) }, T.settle).ok).toBe(true);

    // The 3% retention waits for the end of the warranty (2018-09-20).
    const tooSoon = w.pay({ fundId: FUND_COUNTY, allocationId: 'alc-county', paymentId: 'pay-retention', milestone: 'retention', amount: wan(3.15) }, T.inWarranty);
    expect(!tooSoon.ok && tooSoon.error.code).toBe('PAYMENT_RETENTION_BEFORE_WARRANTY_END');
    expect(w.pay({ fundId: FUND_COUNTY, allocationId: 'alc-county', paymentId: 'pay-retention', milestone: 'retention', amount: wan(3.15) }, T.warrantyOver).ok).toBe(true);

    w.onProject(c.handOver());
    expect(w.project.status).toBe('closed');

    // To the fen: central paid 63万, county 42万, the contractor 105万, both funds balanced.
    const central = books(w, FUND_CENTRAL);
    const county = books(w, FUND_COUNTY);
    expect({ paid: central.paid, unpaid: central.allocatedUnpaid, available: central.available }).toEqual({ paid: wan(63), unpaid: 0, available: wan(437) });
    expect({ paid: county.paid, unpaid: county.allocatedUnpaid, available: county.available }).toEqual({ paid: wan(42), unpaid: 0, available: wan(158) });
    expect(balanced(central) && balanced(county)).toBe(true);
    const paidToContractor = w.log.filter((l) => l.event.type === 'FundDisbursed').reduce((sum, l) => sum + (l.event.data as { amount: number }).amount, 0);
    expect(formatWan(paidToContractor)).toBe('105万');
    expect(w.project).toMatchObject({ paid: wan(105), paidByKind: { advance: wan(31.5), progress: wan(44.25), settlement: wan(26.1), retention: wan(3.15) } });
  });
});
