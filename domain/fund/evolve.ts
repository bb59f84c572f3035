import type { Fen } from '../shared/money';
import { PersistentMap } from '../shared/persistent-map';
import type { FundEvent } from './events';
import type { FundBooks, FundState } from './state';

const f = (n: number): Fen => n as Fen;

const withAllocation = (s: FundBooks, id: string, change: (a: FundBooks['allocations'][string]) => FundBooks['allocations'][string]) => {
  const a = s.allocations[id];
  return a === undefined ? s.allocations : { ...s.allocations, [id]: change(a) };
};

export const evolve = (state: FundState, event: FundEvent): FundState => {
  const { type, data } = event;
  if (type === 'FundAppropriated') {
    return {
      status: 'open',
      fundId: data.fundId,
      source: data.source,
      fiscalYear: data.fiscalYear,
      countyId: data.countyId,
      documentNumber: data.documentNumber,
      earmark: data.earmark,
      appropriated: data.amount,
      available: data.amount,
      allocatedUnpaid: f(0),
      paid: f(0),
      returned: f(0),
      allocations: {},
      payments: PersistentMap.empty(),
    };
  }
  if (state.status === 'none') return state;
  switch (type) {
    case 'FundAllocated':
      return {
        ...state,
        available: f(state.available - data.amount),
        allocatedUnpaid: f(state.allocatedUnpaid + data.amount),
        allocations: {
          ...state.allocations,
          [data.allocationId]: { projectId: data.projectId, category: data.category, amount: data.amount, paid: f(0), released: f(0) },
        },
      };
    case 'FundAllocationReleased':
      return {
        ...state,
        available: f(state.available + data.amount),
        allocatedUnpaid: f(state.allocatedUnpaid - data.amount),
        allocations: withAllocation(state, data.allocationId, (a) => ({ ...a, amount: f(a.amount - data.amount), released: f(a.released + data.amount) })),
      };
    case 'FundDisbursed':
      return {
        ...state,
        allocatedUnpaid: f(state.allocatedUnpaid - data.amount),
        paid: f(state.paid + data.amount),
        allocations: withAllocation(state, data.allocationId, (a) => ({ ...a, paid: f(a.paid + data.amount) })),
        payments: state.payments.set(data.paymentId, {
          allocationId: data.allocationId,
          milestone: data.milestone,
          payee: data.payee,
          ...(data.householdId === undefined ? {} : { householdId: data.householdId }),
          amount: data.amount,
        }),
      };
    case 'FundReturned':
      return { ...state, available: f(state.available - data.amount), returned: f(state.returned + data.amount) };
    case 'FundFrozen': {
      const { status: _s, ...books } = state;
      return { ...books, status: 'frozen', frozenReason: data.reason };
    }
    case 'FundUnfrozen': {
      if (state.status !== 'frozen') return state;
      const { status: _s, frozenReason: _r, ...books } = state;
      return { ...books, status: 'open' };
    }
    default: {
      const _never: never = type;
      return state;
    }
  }
};

export const evolveAll = (events: readonly FundEvent[], from: FundState): FundState => events.reduce(evolve, from);
