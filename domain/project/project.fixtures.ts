import { actor, meta } from '../shared/fixtures';
import { run } from '../shared/testing';
import type { Fen } from '../shared/money';
import type { Actor } from '../shared/actor';
import type { ProjectCommand } from './commands';
import type { ProjectEvent } from './events';
import { decide } from './decide';
import { evolve } from './evolve';
import { initialState, type ProjectStatus } from './state';

export const project = { decide, evolve, initialState };

export const wan = (n: number) => Math.round(n * 1_000_000) as Fen;
export const P = 'prj-song-2017-road0001';

export const who = {
  proposer: actor('twp.song.1', 'township-official', 'song'),
  townshipReviewer: actor('twp.song.2', 'township-official', 'song'),
  approver: actor('off.song.1', 'county-official', 'song'),
  acceptor: actor('off.song.2', 'county-official', 'song'),
  otherCountyOfficial: actor('off.luanchuan.1', 'county-official', 'luanchuan'),
  finance: actor('fin.song.1', 'county-finance', 'song'),
  auditor: actor('audit.1', 'auditor'),
  inspector: actor('inspect.1', 'inspector'),
  city: actor('city.office.1', 'city-poverty-office'),
  system: actor('system.deadlines', 'administrator'),
};

export const T = {
  proposal: '2017-03-01T09:00:00+08:00',
  review: '2017-03-03T09:00:00+08:00',
  approval: '2017-03-06T09:00:00+08:00',
  notice: '2017-03-08T09:00:00+08:00',
  noticeDay9: '2017-03-17T09:00:00+08:00',
  library: '2017-03-20T09:00:00+08:00',
  funding: '2017-03-25T09:00:00+08:00',
  start: '2017-04-01T09:00:00+08:00',
  m1: '2017-06-01T09:00:00+08:00',
  m2: '2017-09-01T09:00:00+08:00',
  complete: '2017-09-05T09:00:00+08:00',
  accept: '2017-09-20T09:00:00+08:00',
  settle: '2017-10-10T09:00:00+08:00',
  inWarranty: '2018-03-01T09:00:00+08:00',
  warrantyOver: '2018-09-21T09:00:00+08:00',
  handover: '2018-10-01T09:00:00+08:00',
};

const m = (a: Actor, now: string) => meta(a, now);

export const villageRecord = {
  partyBranchProposedOn: '2017-01-05',
  twoCommitteesDeliberatedOn: '2017-01-08',
  partyMembersReviewedOn: '2017-01-12',
  villagersResolvedOn: '2017-01-15',
  resolutionPublishedOn: '2017-01-16',
  minutesRef: 'song-xx-village-2017-01',
};

export const target = {
  indicators: [{ name: '硬化村道', target: '3', unit: 'km' }],
  beneficiaryPoorHouseholds: 120,
  beneficiaryPoorPeople: 410,
};

/** A 嵩县 village road, 3 km, at the plan's 35万 per km: 105万. */
export const c = {
  propose: (o: Partial<Extract<ProjectCommand, { type: 'ProposeProject' }>['data']> = {}, a = who.proposer, now = T.proposal): ProjectCommand => ({
    type: 'ProposeProject',
    data: {
      projectId: P,
      countyId: 'song',
      category: 'transport',
      name: '嵩县某村村道改造3公里',
      budget: wan(105),
      fiscalYear: 2017,
      villageRecord,
      performanceTarget: target,
      subsidyBases: [{ standard: 'village-road-renovation', quantity: 3000 }],
      ...o,
    },
    meta: m(a, now),
  }),
  setTarget: (a = who.proposer, now = T.review): ProjectCommand => ({ type: 'SetPerformanceTarget', data: { projectId: P, target }, meta: m(a, now) }),
  townshipApprove: (a = who.townshipReviewer, now = T.review): ProjectCommand => ({
    type: 'ApproveAtTownship',
    data: { projectId: P, opinion: '同意上报' },
    meta: m(a, now),
  }),
  reject: (a: Actor, now = T.review): ProjectCommand => ({ type: 'RejectProject', data: { projectId: P, reason: '不符合规划' }, meta: m(a, now) }),
  countyApprove: (a = who.approver, now = T.approval): ProjectCommand => ({
    type: 'ApproveAtCounty',
    data: { projectId: P, documentNumber: '嵩扶〔2017〕12号' },
    meta: m(a, now),
  }),
  publishNotice: (a = who.approver, now = T.notice): ProjectCommand => ({ type: 'PublishNotice', data: { projectId: P }, meta: m(a, now) }),
  object: (a = who.townshipReviewer, now = T.noticeDay9, objectionId = 'obj-1'): ProjectCommand => ({
    type: 'RaiseObjection',
    data: { projectId: P, objectionId, summary: '线路占用耕地' },
    meta: m(a, now),
  }),
  enterLibrary: (a = who.approver, now = T.library): ProjectCommand => ({ type: 'EnterLibrary', data: { projectId: P }, meta: m(a, now) }),
  fund: (allocationId: string, fundId: string, source: 'central' | 'county', amount: Fen, a = who.finance, now = T.funding): ProjectCommand => ({
    type: 'RecordFunding',
    data: { projectId: P, fundId, allocationId, source, amount },
    meta: m(a, now),
  }),
  start: (o: Partial<Extract<ProjectCommand, { type: 'StartConstruction' }>['data']> = {}, a = who.approver, now = T.start): ProjectCommand => ({
    type: 'StartConstruction',
    data: { projectId: P, contractId: 'ctr-song-road-1', contractor: 'acct-contractor-1', contractAmount: wan(105), advanceBp: 3000, retentionBp: 300, warrantyMonths: 12, ...o },
    meta: m(a, now),
  }),
  milestone: (milestoneId: string, percentCompleteBp: number, now: string, a = who.townshipReviewer): ProjectCommand => ({
    type: 'ReportMilestone',
    data: { projectId: P, milestoneId, percentCompleteBp, description: `路基路面完成${percentCompleteBp / 100}%` },
    meta: m(a, now),
  }),
  pay: (
    o: {
      paymentId: string;
      milestone: 'advance' | 'progress' | 'settlement' | 'retention';
      amount: Fen;
      allocationId?: string;
      fundId?: string;
      milestoneId?: string;
      payee?: string;
      use?: string;
    },
    now: string,
    a = who.finance,
  ): ProjectCommand => ({
    type: 'RecordPayment',
    data: {
      projectId: P,
      fundId: o.fundId ?? (o.allocationId === 'alc-county' ? FUND_COUNTY : FUND_CENTRAL),
      allocationId: o.allocationId ?? 'alc-central',
      paymentId: o.paymentId,
      milestone: o.milestone,
      ...(o.milestoneId ? { milestoneId: o.milestoneId } : {}),
      payee: o.payee ?? 'acct-contractor-1',
      amount: o.amount,
      use: o.use ?? 'road-works',
    },
    meta: m(a, now),
  }),
  complete: (a = who.approver, now = T.complete): ProjectCommand => ({ type: 'CompleteProject', data: { projectId: P }, meta: m(a, now) }),
  accept: (a = who.acceptor, now = T.accept): ProjectCommand => ({ type: 'AcceptProject', data: { projectId: P }, meta: m(a, now) }),
  settle: (amount = wan(105), a = who.approver, now = T.settle): ProjectCommand => ({
    type: 'SettleProject',
    data: { projectId: P, settlementAmount: amount },
    meta: m(a, now),
  }),
  finding: (findingId = 'fnd-1', a = who.auditor, now = T.inWarranty): ProjectCommand => ({
    type: 'RecordAuditFinding',
    data: { projectId: P, findingId, summary: '部分路段厚度不足' },
    meta: m(a, now),
  }),
  remediate: (findingId = 'fnd-1', a = who.approver, now = T.inWarranty): ProjectCommand => ({
    type: 'RemediateFinding',
    data: { projectId: P, findingId, remediation: '返工补强' },
    meta: m(a, now),
  }),
  verify: (findingId = 'fnd-1', a = who.auditor, now = T.inWarranty): ProjectCommand => ({ type: 'VerifyRemediation', data: { projectId: P, findingId }, meta: m(a, now) }),
  handOver: (a = who.approver, now = T.handover, resultPublishedOn = '2018-09-25'): ProjectCommand => ({
    type: 'HandOverAsset',
    data: { projectId: P, assetKind: 'public-benefit', recipient: 'village-song-xx', resultPublishedOn },
    meta: m(a, now),
  }),
  cancel: (a = who.approver, now = T.funding): ProjectCommand => ({ type: 'CancelProject', data: { projectId: P, reason: '规划调整' }, meta: m(a, now) }),
  escalate: (level: 'township' | 'county' | 'city', a = who.system, now = T.review): ProjectCommand => ({
    type: 'EscalateProject',
    data: { projectId: P, level, deadlineKind: 'stage-deadline' },
    meta: m(a, now),
  }),
};

export const FUND_CENTRAL = 'fund-song-2017-central-01';
export const FUND_COUNTY = 'fund-song-2017-county-01';

/** The commands that bring the road to each stage, in order; central 60%, county 40%. */
export const STEPS: Record<Exclude<ProjectStatus, 'rejected' | 'cancelled'>, ProjectCommand[]> = (() => {
  const proposed = [c.propose()];
  const townshipReviewed = [...proposed, c.townshipApprove()];
  const countyApproved = [...townshipReviewed, c.countyApprove()];
  const inNotice = [...countyApproved, c.publishNotice()];
  const inLibrary = [...inNotice, c.enterLibrary()];
  const funded = [...inLibrary, c.fund('alc-central', FUND_CENTRAL, 'central', wan(63)), c.fund('alc-county', FUND_COUNTY, 'county', wan(42))];
  const underConstruction = [...funded, c.start()];
  const completed = [
    ...underConstruction,
    c.pay({ paymentId: 'pay-advance', milestone: 'advance', amount: wan(31.5) }, T.start),
    c.milestone('ms-50', 5000, T.m1),
    // Before acceptance, advance and progress together stay within 90% of the work done.
    c.pay({ paymentId: 'pay-ms-50', milestone: 'progress', milestoneId: 'ms-50', amount: wan(15.75) }, T.m1),
    c.milestone('ms-100', 10_000, T.m2),
    c.pay({ paymentId: 'pay-ms-100-c', milestone: 'progress', milestoneId: 'ms-100', amount: wan(15.75) }, T.m2),
    c.pay({ paymentId: 'pay-ms-100-k', milestone: 'progress', milestoneId: 'ms-100', allocationId: 'alc-county', amount: wan(12.75) }, T.m2),
    c.complete(),
  ];
  const accepted = [...completed, c.accept()];
  const settled = [
    ...accepted,
    c.settle(),
    c.pay({ paymentId: 'pay-settlement', milestone: 'settlement', allocationId: 'alc-county', amount: wan(26.1) }, T.settle),
    c.pay({ paymentId: 'pay-retention', milestone: 'retention', allocationId: 'alc-county', amount: wan(3.15) }, T.warrantyOver),
  ];
  const closed = [...settled, c.handOver()];
  return {
    proposed,
    'township-reviewed': townshipReviewed,
    'county-approved': countyApproved,
    'in-notice': inNotice,
    'in-library': inLibrary,
    funded,
    'under-construction': underConstruction,
    completed,
    accepted,
    settled,
    closed,
  };
})();

/** The events of a history of commands; fails loudly if any step is refused. */
export const history = (commands: readonly ProjectCommand[]): ProjectEvent[] => {
  const r = run(project, commands);
  if (r.refused) throw new Error(`fixture history refused: ${r.refused.code} ${r.refused.en}`);
  return r.events;
};

export const HISTORIES: Record<ProjectStatus | 'none', ProjectEvent[]> = {
  none: [],
  ...(Object.fromEntries(Object.entries(STEPS).map(([k, v]) => [k, history(v)])) as Record<keyof typeof STEPS, ProjectEvent[]>),
  rejected: history([c.propose(), c.reject(who.townshipReviewer)]),
  cancelled: history([...STEPS['in-library'], c.cancel()]),
};
