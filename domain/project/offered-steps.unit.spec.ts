import { evolve } from './evolve';
import { decide } from './decide';
import { initialState, type ProjectState } from './state';
import { offeredPayments, offeredSteps } from './offered-steps';
import { c, HISTORIES, history, STEPS, T, wan, who } from './project.fixtures';
import type { ProjectEvent } from './events';
import type { ProjectCommand } from './commands';

const stateOf = (events: readonly ProjectEvent[]): ProjectState => events.reduce(evolve, initialState());
const types = (a: Parameters<typeof offeredSteps>[0], s: ProjectState) => offeredSteps(a, s).map((o) => o.type);

describe('offeredSteps: what a person may do to a project now, by the decider’s own rules', () => {
  it('given a proposal: the township reviewer may approve or reject it; its proposer, finance and another county may not', () => {
    const s = stateOf(HISTORIES.proposed);
    expect(types(who.townshipReviewer, s)).toEqual(['SetPerformanceTarget', 'ApproveAtTownship', 'RejectProject']);
    // The proposer may amend the target and nothing else: separation of duties.
    expect(types(who.proposer, s)).toEqual(['SetPerformanceTarget']);
    expect(types(who.finance, s)).toEqual([]);
    expect(types(who.otherCountyOfficial, s)).toEqual([]);
    expect(types(who.approver, s)).toEqual(['SetPerformanceTarget', 'CancelProject']);
  });

  it('given a township review: the county official approves, rejects or cancels; the inspector records findings only', () => {
    const s = stateOf(HISTORIES['township-reviewed']);
    expect(types(who.approver, s)).toEqual(['SetPerformanceTarget', 'RejectProject', 'ApproveAtCounty', 'CancelProject']);
    expect(types(who.inspector, s)).toEqual(['RecordAuditFinding']);
  });

  it('given a project in the library: finance funds it; in notice, objections and entry to the library', () => {
    expect(types(who.finance, stateOf(HISTORIES['in-library']))).toEqual(['RecordFunding']);
    expect(types(who.approver, stateOf(HISTORIES['in-notice']))).toEqual(['SetPerformanceTarget', 'RaiseObjection', 'EnterLibrary', 'CancelProject']);
  });

  it('given works under way: finance may pay; the approver may not accept a completed project, another official may', () => {
    expect(types(who.finance, stateOf(HISTORIES['under-construction']))).toEqual(['RecordPayment']);
    const completed = stateOf(HISTORIES.completed);
    expect(types(who.approver, completed)).not.toContain('AcceptProject');
    expect(types(who.acceptor, completed)).toContain('AcceptProject');
  });

  it('remediation is offered only with an open finding, verification only with a remediated one', () => {
    const settled = [...STEPS.accepted, c.settle()];
    expect(types(who.approver, stateOf(history(settled)))).not.toContain('RemediateFinding');
    const found = stateOf(history([...settled, c.finding()]));
    expect(types(who.approver, found)).toContain('RemediateFinding');
    expect(types(who.auditor, found)).not.toContain('VerifyRemediation');
    expect(types(who.auditor, stateOf(history([...settled, c.finding(), c.remediate()])))).toContain('VerifyRemediation');
  });

  it('nothing on a project at rest or unknown', () => {
    expect(types(who.approver, stateOf(HISTORIES.closed))).toEqual([]);
    expect(types(who.approver, initialState())).toEqual([]);
  });
});

describe('offeredPayments: each milestone kind’s room, by the rule a payment is decided by', () => {
  const payAccepted = (s: ProjectState, cmd: ProjectCommand): boolean => decide(cmd, s).ok;

  it('under construction, before any payment: the advance may pay 30% of the contract; progress waits for a milestone; settlement for acceptance', () => {
    const s = stateOf(HISTORIES['under-construction']);
    const rooms = offeredPayments(s, T.start);
    expect(rooms.find((r) => r.milestone === 'advance')).toEqual({ milestone: 'advance', ok: true, capFen: wan(31.5), paidFen: 0, roomFen: wan(31.5) });
    expect(rooms.find((r) => r.milestone === 'progress')).toMatchObject({ ok: false, refusal: { code: 'PAYMENT_MILESTONE_REQUIRED' } });
    expect(rooms.find((r) => r.milestone === 'settlement')).toMatchObject({ ok: false, refusal: { code: 'PAYMENT_SETTLEMENT_BEFORE_ACCEPTANCE' } });
    // The room is exactly what the decider accepts: one fen more is refused.
    expect(payAccepted(s, c.pay({ paymentId: 'p1', milestone: 'advance', amount: wan(31.5) }, T.start))).toBe(true);
    expect(payAccepted(s, c.pay({ paymentId: 'p1', milestone: 'advance', amount: (wan(31.5) + 1) as never }, T.start))).toBe(false);
  });

  it('after part of the advance: the room is what is left; a reported milestone offers progress up to 90% of the work done (the template), the advance set off', () => {
    const paid = stateOf(history([...STEPS['under-construction'], c.pay({ paymentId: 'p1', milestone: 'advance', amount: wan(10) }, T.start)]));
    expect(offeredPayments(paid, T.start).find((r) => r.milestone === 'advance')).toMatchObject({ ok: true, paidFen: wan(10), roomFen: wan(21.5) });
    const reported = stateOf(
      history([...STEPS['under-construction'], c.pay({ paymentId: 'p1', milestone: 'advance', amount: wan(31.5) }, T.start), c.milestone('ms-50', 5000, T.m1)]),
    );
    // 50% of the 105万 contract is 52.5万 of work; 90% of it may be paid before acceptance: 47.25万, less the 31.5万 advance.
    expect(offeredPayments(reported, T.m1).find((r) => r.milestone === 'progress')).toEqual({
      milestone: 'progress',
      milestoneId: 'ms-50',
      ok: true,
      capFen: wan(47.25),
      paidFen: wan(31.5),
      roomFen: wan(15.75),
    });
    const progress = (amount: number) => c.pay({ paymentId: 'p2', milestone: 'progress', milestoneId: 'ms-50', amount: amount as never }, T.m1);
    expect(payAccepted(reported, progress(wan(15.75)))).toBe(true);
    expect(payAccepted(reported, progress(wan(15.75) + 1))).toBe(false);
  });

  it('nothing for a project that does not exist', () => {
    expect(offeredPayments(initialState(), T.start)).toEqual([]);
  });
});
