import { authorize } from '../access/authorize';
import type { Action } from '../access/actions';
import type { Actor } from '../shared/actor';
import type { DomainError } from '../shared/errors';
import { MILESTONE_KINDS, type MilestoneKind } from '../fund/ids';
import type { ProjectCommand } from './commands';
import { ruleFor } from './decide';
import { milestoneRoom } from './payment-rules';
import { PAYABLE, type FindingStatus, type ProjectState, type ProjectStatus } from './state';
import { PLAN_POLICIES, type ProjectPolicies } from './policies';

/** The steps a person may give (escalation is the workflow's own; a proposal starts a project). */
export type OfferableStep = Exclude<ProjectCommand['type'], 'ProposeProject' | 'EscalateProject'>;

export const OFFERABLE: readonly OfferableStep[] = [
  'SetPerformanceTarget',
  'ApproveAtTownship',
  'RejectProject',
  'ApproveAtCounty',
  'PublishNotice',
  'RaiseObjection',
  'EnterLibrary',
  'RecordFunding',
  'StartConstruction',
  'ReportMilestone',
  'RecordPayment',
  'CompleteProject',
  'AcceptProject',
  'SettleProject',
  'RecordAuditFinding',
  'RemediateFinding',
  'VerifyRemediation',
  'HandOverAsset',
  'CancelProject',
];

/**
 * What a step needs besides its stage and its role: without it the step is not offered (paying at
 * a stage with nothing payable, remediating with no open finding). A guide names these.
 */
export const STEP_NEEDS: Partial<
  Record<OfferableStep, { readonly stages?: readonly ProjectStatus[]; readonly finding?: FindingStatus; readonly zh: string; readonly en: string }>
> = {
  RecordPayment: { stages: PAYABLE, zh: '开工后至结算后按支付节点拨付', en: 'paid by milestone from construction to after settlement' },
  RemediateFinding: { finding: 'open', zh: '有待整改的审计问题时', en: 'when an audit finding is open' },
  VerifyRemediation: { finding: 'remediated', zh: '有已整改待核实的审计问题时', en: 'when a finding has been remediated' },
};

export interface OfferedStep {
  readonly type: OfferableStep;
  readonly action: Action;
}

/** One milestone kind's room, and for a progress payment the reported milestone it pays for. */
export type OfferedPayment = {
  readonly milestone: MilestoneKind;
  readonly milestoneId?: string;
} & ({ readonly ok: true; readonly capFen: number; readonly paidFen: number; readonly roomFen: number } | { readonly ok: false; readonly refusal: DomainError });

/**
 * What this actor may do to the project now, by the decider's own rules: the access rule and the
 * stages of each step (decide.ts ruleFor, then authorize with the project's proposer and approver).
 * A step needing something that does not exist yet is left out (remediating with no open finding,
 * paying at a stage with nothing payable). A screen offers these and no others; the decider still
 * judges the data when the step is sent.
 */
export const offeredSteps = (actor: Actor, s: ProjectState): OfferedStep[] => {
  if (s.status === 'none') return [];
  const findings = Object.values(s.findings);
  return OFFERABLE.flatMap((type) => {
    const rule = ruleFor(type, s);
    if (!rule.in.includes(s.status)) return [];
    if (authorize(actor, rule.action, { countyId: s.countyId, proposedBy: s.proposedBy, approvedBy: s.approvedBy })) return [];
    const need = STEP_NEEDS[type];
    if (need?.stages && !need.stages.includes(s.status)) return [];
    if (need?.finding && !findings.includes(need.finding)) return [];
    return [{ type, action: rule.action }];
  });
};

/**
 * Each milestone kind's room under the payment template at `now` (payment-rules.ts milestoneRoom,
 * the rule a payment is decided by; the plan's tables unless told otherwise); progress once per reported milestone not yet paid. An
 * allocation's own remainder limits a payment further.
 */
export const offeredPayments = (s: ProjectState, now: string, p: ProjectPolicies = PLAN_POLICIES): OfferedPayment[] => {
  if (s.status === 'none') return [];
  return MILESTONE_KINDS.flatMap((milestone): OfferedPayment[] => {
    if (milestone !== 'progress') return [{ milestone, ...milestoneRoom(milestone, s, now, p) }];
    const reported = Object.entries(s.milestones).filter(([, m]) => !m.paid);
    if (reported.length === 0) return [{ milestone, ...milestoneRoom(milestone, s, now, p) }];
    return reported.map(([milestoneId]) => ({ milestone, milestoneId, ...milestoneRoom(milestone, s, now, p, milestoneId) }));
  });
};
