import { actor, meta } from '../shared/fixtures';
import type { Fen } from '../shared/money';
import type { FundCommand } from './commands';
import type { FundEvent } from './events';

export const NOW = '2017-03-01T09:00:00+08:00';
export const finance = actor('fin.song.1', 'county-finance', 'song');
export const financeElsewhere = actor('fin.luanchuan.1', 'county-finance', 'luanchuan');
export const official = actor('off.song.1', 'county-official', 'song');
export const cityOffice = actor('city.office.1', 'city-poverty-office');
export const auditor = actor('audit.1', 'auditor');

export const FUND = 'fund-song-2017-central-01';
export const PROJECT = 'prj-song-2017-road0001';
const by = (a = finance) => ({ fundId: FUND, by: a.userId, at: NOW });
const m = (a = finance) => meta(a, NOW);

export const wan = (n: number) => (n * 1_000_000) as Fen;

export const cmd = {
  appropriate: (amount = wan(100), a = finance): FundCommand => ({
    type: 'AppropriateFund',
    data: { fundId: FUND, source: 'central', fiscalYear: 2017, countyId: 'song', documentNumber: '豫财农〔2017〕1号', amount, earmark: ['transport', 'water'] },
    meta: m(a),
  }),
  allocate: (amount = wan(30), allocationId = 'alc-1', category: 'transport' | 'health' = 'transport', a = finance): FundCommand => ({
    type: 'AllocateFund',
    data: { fundId: FUND, allocationId, projectId: PROJECT, projectCountyId: 'song', category, amount },
    meta: m(a),
  }),
  release: (amount?: Fen, allocationId = 'alc-1', a = finance): FundCommand => ({
    type: 'ReleaseAllocation',
    data: { fundId: FUND, allocationId, ...(amount === undefined ? {} : { amount }), reason: 'project cancelled' },
    meta: m(a),
  }),
  disburse: (amount = wan(9), paymentId = 'pay-1', allocationId = 'alc-1', a = finance): FundCommand => ({
    type: 'DisburseFund',
    data: { fundId: FUND, allocationId, paymentId, milestone: 'advance', payee: 'acct-contractor-1', amount },
    meta: m(a),
  }),
  giveBack: (amount = wan(10), a = finance): FundCommand => ({ type: 'ReturnFund', data: { fundId: FUND, amount, reason: 'unused at year end' }, meta: m(a) }),
  freeze: (a = cityOffice): FundCommand => ({ type: 'FreezeFund', data: { fundId: FUND, reason: 'audit query' }, meta: m(a) }),
  unfreeze: (a = cityOffice): FundCommand => ({ type: 'UnfreezeFund', data: { fundId: FUND, reason: 'query answered' }, meta: m(a) }),
};

export const ev = {
  appropriated: (amount = wan(100)): FundEvent => ({
    type: 'FundAppropriated',
    data: { ...by(), source: 'central', fiscalYear: 2017, countyId: 'song', documentNumber: '豫财农〔2017〕1号', amount, earmark: ['transport', 'water'] },
  }),
  allocated: (amount = wan(30), allocationId = 'alc-1'): FundEvent => ({
    type: 'FundAllocated',
    data: { ...by(), allocationId, projectId: PROJECT, category: 'transport', amount },
  }),
  released: (amount: Fen, allocationId = 'alc-1'): FundEvent => ({
    type: 'FundAllocationReleased',
    data: { ...by(), allocationId, projectId: PROJECT, amount, reason: 'project cancelled' },
  }),
  disbursed: (amount = wan(9), paymentId = 'pay-1', allocationId = 'alc-1'): FundEvent => ({
    type: 'FundDisbursed',
    data: { ...by(), allocationId, projectId: PROJECT, paymentId, milestone: 'advance', payee: 'acct-contractor-1', amount },
  }),
  returned: (amount = wan(10)): FundEvent => ({ type: 'FundReturned', data: { ...by(), amount, reason: 'unused at year end' } }),
  frozen: (): FundEvent => ({ type: 'FundFrozen', data: { ...by(cityOffice), reason: 'audit query' } }),
  unfrozen: (): FundEvent => ({ type: 'FundUnfrozen', data: { ...by(cityOffice), reason: 'query answered' } }),
};
