import { deciderSpec } from '../shared/testing';
import { c, HISTORIES, history, P, project, STEPS, T, wan, who } from './project.fixtures';
import { actor } from '../shared/fixtures';
import type { ProjectCommand } from './commands';
import { initialState, PROJECT_STATUSES, type ProjectStatus } from './state';
import { makeDecide } from './decide';
import { evolveAll } from './evolve';
import { PLAN_POLICIES } from './policies';
import { PAYMENT_TEMPLATE_POLICY_V1 } from '../policy/payments';

const spec = deciderSpec(project);
const LATE = '2018-10-01T09:00:00+08:00';
type S = ProjectStatus | 'none';
const EXISTING: readonly ProjectStatus[] = PROJECT_STATUSES;

/**
 * Every command in every state. `ok` lists the states it is accepted in (with the event types it
 * yields); every other existing state refuses it as out of order unless `other` says otherwise;
 * 'none' refuses it as not found.
 */
const MATRIX: { name: string; cmd: ProjectCommand; ok: Partial<Record<S, string[]>>; other?: Partial<Record<S, string>>; none?: string }[] = [
  { name: 'ProposeProject', cmd: c.propose(), ok: { none: ['ProjectProposed'] }, other: Object.fromEntries(EXISTING.map((s) => [s, 'PROJECT_ALREADY_EXISTS'])) },
  {
    name: 'SetPerformanceTarget',
    cmd: c.setTarget(who.proposer, LATE),
    ok: {
      proposed: ['ProjectPerformanceTargetSet'],
      'township-reviewed': ['ProjectPerformanceTargetSet'],
      'county-approved': ['ProjectPerformanceTargetSet'],
      'in-notice': ['ProjectPerformanceTargetSet'],
    },
  },
  { name: 'ApproveAtTownship', cmd: c.townshipApprove(who.townshipReviewer, LATE), ok: { proposed: ['ProjectTownshipApproved'] } },
  {
    name: 'RejectProject (township)',
    cmd: c.reject(who.townshipReviewer, LATE),
    ok: { proposed: ['ProjectRejected'] },
    // Once the township has reviewed, rejection is the county's: a township official may not.
    other: Object.fromEntries(EXISTING.filter((s) => s !== 'proposed').map((s) => [s, 'ACCESS_ROLE_NOT_ALLOWED'])),
  },
  {
    name: 'RejectProject (county)',
    cmd: c.reject(who.approver, LATE),
    ok: { 'township-reviewed': ['ProjectRejected'] },
    // While the township reviews, a county official has no say yet.
    other: { proposed: 'ACCESS_ROLE_NOT_ALLOWED' },
  },
  { name: 'ApproveAtCounty', cmd: c.countyApprove(who.approver, LATE), ok: { 'township-reviewed': ['ProjectCountyApproved'] } },
  { name: 'PublishNotice', cmd: c.publishNotice(who.approver, LATE), ok: { 'county-approved': ['ProjectNoticePublished'] } },
  { name: 'RaiseObjection', cmd: c.object(who.townshipReviewer, LATE), ok: { 'in-notice': ['ProjectObjectionRaised'] } },
  { name: 'EnterLibrary', cmd: c.enterLibrary(who.approver, LATE), ok: { 'in-notice': ['ProjectEnteredLibrary'] } },
  { name: 'RecordFunding', cmd: c.fund('alc-x', 'fund-song-2017-city-01', 'county', wan(10), who.finance, LATE), ok: { 'in-library': ['ProjectFundingRecorded'] } },
  { name: 'StartConstruction', cmd: c.start({}, who.approver, LATE), ok: { funded: ['ProjectConstructionStarted'] } },
  { name: 'ReportMilestone', cmd: c.milestone('ms-x', 5000, LATE), ok: { 'under-construction': ['ProjectMilestoneReported'] } },
  {
    name: 'RecordPayment (advance)',
    cmd: c.pay({ paymentId: 'pay-x', milestone: 'advance', amount: wan(10) }, LATE),
    ok: { 'under-construction': ['ProjectPaymentRecorded'] },
    other: {
      proposed: 'PAYMENT_BEFORE_CONTRACT',
      'township-reviewed': 'PAYMENT_BEFORE_CONTRACT',
      'county-approved': 'PAYMENT_BEFORE_CONTRACT',
      'in-notice': 'PAYMENT_BEFORE_CONTRACT',
      'in-library': 'PAYMENT_BEFORE_CONTRACT',
      funded: 'PAYMENT_BEFORE_CONTRACT',
      completed: 'PAYMENT_ADVANCE_TOO_LATE',
      accepted: 'PAYMENT_ADVANCE_TOO_LATE',
      settled: 'PAYMENT_ADVANCE_TOO_LATE',
    },
  },
  { name: 'CompleteProject', cmd: c.complete(who.approver, LATE), ok: {}, other: { 'under-construction': 'PROJECT_WORK_NOT_FINISHED' } },
  { name: 'AcceptProject', cmd: c.accept(who.acceptor, LATE), ok: { completed: ['ProjectAccepted'] } },
  { name: 'SettleProject', cmd: c.settle(wan(105), who.approver, LATE), ok: { accepted: ['ProjectSettled'] } },
  { name: 'RecordAuditFinding', cmd: c.finding('fnd-x', who.auditor, LATE), ok: Object.fromEntries(EXISTING.map((s) => [s, ['ProjectAuditFindingRecorded']])) },
  { name: 'RemediateFinding', cmd: c.remediate('fnd-x', who.approver, LATE), ok: {}, other: Object.fromEntries(EXISTING.map((s) => [s, 'PROJECT_FINDING_NOT_FOUND'])) },
  { name: 'VerifyRemediation', cmd: c.verify('fnd-x', who.auditor, LATE), ok: {}, other: Object.fromEntries(EXISTING.map((s) => [s, 'PROJECT_FINDING_NOT_FOUND'])) },
  { name: 'HandOverAsset', cmd: c.handOver(who.approver, LATE), ok: { settled: ['ProjectAssetHandedOver'] } },
  {
    name: 'CancelProject',
    cmd: c.cancel(who.approver, LATE),
    ok: Object.fromEntries(
      (['proposed', 'township-reviewed', 'county-approved', 'in-notice', 'in-library', 'funded', 'under-construction'] as const).map((s) => [s, ['ProjectCancelled']]),
    ),
  },
  {
    name: 'EscalateProject',
    cmd: c.escalate('township', who.system, LATE),
    ok: Object.fromEntries(EXISTING.filter((s) => !['closed', 'rejected', 'cancelled'].includes(s)).map((s) => [s, ['ProjectEscalated']])),
  },
];

describe('Project decider, every command in every state', () => {
  for (const row of MATRIX) {
    for (const state of ['none', ...EXISTING] as S[]) {
      const ok = row.ok[state];
      const expected = ok ? ok.join('+') : (row.other?.[state] ?? (state === 'none' ? (row.none ?? 'PROJECT_NOT_FOUND') : 'PROJECT_OUT_OF_ORDER'));
      it(`${row.name} when ${state} → ${expected}`, () => {
        const w = spec.given(HISTORIES[state]).when(row.cmd);
        if (ok) expect(w.thenAccepts().map((e) => e.type)).toEqual(ok);
        else w.thenRefuses(expected);
      });
    }
  }
});

describe('When none', () => {
  it('proposes with the village record and the proposer', () => {
    const [e] = spec.given([]).when(c.propose()).thenAccepts();
    expect(e).toMatchObject({ type: 'ProjectProposed', data: { projectId: P, countyId: 'song', budget: wan(105), proposedBy: who.proposer.userId, proposedAt: T.proposal } });
  });
  it('accepts a budget above the standard: the standard is the province’s share, county money may add to it (subsidy.unit.spec.ts)', () =>
    void spec
      .given([])
      .when(c.propose({ budget: (wan(105) + 1) as never }))
      .thenAccepts());
  it('accepts a budget below the standard', () => {
    spec
      .given([])
      .when(c.propose({ budget: wan(90) }))
      .thenAccepts();
  });
  it('refuses a transport standard on a non-transport project', () =>
    spec
      .given([])
      .when(c.propose({ category: 'water' }))
      .thenRefuses('PROJECT_STANDARD_NOT_APPLICABLE'));
  it('refuses a zero budget', () =>
    spec
      .given([])
      .when(c.propose({ budget: wan(0) }))
      .thenRefuses('PROJECT_AMOUNT_NOT_POSITIVE'));
  it('refuses a 四议两公开 record out of order', () =>
    spec
      .given([])
      .when(c.propose({ villageRecord: { ...c.propose().data, ...(c.propose().data as { villageRecord: object }).villageRecord, partyMembersReviewedOn: '2017-01-01' } as never }))
      .thenRefuses('PROJECT_VILLAGE_RECORD_OUT_OF_ORDER'));
  it('refuses a village record dated after the proposal', () =>
    spec
      .given([])
      .when(c.propose({}, who.proposer, '2017-01-10T09:00:00+08:00'))
      .thenRefuses('PROJECT_VILLAGE_RECORD_IN_FUTURE'));
  it('refuses a performance target that reaches no registered poor', () =>
    spec
      .given([])
      .when(c.propose({ performanceTarget: { indicators: [{ name: 'x', target: '1', unit: '' }], beneficiaryPoorHouseholds: 0, beneficiaryPoorPeople: 0 } }))
      .thenRefuses('PROJECT_NO_BENEFICIARIES'));
  it('refuses a proposer from another county', () => spec.given([]).when(c.propose({}, who.otherCountyOfficial)).thenRefuses('ACCESS_OUT_OF_COUNTY'));
  it('refuses finance proposing', () => spec.given([]).when(c.propose({}, who.finance)).thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
  it('carries the plan sub-item it carries out (规划子项), which GET /progress/plan traces to the households paid', () => {
    const [e] = spec
      .given([])
      .when(c.propose({ planItem: 'transport/rural-roads/village-access' }))
      .thenAccepts();
    expect(e!.data).toMatchObject({ planItem: 'transport/rural-roads/village-access' });
    expect(spec.given([]).when(c.propose()).thenAccepts()[0]!.data).not.toHaveProperty('planItem');
  });
  it("refuses a plan sub-item of another category than the project's", () =>
    spec
      .given([])
      .when(c.propose({ planItem: 'water/drinking-water' }))
      .thenRefuses('PROJECT_PLAN_ITEM_OTHER_CATEGORY'));
});

describe('When proposed', () => {
  const h = HISTORIES.proposed;
  it('refuses the proposer reviewing their own project', () => spec.given(h).when(c.townshipApprove(who.proposer)).thenRefuses('ACCESS_PROPOSER_CANNOT_REVIEW'));
  it('is rejected by the township', () => {
    const [e] = spec.given(h).when(c.reject(who.townshipReviewer)).thenAccepts();
    expect(e).toMatchObject({ type: 'ProjectRejected', data: { stage: 'township' } });
  });
  it('cannot be county-approved before the township review', () => spec.given(h).when(c.countyApprove()).thenRefuses('PROJECT_OUT_OF_ORDER'));
});

describe('When township-reviewed', () => {
  const h = HISTORIES['township-reviewed'];
  it('refuses the proposer approving (a county official who proposed)', () => {
    const own = [...HISTORIES.none, ...spec.given([]).when(c.propose({}, who.approver)).thenAccepts()];
    const reviewed = [...own, ...spec.given(own).when(c.townshipApprove()).thenAccepts()];
    spec.given(reviewed).when(c.countyApprove(who.approver)).thenRefuses('ACCESS_PROPOSER_CANNOT_APPROVE');
  });
  it('refuses a county official of another county', () => spec.given(h).when(c.countyApprove(who.otherCountyOfficial)).thenRefuses('ACCESS_OUT_OF_COUNTY'));
  it('refuses finance approving: finance never approves', () => spec.given(h).when(c.countyApprove(who.finance)).thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
  it('is rejected by the county', () => {
    const [e] = spec.given(h).when(c.reject(who.approver)).thenAccepts();
    expect(e).toMatchObject({ data: { stage: 'county' } });
  });
});

describe('When in notice', () => {
  const h = HISTORIES['in-notice'];
  it('records the notice end from the policy (10 days) and the policy version', () => {
    const [e] = spec.given(HISTORIES['county-approved']).when(c.publishNotice()).thenAccepts();
    expect(e).toMatchObject({ data: { endsAt: '2017-03-18T01:00:00.000Z', policy: { id: 'project-notice', version: 1 } } });
  });
  it('refuses the library on day 9', () => spec.given(h).when(c.enterLibrary(who.approver, T.noticeDay9)).thenRefuses('PROJECT_NOTICE_RUNNING'));
  it('enters the library on the tenth day exactly', () => {
    spec.given(h).when(c.enterLibrary(who.approver, '2017-03-18T09:00:00+08:00')).thenAccepts();
  });
  it('goes back to county review on an objection, and the notice must run again in full', () => {
    const objected = [...h, ...spec.given(h).when(c.object()).thenAccepts()];
    spec.given(objected).when(c.enterLibrary(who.approver, LATE)).thenRefuses('PROJECT_OUT_OF_ORDER');
    const reapproved = [...objected, ...spec.given(objected).when(c.countyApprove(who.approver, '2017-03-20T09:00:00+08:00')).thenAccepts()];
    const renoticed = [...reapproved, ...spec.given(reapproved).when(c.publishNotice(who.approver, '2017-03-21T09:00:00+08:00')).thenAccepts()];
    spec.given(renoticed).when(c.enterLibrary(who.approver, '2017-03-30T09:00:00+08:00')).thenRefuses('PROJECT_NOTICE_RUNNING');
    spec.given(renoticed).when(c.enterLibrary(who.approver, '2017-03-31T09:00:00+08:00')).thenAccepts();
  });
  it('refuses the library without a performance target', () => {
    const noTarget = [
      ...spec
        .given([])
        .when(c.propose({ performanceTarget: undefined }))
        .thenAccepts(),
    ];
    const steps = [c.townshipApprove(), c.countyApprove(), c.publishNotice()];
    const events = steps.reduce((acc, cmd) => [...acc, ...spec.given(acc).when(cmd).thenAccepts()], noTarget);
    spec.given(events).when(c.enterLibrary(who.approver, LATE)).thenRefuses('PROJECT_NO_PERFORMANCE_TARGET');
    const withTarget = [...events, ...spec.given(events).when(c.setTarget()).thenAccepts()];
    spec.given(withTarget).when(c.enterLibrary(who.approver, LATE)).thenAccepts();
  });
});

describe('A decider built with another notice policy (for short test durations)', () => {
  it('uses the policy’s period and records its id and version', () => {
    const quick = makeDecide({ ...PLAN_POLICIES, notice: { ...PLAN_POLICIES.notice, id: 'test-notice', version: 7, minNoticeSeconds: 5 } });
    const approved = evolveAll(HISTORIES['county-approved'], initialState());
    const published = quick(c.publishNotice(who.approver, '2017-03-08T09:00:00+08:00'), approved);
    expect(published.ok && published.events[0]).toMatchObject({ data: { endsAt: '2017-03-08T01:00:05.000Z', policy: { id: 'test-notice', version: 7 } } });
    const inNotice = evolveAll(published.ok ? published.events : [], approved);
    expect(quick(c.enterLibrary(who.approver, '2017-03-08T09:00:04+08:00'), inNotice)).toMatchObject({ ok: false, error: { code: 'PROJECT_NOTICE_RUNNING' } });
    expect(quick(c.enterLibrary(who.approver, '2017-03-08T09:00:05+08:00'), inNotice)).toMatchObject({ ok: true });
  });
});

describe('When in the library', () => {
  const h = HISTORIES['in-library'];
  it('records partial funding without becoming funded', () =>
    expect(
      spec
        .given(h)
        .when(c.fund('alc-central', 'fund-song-2017-central-01', 'central', wan(63)))
        .thenAccepts()
        .map((e) => e.type),
    ).toEqual(['ProjectFundingRecorded']));
  it('becomes funded when the budget is covered exactly', () => {
    const first = spec
      .given(h)
      .when(c.fund('alc-central', 'fund-song-2017-central-01', 'central', wan(63)))
      .thenAccepts();
    const second = spec
      .given([...h, ...first])
      .when(c.fund('alc-county', 'fund-song-2017-county-01', 'county', wan(42)))
      .thenAccepts();
    expect(second.map((e) => e.type)).toEqual(['ProjectFundingRecorded', 'ProjectFullyFunded']);
  });
  it('refuses funding beyond the budget', () =>
    spec
      .given(h)
      .when(c.fund('alc-central', 'fund-song-2017-central-01', 'central', (wan(105) + 1) as never))
      .thenRefuses('PROJECT_FUNDING_EXCEEDS_BUDGET'));
  it('refuses a reused allocation id', () => {
    const first = spec
      .given(h)
      .when(c.fund('alc-central', 'fund-song-2017-central-01', 'central', wan(1)))
      .thenAccepts();
    spec
      .given([...h, ...first])
      .when(c.fund('alc-central', 'fund-song-2017-central-01', 'central', wan(1)))
      .thenRefuses('PROJECT_ALLOCATION_EXISTS');
  });
  it('refuses construction before funding is complete', () => spec.given(h).when(c.start()).thenRefuses('PROJECT_OUT_OF_ORDER'));
});

describe('When funded', () => {
  const h = HISTORIES.funded;
  it('refuses a contract larger than the funding', () =>
    spec
      .given(h)
      .when(c.start({ contractAmount: (wan(105) + 1) as never }))
      .thenRefuses('PROJECT_CONTRACT_EXCEEDS_FUNDING'));
  it('refuses an advance rate under 10% or over 30%', () => {
    spec
      .given(h)
      .when(c.start({ advanceBp: 999 }))
      .thenRefuses('PROJECT_ADVANCE_RATE_OUT_OF_RANGE');
    spec
      .given(h)
      .when(c.start({ advanceBp: 3001 }))
      .thenRefuses('PROJECT_ADVANCE_RATE_OUT_OF_RANGE');
  });
  it('refuses a retention above 3%', () =>
    spec
      .given(h)
      .when(c.start({ retentionBp: 301 }))
      .thenRefuses('PROJECT_RETENTION_RATE_TOO_HIGH'));
  it('refuses a warranty outside the policy', () =>
    spec
      .given(h)
      .when(c.start({ warrantyMonths: 0 }))
      .thenRefuses('PROJECT_WARRANTY_OUT_OF_RANGE'));
  it('refuses a defect-liability period over two years (建质〔2017〕138号), which version 1 allowed up to 60 months', () => {
    spec
      .given(h)
      .when(c.start({ warrantyMonths: 25 }))
      .thenRefuses('PROJECT_WARRANTY_OUT_OF_RANGE');
    spec
      .given(h)
      .when(c.start({ warrantyMonths: 24 }))
      .thenAccepts();
    expect(makeDecide({ ...PLAN_POLICIES, payments: PAYMENT_TEMPLATE_POLICY_V1 })(c.start({ warrantyMonths: 25 }), evolveAll(h, initialState())).ok).toBe(true);
  });
  it('records the payment template with the policy version', () => {
    const [e] = spec.given(h).when(c.start()).thenAccepts();
    expect(e).toMatchObject({ data: { advanceBp: 3000, retentionBp: 300, warrantyMonths: 12, policy: { id: 'payment-template', version: 2 } } });
  });
});

describe('When under construction', () => {
  const h = HISTORIES['under-construction'];
  it('refuses progress that does not increase', () => {
    const m = spec
      .given(h)
      .when(c.milestone('ms-1', 5000, T.m1))
      .thenAccepts();
    spec
      .given([...h, ...m])
      .when(c.milestone('ms-2', 5000, T.m2))
      .thenRefuses('PROJECT_PROGRESS_NOT_INCREASING');
    spec
      .given([...h, ...m])
      .when(c.milestone('ms-1', 6000, T.m2))
      .thenRefuses('PROJECT_MILESTONE_EXISTS');
  });
  it('completes only at 100%', () => {
    const m = spec
      .given(h)
      .when(c.milestone('ms-1', 10_000, T.m1))
      .thenAccepts();
    spec
      .given([...h, ...m])
      .when(c.complete())
      .thenAccepts();
  });
  it('cannot be accepted before completion', () => spec.given(h).when(c.accept()).thenRefuses('PROJECT_OUT_OF_ORDER'));
});

describe('When completed', () => {
  const h = HISTORIES.completed;
  it('refuses acceptance by the approver', () => spec.given(h).when(c.accept(who.approver)).thenRefuses('ACCESS_APPROVER_CANNOT_ACCEPT'));
  it('refuses acceptance by the proposer: a 验收 is by someone who neither proposed nor approved', () => {
    // A county official proposes; another approves; the proposer may not accept his own works.
    const byCounty = history([...STEPS.completed.slice(0, 1).map(() => c.propose({}, who.acceptor)), ...STEPS.completed.slice(1)]);
    spec.given(byCounty).when(c.accept(who.acceptor)).thenRefuses('ACCESS_PROPOSER_CANNOT_ACCEPT');
    spec
      .given(byCounty)
      .when(c.accept(actor('off.song.3', 'county-official', 'song')))
      .thenAccepts();
  });
  it('refuses acceptance by an inspector: they record findings only', () => spec.given(h).when(c.accept(who.inspector)).thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
  it('starts the warranty at acceptance', () => {
    const [e] = spec.given(h).when(c.accept()).thenAccepts();
    expect(e).toMatchObject({ data: { warrantyEndsAt: '2018-09-20T01:00:00.000Z' } });
  });
  it('cannot be settled before acceptance', () => spec.given(h).when(c.settle()).thenRefuses('PROJECT_OUT_OF_ORDER'));
  it('cannot be cancelled once the works are complete', () => spec.given(h).when(c.cancel()).thenRefuses('PROJECT_OUT_OF_ORDER'));
});

describe('When accepted', () => {
  const h = HISTORIES.accepted;
  it('computes the retention from the settlement, rounded down', () => {
    const [e] = spec
      .given(h)
      .when(c.settle((wan(100) + 33) as never))
      .thenAccepts();
    expect(e).toMatchObject({ data: { settlementAmount: wan(100) + 33, retentionAmount: wan(3) } });
  });
  it('refuses a settlement above the funding or below what is paid', () => {
    spec
      .given(h)
      .when(c.settle((wan(105) + 1) as never))
      .thenRefuses('PROJECT_SETTLEMENT_EXCEEDS_FUNDING');
    spec
      .given(h)
      .when(c.settle(wan(75)))
      .thenRefuses('PROJECT_SETTLEMENT_BELOW_PAID');
  });
});

describe('Audit findings', () => {
  const h = HISTORIES.accepted;
  it('go open → remediated (county) → verified (auditor)', () => {
    const f = spec.given(h).when(c.finding()).thenAccepts();
    spec
      .given([...h, ...f])
      .when(c.finding())
      .thenRefuses('PROJECT_FINDING_EXISTS');
    spec
      .given([...h, ...f])
      .when(c.verify())
      .thenRefuses('PROJECT_FINDING_NOT_REMEDIATED');
    spec
      .given([...h, ...f])
      .when(c.remediate('fnd-1', who.auditor))
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    const r = spec
      .given([...h, ...f])
      .when(c.remediate())
      .thenAccepts();
    spec
      .given([...h, ...f, ...r])
      .when(c.remediate())
      .thenRefuses('PROJECT_FINDING_NOT_OPEN');
    spec
      .given([...h, ...f, ...r])
      .when(c.verify('fnd-1', who.approver))
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    spec
      .given([...h, ...f, ...r])
      .when(c.verify())
      .thenAccepts();
  });
  it('cannot be recorded by the county official', () => spec.given(h).when(c.finding('fnd-2', who.approver)).thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
});

describe('When settled', () => {
  const full = HISTORIES.settled;
  const unpaidRetention = full.slice(0, -1);
  it('refuses handover before the warranty ends', () =>
    spec
      .given(full)
      .when(c.handOver(who.approver, T.inWarranty, '2018-02-01'))
      .thenRefuses('PROJECT_WARRANTY_RUNNING'));
  it('refuses handover while the retention is unpaid', () => spec.given(unpaidRetention).when(c.handOver()).thenRefuses('PROJECT_NOT_FULLY_PAID'));
  it('refuses handover with an open finding', () => {
    const f = spec.given(full).when(c.finding()).thenAccepts();
    spec
      .given([...full, ...f])
      .when(c.handOver())
      .thenRefuses('PROJECT_OPEN_FINDINGS');
  });
  it('refuses a result disclosure dated in the future', () =>
    spec
      .given(full)
      .when(c.handOver(who.approver, T.handover, '2018-12-01'))
      .thenRefuses('PROJECT_RESULT_NOT_PUBLISHED'));
  it('hands over the asset at its settled value', () => {
    const [e] = spec.given(full).when(c.handOver()).thenAccepts();
    expect(e).toMatchObject({ data: { assetKind: 'public-benefit', value: wan(105) } });
  });
});

describe('Cancellation', () => {
  it('records what each fund must take back', () => {
    const h = [...HISTORIES.completed.slice(0, HISTORIES.funded.length + 2)]; // funded, started, advance paid
    const [e] = spec.given(h).when(c.cancel()).thenAccepts();
    expect(e).toMatchObject({
      type: 'ProjectCancelled',
      data: {
        releases: [
          { fundId: 'fund-song-2017-central-01', allocationId: 'alc-central', amount: wan(31.5) },
          { fundId: 'fund-song-2017-county-01', allocationId: 'alc-county', amount: wan(42) },
        ],
      },
    });
  });
  it('is refused to a township official', () => spec.given(HISTORIES.proposed).when(c.cancel(who.proposer)).thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
});

describe('Escalation', () => {
  const h = HISTORIES.proposed;
  it('climbs township → county → city, one level at a time', () => {
    spec.given(h).when(c.escalate('county')).thenRefuses('PROJECT_ESCALATION_OUT_OF_ORDER');
    const t = spec.given(h).when(c.escalate('township')).thenAccepts();
    spec
      .given([...h, ...t])
      .when(c.escalate('township'))
      .thenRefuses('PROJECT_ESCALATION_OUT_OF_ORDER');
    const k = spec
      .given([...h, ...t])
      .when(c.escalate('county', who.city))
      .thenAccepts();
    const y = spec
      .given([...h, ...t, ...k])
      .when(c.escalate('city', who.city))
      .thenAccepts();
    spec
      .given([...h, ...t, ...k, ...y])
      .when(c.escalate('city'))
      .thenRefuses('PROJECT_ESCALATION_OUT_OF_ORDER');
  });
  it('starts afresh at the next stage', () => {
    const t = spec.given(h).when(c.escalate('township')).thenAccepts();
    const moved = [
      ...h,
      ...t,
      ...spec
        .given([...h, ...t])
        .when(c.townshipApprove())
        .thenAccepts(),
    ];
    spec.given(moved).when(c.escalate('township')).thenAccepts();
  });
  it('is refused to an auditor', () => spec.given(h).when(c.escalate('township', who.auditor)).thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
});
