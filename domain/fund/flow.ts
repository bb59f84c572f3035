import type { Fen } from '../shared/money';
import type { FundEvent } from './events';
import { evolve } from './evolve';
import { balanced, initialState, type FundState } from './state';

/**
 * Where a fund's money went, built from its own stream: appropriation → allocations to projects →
 * payments → payees, every payment carrying the fund's source (each yuan keeps its source), with
 * the sums that must hold to the fen. It is computed from the events, not from the books the
 * decider keeps, and then compared with them: two roads to the same figures.
 */
export interface FlowPayment {
  readonly paymentId: string;
  readonly milestone: string;
  readonly payee: string;
  readonly householdId: string | null;
  readonly amount: Fen;
  readonly source: string;
  readonly at: string;
  readonly by: string;
  readonly position: number;
}

export interface FlowAllocation {
  readonly allocationId: string;
  readonly projectId: string;
  readonly category: string;
  readonly allocated: Fen;
  readonly released: Fen;
  readonly paid: Fen;
  /** allocated − released − paid */
  readonly unpaid: Fen;
  readonly payments: readonly FlowPayment[];
}

export interface FlowPayee {
  readonly payee: string;
  readonly amount: Fen;
  readonly payments: number;
  readonly households: readonly string[];
  readonly projects: readonly string[];
}

/** The sums a fund's flow must hold, in the words the API answers (domain/names FUND_FLOW_RULE_NAMES holds their Chinese). */
export const FLOW_RULES = [
  'appropriated = available + allocated unpaid + paid + returned',
  'appropriation document amount = appropriated',
  'payments add up to paid',
  'payees add up to paid',
  'unpaid allocations add up to allocated unpaid',
  'returns add up to returned',
] as const;
export type FlowRule = (typeof FLOW_RULES)[number];

export interface FlowCheck {
  readonly rule: FlowRule;
  readonly holds: boolean;
  readonly left: Fen;
  readonly right: Fen;
}

export interface FundFlow {
  readonly fundId: string;
  readonly appropriation: {
    readonly source: string;
    readonly fiscalYear: number;
    readonly countyId: string;
    readonly documentNumber: string;
    readonly amount: Fen;
    readonly by: string;
    readonly at: string;
    readonly position: number;
  };
  readonly allocations: readonly FlowAllocation[];
  readonly returns: readonly { readonly amount: Fen; readonly reason: string; readonly at: string; readonly position: number }[];
  readonly payees: readonly FlowPayee[];
  readonly totals: { readonly appropriated: Fen; readonly available: Fen; readonly allocatedUnpaid: Fen; readonly paid: Fen; readonly returned: Fen };
  readonly frozen: boolean;
  /** Every sum that must hold; `reconciled` only when all do. */
  readonly checks: readonly FlowCheck[];
  readonly reconciled: boolean;
}

/** A fund event as read from the store: the decider's event and where it stands. */
export type PositionedFundEvent = FundEvent & { readonly position: number };

const sum = (xs: readonly number[]): Fen => xs.reduce((a, b) => a + b, 0) as Fen;
const check = (rule: FlowRule, left: number, right: number): FlowCheck => ({ rule, holds: left === right, left: left as Fen, right: right as Fen });

/** Null when the stream holds no appropriation (no such fund). */
export const fundFlow = (events: readonly PositionedFundEvent[]): FundFlow | null => {
  let state: FundState = initialState();
  let appropriation: FundFlow['appropriation'] | undefined;
  const allocations = new Map<string, { allocationId: string; projectId: string; category: string; allocated: number; released: number; payments: FlowPayment[] }>();
  const returns: FundFlow['returns'][number][] = [];
  for (const e of events) {
    state = evolve(state, e);
    switch (e.type) {
      case 'FundAppropriated':
        appropriation = {
          source: e.data.source,
          fiscalYear: e.data.fiscalYear,
          countyId: e.data.countyId,
          documentNumber: e.data.documentNumber,
          amount: e.data.amount,
          by: e.data.by,
          at: e.data.at,
          position: e.position,
        };
        break;
      case 'FundAllocated': {
        const a = allocations.get(e.data.allocationId);
        if (a) a.allocated += e.data.amount;
        else
          allocations.set(e.data.allocationId, {
            allocationId: e.data.allocationId,
            projectId: e.data.projectId,
            category: e.data.category,
            allocated: e.data.amount,
            released: 0,
            payments: [],
          });
        break;
      }
      case 'FundAllocationReleased': {
        const a = allocations.get(e.data.allocationId);
        if (a) a.released += e.data.amount;
        break;
      }
      case 'FundDisbursed':
        allocations.get(e.data.allocationId)?.payments.push({
          paymentId: e.data.paymentId,
          milestone: e.data.milestone,
          payee: e.data.payee,
          householdId: e.data.householdId ?? null,
          amount: e.data.amount,
          source: appropriation?.source ?? 'unknown',
          at: e.data.at,
          by: e.data.by,
          position: e.position,
        });
        break;
      case 'FundReturned':
        returns.push({ amount: e.data.amount, reason: e.data.reason, at: e.data.at, position: e.position });
        break;
      default:
        break;
    }
  }
  if (!appropriation || state.status === 'none') return null;

  const flowAllocations: FlowAllocation[] = [...allocations.values()].map((a) => {
    const paid = sum(a.payments.map((p) => p.amount));
    return { ...a, allocated: a.allocated as Fen, released: a.released as Fen, paid, unpaid: (a.allocated - a.released - paid) as Fen };
  });
  const payments = flowAllocations.flatMap((a) => a.payments.map((p) => ({ ...p, projectId: a.projectId })));
  const byPayee = new Map<string, { amount: number; payments: number; households: Set<string>; projects: Set<string> }>();
  for (const p of payments) {
    const x = byPayee.get(p.payee) ?? { amount: 0, payments: 0, households: new Set<string>(), projects: new Set<string>() };
    x.amount += p.amount;
    x.payments += 1;
    if (p.householdId) x.households.add(p.householdId);
    x.projects.add(p.projectId);
    byPayee.set(p.payee, x);
  }
  const payees: FlowPayee[] = [...byPayee.entries()]
    .map(([payee, x]) => ({ payee, amount: x.amount as Fen, payments: x.payments, households: [...x.households].sort(), projects: [...x.projects].sort() }))
    .sort((a, b) => b.amount - a.amount || a.payee.localeCompare(b.payee));

  const totals = { appropriated: state.appropriated, available: state.available, allocatedUnpaid: state.allocatedUnpaid, paid: state.paid, returned: state.returned };
  const paidByPayments = sum(payments.map((p) => p.amount));
  const checks = [
    check('appropriated = available + allocated unpaid + paid + returned', totals.appropriated, totals.available + totals.allocatedUnpaid + totals.paid + totals.returned),
    check('appropriation document amount = appropriated', appropriation.amount, totals.appropriated),
    check('payments add up to paid', paidByPayments, totals.paid),
    check('payees add up to paid', sum(payees.map((p) => p.amount)), totals.paid),
    check('unpaid allocations add up to allocated unpaid', sum(flowAllocations.map((a) => a.unpaid)), totals.allocatedUnpaid),
    check('returns add up to returned', sum(returns.map((r) => r.amount)), totals.returned),
  ];
  return {
    fundId: state.fundId,
    appropriation,
    allocations: flowAllocations,
    returns,
    payees,
    totals,
    frozen: state.status === 'frozen',
    checks,
    reconciled: balanced(state) && checks.every((c) => c.holds),
  };
};
