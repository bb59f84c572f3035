import { authorize } from '../access/authorize';
import { accept, refuse, type Decision } from '../shared/result';
import type { Fen } from '../shared/money';
import { householdIdSchema } from '../household/ids';
import type { AllocateFund, AppropriateFund, DisburseFund, FreezeFund, FundCommand, ReleaseAllocation, ReturnFund, UnfreezeFund } from './commands';
import { fundErrors as err } from './errors';
import type { FundEvent } from './events';
import type { FundState, PaymentRecord } from './state';

type Open = Extract<FundState, { status: 'open' | 'frozen' }>;
type D = Decision<FundEvent>;

const stamp = (c: FundCommand) => ({ fundId: c.data.fundId, by: c.meta.actor.userId, at: c.meta.now });

const appropriate = (c: AppropriateFund, s: FundState): D => {
  const denied = authorize(c.meta.actor, 'fund.appropriate', { countyId: c.data.countyId });
  if (denied) return refuse(denied);
  if (s.status !== 'none') return refuse(err.alreadyAppropriated());
  // Routes read a fund's county from its id (fund-<county>-…): an id naming another county would put the fund in the wrong users' scope.
  if (c.data.fundId.split('-')[1] !== c.data.countyId) return refuse(err.idNotOfCounty(c.data.fundId, c.data.countyId));
  if (c.data.amount <= 0) return refuse(err.amountNotPositive());
  const { fundId: _f, ...d } = c.data;
  return accept({ type: 'FundAppropriated', data: { ...stamp(c), ...d, earmark: [...new Set(d.earmark)] } });
};

const allocate = (c: AllocateFund, s: Open): D => {
  const d = c.data;
  if (s.status === 'frozen') return refuse(err.frozen());
  if (d.amount <= 0) return refuse(err.amountNotPositive());
  if (d.projectCountyId !== s.countyId) return refuse(err.outOfCounty());
  if (!s.earmark.includes(d.category)) return refuse(err.notEarmarked(d.category, s.earmark));
  if (s.allocations[d.allocationId] !== undefined) return refuse(err.allocationExists());
  if (d.amount > s.available) return refuse(err.insufficient(d.amount, s.available));
  return accept({ type: 'FundAllocated', data: { ...stamp(c), allocationId: d.allocationId, projectId: d.projectId, category: d.category, amount: d.amount } });
};

const release = (c: ReleaseAllocation, s: Open): D => {
  const a = s.allocations[c.data.allocationId];
  if (a === undefined) return refuse(err.allocationNotFound());
  const unpaid = a.amount - a.paid;
  if (unpaid === 0) return refuse(err.nothingToRelease());
  const amount = c.data.amount ?? (unpaid as Fen);
  if (amount <= 0) return refuse(err.amountNotPositive());
  if (amount > unpaid) return refuse(err.releaseExceedsUnpaid(amount, unpaid));
  return accept({ type: 'FundAllocationReleased', data: { ...stamp(c), allocationId: c.data.allocationId, projectId: a.projectId, amount, reason: c.data.reason } });
};

const samePayment = (p: PaymentRecord, d: DisburseFund['data']): boolean =>
  p.allocationId === d.allocationId && p.amount === d.amount && p.payee === d.payee && p.milestone === d.milestone && p.householdId === d.householdId;

const disburse = (c: DisburseFund, s: Open): D => {
  const d = c.data;
  const earlier = s.payments.get(d.paymentId);
  // A retried payment with the same idempotency key is already done: nothing new to record.
  if (earlier !== undefined) return samePayment(earlier, d) ? accept() : refuse(err.paymentIdReused());
  // A freeze stops money from leaving, not the books from saying that it left.
  if (s.status === 'frozen' && d.railConfirmed !== true) return refuse(err.frozen());
  const a = s.allocations[d.allocationId];
  if (a === undefined) return refuse(err.allocationNotFound());
  if (d.amount <= 0) return refuse(err.amountNotPositive());
  // Checked here, not only at the boundary: a workflow decides before the rail pays, and the store would refuse the record after.
  if (d.householdId !== undefined && !householdIdSchema.safeParse(d.householdId).success) return refuse(err.householdIdInvalid());
  // Scope is read from ids (hh-<county>-…): a county's money pays its own households, never another county's (before the rail is asked).
  if (d.householdId !== undefined && d.householdId.split('-')[1] !== s.countyId) return refuse(err.householdOutOfCounty(d.householdId, s.countyId));
  const unpaid = a.amount - a.paid;
  if (d.amount > unpaid) return refuse(err.paymentExceedsAllocation(d.amount, unpaid));
  return accept({
    type: 'FundDisbursed',
    data: {
      ...stamp(c),
      allocationId: d.allocationId,
      projectId: a.projectId,
      paymentId: d.paymentId,
      milestone: d.milestone,
      payee: d.payee,
      ...(d.householdId === undefined ? {} : { householdId: d.householdId }),
      amount: d.amount,
    },
  });
};

const giveBack = (c: ReturnFund, s: Open): D => {
  if (c.data.amount <= 0) return refuse(err.amountNotPositive());
  if (c.data.amount > s.available) return refuse(err.insufficient(c.data.amount, s.available));
  return accept({ type: 'FundReturned', data: { ...stamp(c), amount: c.data.amount, reason: c.data.reason } });
};

const freeze = (c: FreezeFund, s: Open): D => (s.status === 'frozen' ? refuse(err.alreadyFrozen()) : accept({ type: 'FundFrozen', data: { ...stamp(c), reason: c.data.reason } }));

const unfreeze = (c: UnfreezeFund, s: Open): D =>
  s.status !== 'frozen' ? refuse(err.notFrozen()) : accept({ type: 'FundUnfrozen', data: { ...stamp(c), reason: c.data.reason } });

const ACTION = {
  AllocateFund: 'fund.allocate',
  ReleaseAllocation: 'fund.release',
  DisburseFund: 'fund.disburse',
  ReturnFund: 'fund.return',
  FreezeFund: 'fund.freeze',
  UnfreezeFund: 'fund.unfreeze',
} as const;

/** Access first (no caller can skip it), then the fund must exist, then the command's own rules. */
export const decide = (command: FundCommand, state: FundState): D => {
  if (command.type === 'AppropriateFund') return appropriate(command, state);
  if (state.status === 'none') {
    const denied = authorize(command.meta.actor, ACTION[command.type]);
    return refuse(denied ?? err.notFound());
  }
  const denied = authorize(command.meta.actor, ACTION[command.type], { countyId: state.countyId });
  if (denied) return refuse(denied);
  switch (command.type) {
    case 'AllocateFund':
      return allocate(command, state);
    case 'ReleaseAllocation':
      return release(command, state);
    case 'DisburseFund':
      return disburse(command, state);
    case 'ReturnFund':
      return giveBack(command, state);
    case 'FreezeFund':
      return freeze(command, state);
    case 'UnfreezeFund':
      return unfreeze(command, state);
    default: {
      const _never: never = command;
      return _never;
    }
  }
};
