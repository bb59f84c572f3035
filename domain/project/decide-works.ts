import { accept, refuse, type Decision } from '../shared/result';
import { addMonths, addSeconds } from '../shared/ids';
import type { Fen } from '../shared/money';
import { policyVersion } from '../policy/table';
import { shareOf } from '../policy/payments';
import type { AcceptProject, CompleteProject, RecordFunding, ReportMilestone, SettleProject, StartConstruction } from './commands';
import { projectError as err } from './errors';
import type { ProjectEvent } from './events';
import type { ProjectPolicies } from './policies';
import type { ExistingProject } from './state';
import { stamp } from './decide-approval';
import { provincialCap, provincialFunded } from './subsidy';

type D = Decision<ProjectEvent>;

/**
 * Funding from several channels (多渠道/捆绑): several funds until the budget is covered, never
 * beyond it; provincial money never beyond the province's share under the project's standards.
 */
export const recordFunding = (c: RecordFunding, s: ExistingProject): D => {
  const d = c.data;
  if (d.amount <= 0) return refuse(err('PROJECT_AMOUNT_NOT_POSITIVE'));
  if (s.allocations[d.allocationId] !== undefined) return refuse(err('PROJECT_ALLOCATION_EXISTS'));
  const cap = provincialCap(s.subsidyBases);
  if (d.source === 'provincial' && cap !== undefined && provincialFunded(s) + d.amount > cap)
    return refuse(err('PROJECT_PROVINCIAL_SHARE_EXCEEDS_STANDARD', { cap, provincialFunded: provincialFunded(s), asked: d.amount }));
  const total = s.funded + d.amount;
  if (total > s.budget) return refuse(err('PROJECT_FUNDING_EXCEEDS_BUDGET', { budgetFen: s.budget, fundedFen: s.funded, askedFen: d.amount }));
  const recorded: ProjectEvent = {
    type: 'ProjectFundingRecorded',
    data: { ...stamp(c), fundId: d.fundId, allocationId: d.allocationId, source: d.source, amount: d.amount },
  };
  return total === s.budget ? accept<ProjectEvent>(recorded, { type: 'ProjectFullyFunded', data: { ...stamp(c), total: total as Fen } }) : accept(recorded);
};

/** The contract fixes the payment template, within the policy's bounds. */
export const startConstruction = (c: StartConstruction, s: ExistingProject, p: ProjectPolicies): D => {
  const d = c.data;
  const t = p.payments;
  if (d.contractAmount <= 0) return refuse(err('PROJECT_AMOUNT_NOT_POSITIVE'));
  if (d.contractAmount > s.funded) return refuse(err('PROJECT_CONTRACT_EXCEEDS_FUNDING', { fundedFen: s.funded, contractFen: d.contractAmount }));
  if (d.advanceBp < t.advanceMinBp || d.advanceBp > t.advanceMaxBp)
    return refuse(err('PROJECT_ADVANCE_RATE_OUT_OF_RANGE', { advanceBp: d.advanceBp, min: t.advanceMinBp, max: t.advanceMaxBp }));
  if (d.retentionBp < 0 || d.retentionBp > t.retentionMaxBp) return refuse(err('PROJECT_RETENTION_RATE_TOO_HIGH', { retentionBp: d.retentionBp, max: t.retentionMaxBp }));
  if (d.warrantyMonths < t.warrantyMinMonths || d.warrantyMonths > t.warrantyMaxMonths)
    return refuse(err('PROJECT_WARRANTY_OUT_OF_RANGE', { warrantyMonths: d.warrantyMonths, min: t.warrantyMinMonths, max: t.warrantyMaxMonths }));
  return accept({ type: 'ProjectConstructionStarted', data: { ...stamp(c), ...d, policy: policyVersion(t) } });
};

export const reportMilestone = (c: ReportMilestone, s: ExistingProject): D => {
  const d = c.data;
  if (s.milestones[d.milestoneId] !== undefined) return refuse(err('PROJECT_MILESTONE_EXISTS'));
  if (d.percentCompleteBp <= s.progressBp || d.percentCompleteBp > 10_000) return refuse(err('PROJECT_PROGRESS_NOT_INCREASING', { reported: s.progressBp }));
  return accept({ type: 'ProjectMilestoneReported', data: { ...stamp(c), ...d } });
};

export const complete = (c: CompleteProject, s: ExistingProject): D =>
  s.progressBp < 10_000 ? refuse(err('PROJECT_WORK_NOT_FINISHED', { progressBp: s.progressBp })) : accept({ type: 'ProjectCompleted', data: stamp(c) });

/** Acceptance starts the warranty; a time-scaled policy (a simulation's) counts its months in scaled seconds. */
export const acceptWorks = (c: AcceptProject, s: ExistingProject, p: ProjectPolicies): D => {
  const months = s.contract?.warrantyMonths ?? 0;
  const perMonth = p.payments.secondsPerMonth;
  const warrantyEndsAt = perMonth === undefined ? addMonths(c.meta.now, months) : addSeconds(c.meta.now, Math.ceil(months * perMonth));
  return accept({ type: 'ProjectAccepted', data: { ...stamp(c), warrantyEndsAt } });
};

export const settle = (c: SettleProject, s: ExistingProject, p: ProjectPolicies): D => {
  const amount = c.data.settlementAmount;
  if (amount <= 0) return refuse(err('PROJECT_AMOUNT_NOT_POSITIVE'));
  if (amount > s.funded) return refuse(err('PROJECT_SETTLEMENT_EXCEEDS_FUNDING', { fundedFen: s.funded, settlementFen: amount }));
  if (amount < s.paid) return refuse(err('PROJECT_SETTLEMENT_BELOW_PAID', { paidFen: s.paid, settlementFen: amount }));
  const retentionAmount = shareOf(amount, s.contract?.retentionBp ?? 0) as Fen;
  return accept({ type: 'ProjectSettled', data: { ...stamp(c), settlementAmount: amount, retentionAmount, policy: policyVersion(p.payments) } });
};
