import { basesOf } from './subsidy';
import type { Fen } from '../shared/money';
import type { ProjectEvent } from './events';
import type { ExistingProject, ProjectState, ProjectStatus } from './state';

const f = (n: number): Fen => n as Fen;

/** A stage change clears the escalation ladder: the new stage has its own deadline. */
const moveTo = (s: ExistingProject, status: ProjectStatus): ExistingProject => ({ ...s, status, escalation: undefined });

export const evolve = (state: ProjectState, event: ProjectEvent): ProjectState => {
  if (event.type === 'ProjectProposed') {
    const d = event.data;
    return {
      status: 'proposed',
      projectId: d.projectId,
      countyId: d.countyId,
      category: d.category,
      name: d.name,
      budget: d.budget,
      fiscalYear: d.fiscalYear,
      proposedBy: d.proposedBy,
      ...(d.place ? { place: d.place } : {}),
      ...(d.villageRecord ? { villageRecord: d.villageRecord } : {}),
      ...(d.appraisal ? { appraisal: d.appraisal } : {}),
      performanceTarget: d.performanceTarget,
      subsidyBases: basesOf(d),
      objections: 0,
      allocations: {},
      funded: f(0),
      milestones: {},
      progressBp: 0,
      paid: f(0),
      paidByKind: { advance: f(0), progress: f(0), settlement: f(0), retention: f(0) },
      paymentIds: {},
      findings: {},
    };
  }
  if (state.status === 'none') return state;
  const s = state;
  switch (event.type) {
    case 'ProjectPerformanceTargetSet':
      return { ...s, performanceTarget: event.data.target };
    case 'ProjectTownshipApproved':
      return { ...moveTo(s, 'township-reviewed'), townshipReviewedBy: event.data.by };
    case 'ProjectRejected':
      return moveTo(s, 'rejected');
    case 'ProjectCountyApproved':
      return { ...moveTo(s, 'county-approved'), approvedBy: event.data.by };
    case 'ProjectNoticePublished':
      return { ...moveTo(s, 'in-notice'), noticeEndsAt: event.data.endsAt };
    case 'ProjectObjectionRaised':
      // Back to county review: the county must decide again and the notice must run again in full.
      return { ...moveTo(s, 'township-reviewed'), objections: s.objections + 1, noticeEndsAt: undefined, approvedBy: undefined };
    case 'ProjectEnteredLibrary':
      return moveTo(s, 'in-library');
    case 'ProjectFundingRecorded': {
      const d = event.data;
      return {
        ...s,
        funded: f(s.funded + d.amount),
        allocations: { ...s.allocations, [d.allocationId]: { fundId: d.fundId, source: d.source, amount: d.amount, paid: f(0) } },
      };
    }
    case 'ProjectFullyFunded':
      return moveTo(s, 'funded');
    case 'ProjectConstructionStarted': {
      const d = event.data;
      return {
        ...moveTo(s, 'under-construction'),
        contract: {
          contractId: d.contractId,
          contractor: d.contractor,
          amount: d.contractAmount,
          advanceBp: d.advanceBp,
          retentionBp: d.retentionBp,
          warrantyMonths: d.warrantyMonths,
        },
      };
    }
    case 'ProjectMilestoneReported':
      return {
        ...s,
        milestones: { ...s.milestones, [event.data.milestoneId]: { percentCompleteBp: event.data.percentCompleteBp, paid: false } },
        progressBp: Math.max(s.progressBp, event.data.percentCompleteBp),
      };
    case 'ProjectPaymentRecorded': {
      const d = event.data;
      const a = s.allocations[d.allocationId];
      const m = d.milestoneId === undefined ? undefined : s.milestones[d.milestoneId];
      return {
        ...s,
        paid: f(s.paid + d.amount),
        paidByKind: { ...s.paidByKind, [d.milestone]: f(s.paidByKind[d.milestone] + d.amount) },
        paymentIds: { ...s.paymentIds, [d.paymentId]: true },
        allocations: a === undefined ? s.allocations : { ...s.allocations, [d.allocationId]: { ...a, paid: f(a.paid + d.amount) } },
        milestones: m === undefined || d.milestoneId === undefined ? s.milestones : { ...s.milestones, [d.milestoneId]: { ...m, paid: true } },
      };
    }
    case 'ProjectCompleted':
      return moveTo(s, 'completed');
    case 'ProjectAccepted':
      return { ...moveTo(s, 'accepted'), acceptedBy: event.data.by, warrantyEndsAt: event.data.warrantyEndsAt };
    case 'ProjectSettled':
      return { ...moveTo(s, 'settled'), settlementAmount: event.data.settlementAmount, retentionAmount: event.data.retentionAmount };
    case 'ProjectAuditFindingRecorded':
      return { ...s, findings: { ...s.findings, [event.data.findingId]: 'open' } };
    case 'ProjectFindingRemediated':
      return { ...s, findings: { ...s.findings, [event.data.findingId]: 'remediated' } };
    case 'ProjectRemediationVerified':
      return { ...s, findings: { ...s.findings, [event.data.findingId]: 'verified' } };
    case 'ProjectAssetHandedOver':
      return moveTo(s, 'closed');
    case 'ProjectCancelled':
      return moveTo(s, 'cancelled');
    case 'ProjectEscalated':
      return { ...s, escalation: { stage: event.data.stage, level: event.data.level } };
    default: {
      const _never: never = event;
      return state;
    }
  }
};

export const evolveAll = (events: readonly ProjectEvent[], from: ProjectState): ProjectState => events.reduce(evolve, from);
