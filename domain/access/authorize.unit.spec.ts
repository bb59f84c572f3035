import { actor } from '../shared/fixtures';
import { ACTIONS, PERMISSIONS, type Action } from './actions';
import { authorize, can } from './authorize';

const official = actor('off.song.1', 'county-official', 'song');
const finance = actor('fin.song.1', 'county-finance', 'song');
const auditor = actor('audit.1', 'auditor');
const inspector = actor('inspect.1', 'inspector');
const city = actor('city.office.1', 'city-poverty-office');
const admin = actor('system.deadlines', 'administrator');

const MONEY: readonly Action[] = ACTIONS.filter((a) => a.startsWith('fund.') || a === 'project.record-payment' || a === 'project.record-funding');
const APPROVALS: readonly Action[] = ['project.township-review', 'project.county-review', 'project.accept', 'project.settle', 'project.enter-library'];

describe('Access rules', () => {
  it('separation of duties: the proposer cannot review or approve; the approver cannot accept', () => {
    expect(authorize(actor('twp.song.1', 'township-official', 'song'), 'project.township-review', { countyId: 'song', proposedBy: 'twp.song.1' })?.code).toBe(
      'ACCESS_PROPOSER_CANNOT_REVIEW',
    );
    expect(authorize(official, 'project.county-review', { countyId: 'song', proposedBy: official.userId })?.code).toBe('ACCESS_PROPOSER_CANNOT_APPROVE');
    expect(authorize(official, 'project.accept', { countyId: 'song', approvedBy: official.userId })?.code).toBe('ACCESS_APPROVER_CANNOT_ACCEPT');
    expect(can(official, 'project.accept', { countyId: 'song', approvedBy: 'off.song.2', proposedBy: 'twp.song.1' })).toBe(true);
  });
  it('a county official acts only in their county', () => {
    expect(authorize(official, 'project.county-review', { countyId: 'luanchuan' })?.code).toBe('ACCESS_OUT_OF_COUNTY');
    expect(authorize(finance, 'fund.disburse', { countyId: 'ruyang' })?.code).toBe('ACCESS_OUT_OF_COUNTY');
  });
  it('finance moves money and never approves', () => {
    expect(can(finance, 'fund.disburse', { countyId: 'song' })).toBe(true);
    for (const a of APPROVALS) expect(authorize(finance, a, { countyId: 'song' })?.code).toBe('ACCESS_ROLE_NOT_ALLOWED');
  });
  it('only finance disburses', () => {
    const payers = Object.entries(PERMISSIONS)
      .filter(([, actions]) => actions.includes('fund.disburse'))
      .map(([role]) => role);
    expect(payers).toEqual(['county-finance']);
  });
  it('inspectors and auditors read and record findings, never change money or approve', () => {
    for (const a of [auditor, inspector]) {
      expect(can(a, 'read', { countyId: 'song' })).toBe(true);
      expect(can(a, 'project.record-finding', { countyId: 'song' })).toBe(true);
      for (const m of [...MONEY, ...APPROVALS]) expect(can(a, m, { countyId: 'song' })).toBe(false);
    }
  });
  it('the city office oversees across counties: escalates and freezes, never pays or approves', () => {
    expect(can(city, 'project.escalate', { countyId: 'luanchuan' })).toBe(true);
    expect(can(city, 'fund.freeze', { countyId: 'song' })).toBe(true);
    expect(can(city, 'fund.disburse', { countyId: 'song' })).toBe(false);
    for (const a of APPROVALS) expect(can(city, a, { countyId: 'song' })).toBe(false);
  });
  it('the administrator only escalates and reads', () => {
    expect(PERMISSIONS.administrator).toEqual(['project.escalate', 'read']);
    expect(can(admin, 'fund.allocate')).toBe(false);
  });
  it('freezing and unfreezing a fund: finance in its county and the city office anywhere; returning money: finance alone', () => {
    const holders = (action: Action) =>
      Object.entries(PERMISSIONS)
        .filter(([, actions]) => actions.includes(action))
        .map(([role]) => role);
    expect(holders('fund.freeze')).toEqual(['county-finance', 'city-poverty-office']);
    expect(holders('fund.unfreeze')).toEqual(['county-finance', 'city-poverty-office']);
    expect(holders('fund.return')).toEqual(['county-finance']);
    for (const a of ['fund.freeze', 'fund.unfreeze', 'fund.return'] as const) {
      expect(can(finance, a, { countyId: 'song' })).toBe(true);
      expect(authorize(finance, a, { countyId: 'luanchuan' })?.code).toBe('ACCESS_OUT_OF_COUNTY');
      expect(authorize(official, a, { countyId: 'song' })?.code).toBe('ACCESS_ROLE_NOT_ALLOWED');
    }
    expect(can(city, 'fund.unfreeze', { countyId: 'luanchuan' })).toBe(true);
    expect(authorize(city, 'fund.return', { countyId: 'song' })?.code).toBe('ACCESS_ROLE_NOT_ALLOWED');
  });
  it('every refusal carries Chinese and English', () => {
    const e = authorize(auditor, 'fund.disburse');
    expect(e?.zh).toMatch(/无权/);
    expect(e?.en).toMatch(/may not/);
  });
});
