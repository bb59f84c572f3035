import type { CommandMeta } from '../shared/actor';
import type { DomainError } from '../shared/errors';
import type { Fen } from '../shared/money';
import * as fund from '../fund';
import * as project from '../project';

export interface PaymentRequest {
  readonly projectId: string;
  readonly fundId: string;
  readonly allocationId: string;
  /** The payment rail's idempotency key: derived from the workflow and step, so a retry repeats it. */
  readonly paymentId: string;
  readonly milestone: fund.MilestoneKind;
  /** The reported milestone a progress payment pays for. */
  readonly milestoneId?: string;
  /** The account paid: what the rail is told. */
  readonly payee: string;
  /** The household the payment is for (到户), when it is one's; recorded on both streams, never sent to the rail. */
  readonly householdId?: string;
  readonly amount: Fen;
  /** What the money pays for; a use on the negative list is refused. */
  readonly use: string;
  /** Set only when recording what the rail has confirmed: a fund frozen since the check still records it. */
  readonly railConfirmed?: true;
}

/** Events for two streams, appended in one transaction; or the rule that refused. */
export type TwoStreamDecision = { ok: true; fundEvents: fund.FundEvent[]; projectEvents: project.ProjectEvent[] } | { ok: false; error: DomainError };

/**
 * The disbursement workflow's check: the project's template and order (advance within the agreed
 * 10–30%, progress only for a reported milestone and the work done, settlement only after
 * acceptance, the retention held until the warranty ends, the negative list) and the fund's
 * books (not frozen, never beyond the allocation). Both sides must agree or nothing is recorded.
 * Once the rail has confirmed (`railConfirmed`), a freeze no longer refuses the record: every other rule still does.
 * A retry with the same payment id yields no events.
 */
export const decidePayment = (
  request: PaymentRequest,
  projectState: project.ProjectState,
  fundState: fund.FundState,
  meta: CommandMeta,
  decideProject = project.decide,
): TwoStreamDecision => {
  const { projectId, fundId, allocationId, paymentId, milestone, milestoneId, payee, householdId, amount, use, railConfirmed } = request;
  const forHousehold = householdId === undefined ? {} : { householdId };
  const p = decideProject(
    { type: 'RecordPayment', data: { projectId, fundId, allocationId, paymentId, milestone, ...(milestoneId ? { milestoneId } : {}), payee, ...forHousehold, amount, use }, meta },
    projectState,
  );
  if (!p.ok) return p;
  const f = fund.decide(
    { type: 'DisburseFund', data: { fundId, allocationId, paymentId, milestone, payee, ...forHousehold, amount, ...(railConfirmed ? { railConfirmed } : {}) }, meta },
    fundState,
  );
  if (!f.ok) return f;
  if (fundState.status !== 'none' && fundState.allocations[allocationId]?.projectId !== projectId)
    return { ok: false, error: project.projectError('PAYMENT_ALLOCATION_NOT_FOUND', { fundId, allocationId }) };
  return { ok: true, fundEvents: f.events, projectEvents: p.events };
};

export interface AllocationRequest {
  readonly projectId: string;
  readonly fundId: string;
  readonly allocationId: string;
  readonly amount: Fen;
}

/**
 * Integrated funding: the fund sets money aside (earmark, county, balance) and the project
 * records it with the fund's source (never beyond its budget); both or neither.
 */
export const decideAllocation = (
  request: AllocationRequest,
  projectState: project.ProjectState,
  fundState: fund.FundState,
  meta: CommandMeta,
  decideProject = project.decide,
): TwoStreamDecision => {
  const { projectId, fundId, allocationId, amount } = request;
  if (projectState.status === 'none') return { ok: false, error: project.projectError('PROJECT_NOT_FOUND') };
  if (fundState.status === 'none') return { ok: false, error: fund.fundErrors.notFound() };
  const p = decideProject({ type: 'RecordFunding', data: { projectId, fundId, allocationId, source: fundState.source, amount }, meta }, projectState);
  if (!p.ok) return p;
  const f = fund.decide(
    { type: 'AllocateFund', data: { fundId, allocationId, projectId, projectCountyId: projectState.countyId, category: projectState.category, amount }, meta },
    fundState,
  );
  if (!f.ok) return f;
  return { ok: true, fundEvents: f.events, projectEvents: p.events };
};

/** After a cancellation: the release command each fund must take. */
export const releaseCommands = (cancelled: project.ProjectEventOf<'ProjectCancelled'>, meta: CommandMeta): fund.ReleaseAllocation[] =>
  cancelled.data.releases.map((r) => ({
    type: 'ReleaseAllocation',
    data: { fundId: r.fundId, allocationId: r.allocationId, amount: r.amount, reason: `project ${cancelled.data.projectId} cancelled: ${cancelled.data.reason}`.slice(0, 500) },
    meta,
  }));
