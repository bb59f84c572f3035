import { accept, refuse, type Decision } from '../shared/result';
import { notBefore } from '../shared/ids';
import type { DomainError } from '../shared/errors';
import { BP, shareOf } from '../policy/payments';
import { negativeListBinds } from '../policy/negative-list';
import { isExpenditureKind, negativeListItemOf } from '../policy/expenditure-kinds';
import { policyVersion } from '../policy/table';
import { householdIdSchema } from '../household/ids';
import type { MilestoneKind } from '../fund/ids';
import type { RecordPayment } from './commands';
import { projectError as err } from './errors';
import type { ProjectEvent } from './events';
import type { ProjectPolicies } from './policies';
import { openFindings, TERMINAL, type ExistingProject } from './state';
import { stamp } from './decide-approval';

const BEFORE_CONTRACT = ['proposed', 'township-reviewed', 'county-approved', 'in-notice', 'in-library', 'funded'];
const BEFORE_ACCEPTANCE = [...BEFORE_CONTRACT, 'under-construction', 'completed'];

/** What a milestone kind may pay against: its cap, what already counts against it, and the refusal when a payment would pass it. */
interface Room {
  readonly cap: number;
  readonly paid: number;
  readonly over: () => DomainError;
}

/**
 * Each kind of payment pays for a step already taken: the advance for the signed contract, a
 * progress payment for a reported milestone (within the template's share of the work done), the settlement for an accepted and settled project,
 * the retention for a warranty that has ended with no finding open. The refusal when the step is
 * missing, else the room the kind has.
 */
const roomFor = (milestone: MilestoneKind, milestoneId: string | undefined, now: string, s: ExistingProject, p: ProjectPolicies): DomainError | Room => {
  const contract = s.contract;
  // Settlement and retention name their own missing step; the others need the contract first.
  if (contract === undefined && (milestone === 'advance' || milestone === 'progress')) return err('PAYMENT_BEFORE_CONTRACT');
  const amount = contract?.amount ?? 0;
  const retention = s.retentionAmount ?? shareOf(amount, contract?.retentionBp ?? 0);
  switch (milestone) {
    case 'advance': {
      if (s.status !== 'under-construction' || s.paidByKind.progress > 0) return err('PAYMENT_ADVANCE_TOO_LATE');
      const cap = shareOf(amount, contract?.advanceBp ?? 0);
      return { cap, paid: s.paidByKind.advance, over: () => err('PAYMENT_ADVANCE_OUT_OF_RANGE', { capFen: cap, paidFen: s.paidByKind.advance }) };
    }
    case 'progress': {
      if (s.status === 'settled') return err('PROJECT_OUT_OF_ORDER', { status: s.status, command: 'RecordPayment', milestone });
      if (milestoneId === undefined) return err('PAYMENT_MILESTONE_REQUIRED');
      const m = s.milestones[milestoneId];
      if (m === undefined) return err('PAYMENT_MILESTONE_NOT_REPORTED', { milestoneId });
      // The advance is set off against progress payments, so the cap is on everything paid so far.
      const progressMaxBp = p.payments.progressMaxBp ?? BP;
      const cap = Math.min(shareOf(shareOf(amount, m.percentCompleteBp), progressMaxBp), amount - retention);
      return { cap, paid: s.paid, over: () => err('PAYMENT_EXCEEDS_WORK_DONE', { capFen: cap, paidFen: s.paid, progressMaxBp }) };
    }
    case 'settlement': {
      if (BEFORE_ACCEPTANCE.includes(s.status)) return err('PAYMENT_SETTLEMENT_BEFORE_ACCEPTANCE');
      if (s.settlementAmount === undefined) return err('PAYMENT_SETTLEMENT_NOT_DECIDED');
      const cap = s.settlementAmount - retention;
      return { cap, paid: s.paid, over: () => err('PAYMENT_RETENTION_NOT_HELD', { capFen: cap, paidFen: s.paid, retentionFen: retention }) };
    }
    case 'retention': {
      if (s.settlementAmount === undefined || s.warrantyEndsAt === undefined || !notBefore(now, s.warrantyEndsAt))
        return err('PAYMENT_RETENTION_BEFORE_WARRANTY_END', { warrantyEndsAt: s.warrantyEndsAt });
      if (openFindings(s) > 0) return err('PAYMENT_OPEN_FINDINGS');
      const settlement = s.settlementAmount;
      return { cap: settlement, paid: s.paid, over: () => err('PAYMENT_EXCEEDS_SETTLEMENT', { settlementFen: settlement, paidFen: s.paid }) };
    }
  }
};

const isRefusal = (r: DomainError | Room): r is DomainError => 'code' in r;

const byKind = (c: RecordPayment, s: ExistingProject, p: ProjectPolicies): DomainError | undefined => {
  const r = roomFor(c.data.milestone, c.data.milestoneId, c.meta.now, s, p);
  if (isRefusal(r)) return r;
  return r.paid + c.data.amount > r.cap ? r.over() : undefined;
};

/** What one milestone kind may pay now under the payment template, before any allocation's limit: its cap, what counts against it, the room left; or why it may not pay at all. */
export type MilestoneRoom =
  { readonly ok: true; readonly capFen: number; readonly paidFen: number; readonly roomFen: number } | { readonly ok: false; readonly refusal: DomainError };

/** The same rule a payment is decided by (byKind), asked for its room instead of a yes or no. */
export const milestoneRoom = (milestone: MilestoneKind, s: ExistingProject, now: string, p: ProjectPolicies, milestoneId?: string): MilestoneRoom => {
  const r = roomFor(milestone, milestoneId, now, s, p);
  return isRefusal(r) ? { ok: false, refusal: r } : { ok: true, capFen: r.cap, paidFen: r.paid, roomFen: Math.max(0, r.cap - r.paid) };
};

/** The project's side of a payment: the template, the negative list and the allocation. */
export const recordPayment = (c: RecordPayment, s: ExistingProject, p: ProjectPolicies): Decision<ProjectEvent> => {
  const d = c.data;
  // The same payment id again is a retry of a payment already recorded.
  if (s.paymentIds[d.paymentId]) return accept();
  if (TERMINAL.includes(s.status)) return refuse(err('PROJECT_OUT_OF_ORDER', { status: s.status, command: c.type }));
  if (d.amount <= 0) return refuse(err('PROJECT_AMOUNT_NOT_POSITIVE'));
  // Checked here, not only at the boundary: the workflow decides before the rail pays, and the store would refuse the record after.
  if (d.householdId !== undefined && !householdIdSchema.safeParse(d.householdId).success) return refuse(err('PAYMENT_HOUSEHOLD_ID_INVALID'));
  if (!isExpenditureKind(d.use)) return refuse(err('PAYMENT_USE_UNKNOWN', { use: d.use }));
  const item = negativeListItemOf(d.use);
  const source = s.allocations[d.allocationId]?.source;
  // The list binds fiscal poverty money; the source is the allocation's (an unknown allocation is refused below).
  if (item !== undefined && source !== undefined && negativeListBinds(p.negativeList, source))
    return refuse(err('PAYMENT_PROHIBITED_USE', { use: d.use, source, item, ...p.negativeList.items[item] }));
  const ordered = byKind(c, s, p);
  if (ordered) return refuse(ordered);
  const a = s.allocations[d.allocationId];
  if (a === undefined || a.fundId !== d.fundId) return refuse(err('PAYMENT_ALLOCATION_NOT_FOUND'));
  if (a.paid + d.amount > a.amount) return refuse(err('PAYMENT_EXCEEDS_ALLOCATION', { allocatedFen: a.amount, paidFen: a.paid, askedFen: d.amount }));
  if (d.payee !== s.contract?.contractor) return refuse(err('PAYMENT_WRONG_PAYEE'));
  return accept({
    type: 'ProjectPaymentRecorded',
    data: {
      ...stamp(c),
      paymentId: d.paymentId,
      fundId: d.fundId,
      allocationId: d.allocationId,
      milestone: d.milestone,
      ...(d.milestoneId === undefined ? {} : { milestoneId: d.milestoneId }),
      payee: d.payee,
      ...(d.householdId === undefined ? {} : { householdId: d.householdId }),
      amount: d.amount,
      use: d.use,
      policies: [policyVersion(p.payments), policyVersion(p.negativeList)],
    },
  });
};
