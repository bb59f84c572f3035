import * as fund from '../fund';
import { deciderSpec } from '../shared/testing';
import { meta } from '../shared/fixtures';
import { c, FUND_CENTRAL, FUND_COUNTY, HISTORIES, P, project, STEPS, T, wan, who } from '../project/project.fixtures';
import { appropriate, World } from './ledger.fixtures';
import { decideAllocation, decidePayment, releaseCommands } from './decide-payment';
import type { ProjectEventOf } from '../project';
import { makeDecide } from '../project/decide';
import { evolveAll } from '../project/evolve';
import { initialState } from '../project/state';
import { PLAN_POLICIES } from '../project/policies';
import { PAYMENT_TEMPLATE_POLICY_V1 } from '../policy/payments';
import { NEGATIVE_LIST_ITEMS } from '../policy/negative-list';

const spec = deciderSpec(project);
const pay = c.pay;

describe('Payment template on the project side', () => {
  const uc = HISTORIES['under-construction'];
  it('an advance within the agreed 30% of the contract', () => {
    spec
      .given(uc)
      .when(pay({ paymentId: 'p1', milestone: 'advance', amount: wan(31.5) }, T.start))
      .thenAccepts();
    spec
      .given(uc)
      .when(pay({ paymentId: 'p1', milestone: 'advance', amount: (wan(31.5) + 1) as never }, T.start))
      .thenRefuses('PAYMENT_ADVANCE_OUT_OF_RANGE');
  });
  it('no advance once progress has been paid', () => {
    const h = [
      ...uc,
      ...spec
        .given(uc)
        .when(c.milestone('ms-1', 2000, T.m1))
        .thenAccepts(),
    ];
    const p = spec
      .given(h)
      .when(pay({ paymentId: 'p1', milestone: 'progress', milestoneId: 'ms-1', amount: wan(10) }, T.m1))
      .thenAccepts();
    spec
      .given([...h, ...p])
      .when(pay({ paymentId: 'p2', milestone: 'advance', amount: wan(10) }, T.m1))
      .thenRefuses('PAYMENT_ADVANCE_TOO_LATE');
  });
  it('no progress payment before the milestone it pays for', () => {
    spec
      .given(uc)
      .when(pay({ paymentId: 'p1', milestone: 'progress', amount: wan(10) }, T.m1))
      .thenRefuses('PAYMENT_MILESTONE_REQUIRED');
    spec
      .given(uc)
      .when(pay({ paymentId: 'p1', milestone: 'progress', milestoneId: 'ms-9', amount: wan(10) }, T.m1))
      .thenRefuses('PAYMENT_MILESTONE_NOT_REPORTED');
  });
  it('progress payments never above 90% of the work done before acceptance (财建〔2004〕369号)', () => {
    const h = [
      ...uc,
      ...spec
        .given(uc)
        .when(c.milestone('ms-1', 2000, T.m1))
        .thenAccepts(),
    ]; // 20% of 105万 = 21万; 90% of that 18.9万
    spec
      .given(h)
      .when(pay({ paymentId: 'p1', milestone: 'progress', milestoneId: 'ms-1', amount: wan(18.9) }, T.m1))
      .thenAccepts();
    spec
      .given(h)
      .when(pay({ paymentId: 'p1', milestone: 'progress', milestoneId: 'ms-1', amount: (wan(18.9) + 1) as never }, T.m1))
      .thenRefuses('PAYMENT_EXCEEDS_WORK_DONE');
    // Version 1 of the template (no progress cap), as a workflow started under it still decides.
    const v1 = { ...PLAN_POLICIES, payments: PAYMENT_TEMPLATE_POLICY_V1 };
    const under = makeDecide(v1)(pay({ paymentId: 'p1', milestone: 'progress', milestoneId: 'ms-1', amount: wan(21) }, T.m1), evolveAll(h, initialState()));
    expect(under.ok).toBe(true);
  });
  it('the advance counts against the 90%: at 50% done, 30% advance leaves 15% to pay', () => {
    const adv = spec
      .given(uc)
      .when(pay({ paymentId: 'p0', milestone: 'advance', amount: wan(31.5) }, T.start))
      .thenAccepts();
    const h = [
      ...uc,
      ...adv,
      ...spec
        .given([...uc, ...adv])
        .when(c.milestone('ms-1', 5000, T.m1))
        .thenAccepts(),
    ];
    spec
      .given(h)
      .when(pay({ paymentId: 'p1', milestone: 'progress', milestoneId: 'ms-1', amount: (wan(15.75) + 1) as never }, T.m1))
      .thenRefuses('PAYMENT_EXCEEDS_WORK_DONE');
    spec
      .given(h)
      .when(pay({ paymentId: 'p1', milestone: 'progress', milestoneId: 'ms-1', amount: wan(15.75) }, T.m1))
      .thenAccepts();
  });
  it('progress payments stop at 90% even at 100% done; the rest waits for acceptance', () => {
    const h = [
      ...uc,
      ...spec
        .given(uc)
        .when(c.milestone('ms-1', 10_000, T.m1))
        .thenAccepts(),
    ];
    const p1 = spec
      .given(h)
      .when(pay({ paymentId: 'p1', milestone: 'progress', milestoneId: 'ms-1', amount: wan(63) }, T.m1))
      .thenAccepts();
    spec
      .given([...h, ...p1])
      .when(pay({ paymentId: 'p2', milestone: 'progress', milestoneId: 'ms-1', allocationId: 'alc-county', amount: (wan(31.5) + 1) as never }, T.m1))
      .thenRefuses('PAYMENT_EXCEEDS_WORK_DONE');
    spec
      .given([...h, ...p1])
      .when(pay({ paymentId: 'p2', milestone: 'progress', milestoneId: 'ms-1', allocationId: 'alc-county', amount: wan(31.5) }, T.m1))
      .thenAccepts();
  });
  it('no settlement payment before acceptance, nor before the settlement is decided', () => {
    for (const s of ['under-construction', 'completed'] as const)
      spec
        .given(HISTORIES[s])
        .when(pay({ paymentId: 'p9', milestone: 'settlement', allocationId: 'alc-county', amount: wan(1) }, T.settle))
        .thenRefuses('PAYMENT_SETTLEMENT_BEFORE_ACCEPTANCE');
    spec
      .given(HISTORIES['in-library'])
      .when(pay({ paymentId: 'p9', milestone: 'settlement', amount: wan(1) }, T.settle))
      .thenRefuses('PAYMENT_SETTLEMENT_BEFORE_ACCEPTANCE');
    spec
      .given(HISTORIES.accepted)
      .when(pay({ paymentId: 'p9', milestone: 'settlement', allocationId: 'alc-county', amount: wan(1) }, T.settle))
      .thenRefuses('PAYMENT_SETTLEMENT_NOT_DECIDED');
  });
  it('no retention release before the warranty ends, nor with a finding open', () => {
    const settledUnpaid = HISTORIES.settled.slice(0, -1);
    const retention = (now: string) => pay({ paymentId: 'p-ret', milestone: 'retention', allocationId: 'alc-county', amount: wan(3.15) }, now);
    spec.given(HISTORIES.accepted).when(retention(T.warrantyOver)).thenRefuses('PAYMENT_RETENTION_BEFORE_WARRANTY_END');
    spec.given(settledUnpaid).when(retention(T.inWarranty)).thenRefuses('PAYMENT_RETENTION_BEFORE_WARRANTY_END');
    const f = spec.given(settledUnpaid).when(c.finding()).thenAccepts();
    spec
      .given([...settledUnpaid, ...f])
      .when(retention(T.warrantyOver))
      .thenRefuses('PAYMENT_OPEN_FINDINGS');
    spec
      .given(settledUnpaid)
      .when(pay({ paymentId: 'p-ret', milestone: 'retention', allocationId: 'alc-county', amount: (wan(3.15) + 1) as never }, T.warrantyOver))
      .thenRefuses('PAYMENT_EXCEEDS_SETTLEMENT');
    spec.given(settledUnpaid).when(retention(T.warrantyOver)).thenAccepts();
  });
  it('never pays from poverty money for any of the nine items on the negative list (财农〔2017〕8号)', () => {
    expect(NEGATIVE_LIST_ITEMS).toHaveLength(9);
    for (const use of NEGATIVE_LIST_ITEMS) {
      spec
        .given(uc)
        .when(pay({ paymentId: 'p1', milestone: 'advance', amount: wan(1), use }, T.start))
        .thenRefuses('PAYMENT_PROHIBITED_USE');
      spec
        .given(uc)
        .when(pay({ paymentId: 'p1', milestone: 'advance', amount: wan(1), use, allocationId: 'alc-county' }, T.start))
        .thenRefuses('PAYMENT_PROHIBITED_USE');
    }
    const r = project.decide(pay({ paymentId: 'p1', milestone: 'advance', amount: wan(1), use: 'bonuses-allowances-and-welfare' }, T.start), evolveAll(uc, initialState()));
    expect(!r.ok && r.error.details).toMatchObject({ source: 'central', item: 'bonuses-allowances-and-welfare', zh: '各种奖金津贴和福利补助' });
  });
  it('a use is an enumerated expenditure kind: free text is refused, so a prohibited use cannot be spelt past the list', () => {
    for (const use of ['project-works', 'Vehicles', '交通工具', 'office-buildings', 'debt-repayment'])
      spec
        .given(uc)
        .when(pay({ paymentId: 'p1', milestone: 'advance', amount: wan(1), use }, T.start))
        .thenRefuses('PAYMENT_USE_UNKNOWN');
  });
  it('the list binds fiscal poverty money, not social donations', () => {
    const social = [
      ...HISTORIES['in-library'],
      ...spec
        .given(HISTORIES['in-library'])
        .when(c.fund('alc-social', 'fund-song-2017-social-01', 'social' as never, wan(105)))
        .thenAccepts(),
    ];
    const started = [...social, ...spec.given(social).when(c.start()).thenAccepts()];
    spec
      .given(started)
      .when(
        pay(
          { paymentId: 'p1', milestone: 'advance', amount: wan(1), use: 'vehicles-and-communication-equipment', allocationId: 'alc-social', fundId: 'fund-song-2017-social-01' },
          T.start,
        ),
      )
      .thenAccepts();
  });
  it('pays only the contractor, only from the project’s own allocations, never beyond one', () => {
    spec
      .given(uc)
      .when(pay({ paymentId: 'p1', milestone: 'advance', amount: wan(1), payee: 'acct-someone-else' }, T.start))
      .thenRefuses('PAYMENT_WRONG_PAYEE');
    spec
      .given(uc)
      .when(pay({ paymentId: 'p1', milestone: 'advance', amount: wan(1), allocationId: 'alc-zzz' }, T.start))
      .thenRefuses('PAYMENT_ALLOCATION_NOT_FOUND');
    spec
      .given(uc)
      .when(pay({ paymentId: 'p1', milestone: 'advance', amount: wan(1), fundId: FUND_COUNTY }, T.start))
      .thenRefuses('PAYMENT_ALLOCATION_NOT_FOUND');
    const h = [
      ...uc,
      ...spec
        .given(uc)
        .when(c.milestone('ms-1', 10_000, T.m1))
        .thenAccepts(),
    ];
    spec
      .given(h)
      .when(pay({ paymentId: 'p1', milestone: 'progress', milestoneId: 'ms-1', amount: (wan(63) + 1) as never }, T.m1))
      .thenRefuses('PAYMENT_EXCEEDS_ALLOCATION');
  });
  it('records the template and negative-list versions it was checked against', () => {
    const [e] = spec
      .given(uc)
      .when(pay({ paymentId: 'p1', milestone: 'advance', amount: wan(10) }, T.start))
      .thenAccepts();
    expect(e).toMatchObject({
      data: {
        policies: [
          { id: 'payment-template', version: 2 },
          { id: 'poverty-fund-negative-list', version: 2 },
        ],
      },
    });
  });
  it('a retried payment id records nothing new', () => {
    const p = spec
      .given(uc)
      .when(pay({ paymentId: 'p1', milestone: 'advance', amount: wan(10) }, T.start))
      .thenAccepts();
    spec
      .given([...uc, ...p])
      .when(pay({ paymentId: 'p1', milestone: 'advance', amount: wan(10) }, T.start))
      .then([]);
  });
  it('only finance records a payment', () => {
    for (const a of [who.approver, who.auditor, who.city, who.proposer])
      spec
        .given(uc)
        .when(pay({ paymentId: 'p1', milestone: 'advance', amount: wan(1) }, T.start, a))
        .thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
  });
});

/** A world at the start of construction: two funds appropriated and allocated, contract signed. */
const started = () => {
  const w = new World();
  w.onFund(appropriate(FUND_CENTRAL, 'central', wan(500)));
  w.onFund(appropriate(FUND_COUNTY, 'county', wan(200)));
  for (const cmd of STEPS['in-library']) w.onProject(cmd);
  w.allocate(FUND_CENTRAL, 'alc-central', wan(63));
  w.allocate(FUND_COUNTY, 'alc-county', wan(42));
  w.onProject(c.start());
  return w;
};

describe('decidePayment across fund and project', () => {
  it('yields one event for each stream', () => {
    const w = started();
    const d = decidePayment(
      { projectId: P, fundId: FUND_CENTRAL, allocationId: 'alc-central', paymentId: 'p1', milestone: 'advance', payee: 'acct-contractor-1', amount: wan(30), use: 'road-works' },
      w.project,
      w.fund(FUND_CENTRAL),
      meta(who.finance, T.start),
    );
    expect(d.ok && [d.fundEvents.map((e) => e.type), d.projectEvents.map((e) => e.type)]).toEqual([['FundDisbursed'], ['ProjectPaymentRecorded']]);
  });
  it('refuses when the fund is frozen, whatever the project says', () => {
    const w = started();
    w.onFund({ type: 'FreezeFund', data: { fundId: FUND_CENTRAL, reason: 'audit' }, meta: meta(who.city, T.start) });
    const d = w.pay({ fundId: FUND_CENTRAL, allocationId: 'alc-central', paymentId: 'p1', milestone: 'advance', amount: wan(30) }, T.start);
    expect(!d.ok && d.error.code).toBe('FUND_FROZEN');
  });
  it('records a payment the rail has confirmed although the fund was frozen after the check', () => {
    const w = started();
    w.onFund({ type: 'FreezeFund', data: { fundId: FUND_CENTRAL, reason: 'audit' }, meta: meta(who.city, T.start) });
    const d = decidePayment(
      {
        projectId: P,
        fundId: FUND_CENTRAL,
        allocationId: 'alc-central',
        paymentId: 'p1',
        milestone: 'advance',
        payee: 'acct-contractor-1',
        amount: wan(30),
        use: 'road-works',
        railConfirmed: true,
      },
      w.project,
      w.fund(FUND_CENTRAL),
      meta(who.finance, T.start),
    );
    expect(d.ok && [d.fundEvents.map((e) => e.type), d.projectEvents.map((e) => e.type)]).toEqual([['FundDisbursed'], ['ProjectPaymentRecorded']]);
  });
  it('is idempotent: the same payment id twice records once', () => {
    const w = started();
    const req = { fundId: FUND_CENTRAL, allocationId: 'alc-central', paymentId: 'p1', milestone: 'advance' as const, amount: wan(30) };
    expect(w.pay(req, T.start).ok).toBe(true);
    const again = w.pay(req, T.start);
    expect(again.ok && again.fundEvents.length + again.projectEvents.length).toBe(0);
    expect((w.funds[FUND_CENTRAL] as fund.FundBooks).paid).toBe(wan(30));
  });
  it('an allocation refused by the fund (earmark) records nothing on the project', () => {
    const w = new World();
    w.onFund(appropriate('fund-song-2017-health-01', 'provincial', wan(500), ['health']));
    for (const cmd of STEPS['in-library']) w.onProject(cmd);
    const d = w.allocate('fund-song-2017-health-01', 'alc-h', wan(10));
    expect(!d.ok && d.error.code).toBe('FUND_CATEGORY_NOT_EARMARKED');
    expect(w.project).toMatchObject({ funded: 0 });
  });
  it('an allocation beyond the budget is refused by the project', () => {
    const w = new World();
    w.onFund(appropriate(FUND_CENTRAL, 'central', wan(500)));
    for (const cmd of STEPS['in-library']) w.onProject(cmd);
    const d = decideAllocation({ projectId: P, fundId: FUND_CENTRAL, allocationId: 'a1', amount: wan(106) }, w.project, w.fund(FUND_CENTRAL), meta(who.finance, T.funding));
    expect(!d.ok && d.error.code).toBe('PROJECT_FUNDING_EXCEEDS_BUDGET');
  });
  it('a cancellation releases every unpaid part back to its fund', () => {
    const w = started();
    w.pay({ fundId: FUND_CENTRAL, allocationId: 'alc-central', paymentId: 'p1', milestone: 'advance', amount: wan(30) }, T.start);
    const [cancelled] = w.onProject(c.cancel(who.approver, T.m1));
    const cmds = releaseCommands(cancelled as ProjectEventOf<'ProjectCancelled'>, meta(who.finance, T.m1));
    for (const cmd of cmds) w.onFund(cmd);
    const central = w.funds[FUND_CENTRAL] as fund.FundBooks;
    const county = w.funds[FUND_COUNTY] as fund.FundBooks;
    expect([central.available, central.allocatedUnpaid, central.paid]).toEqual([wan(470), 0, wan(30)]);
    expect([county.available, county.allocatedUnpaid]).toEqual([wan(200), 0]);
  });
});
