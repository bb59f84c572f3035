import type { Role } from '../shared/actor';
import { ROLES } from '../shared/actor';
import { actor } from '../shared/fixtures';
import { ACTIONS, PERMISSIONS, type Action } from './actions';
import { authorize, can } from './authorize';

/**
 * The exit steps' roles, as the exit workflows' STEP tables and the deciders take them. The API
 * checks these before it sends anything; a drift between the two would let a request through the
 * gate only to be refused later, or refuse one the workflow would take.
 */
const EXIT_ROLES: Readonly<Record<string, readonly Role[]>> = {
  'household.register': ['township-official', 'county-official', 'work-team'],
  'household.record-yearly': ['township-official', 'county-official', 'work-team'],
  'household.propose-removal': ['township-official', 'work-team', 'village-committee'],
  'household.post-removal-notice': ['township-official'],
  'household.decide-removal': ['county-official'],
  'household.remove-member': ['township-official', 'county-official', 'work-team', 'village-committee'],
  'village.register': ['county-official'],
  'exit-round.start': ['township-official', 'work-team'],
  'exit-round.appraise': ['township-official', 'work-team'],
  'exit-round.check': ['work-team'],
  'exit-round.consent': ['township-official', 'work-team'],
  'exit-round.withdraw-consent': ['township-official', 'county-official', 'work-team'],
  'exit-round.post-notice': ['township-official', 'work-team'],
  'exit-round.object': ['township-official', 'county-official', 'inspector', 'work-team'],
  'exit-round.township-review': ['township-official'],
  'exit-round.announce': ['county-official'],
  'village-exit.apply': ['township-official'],
  'village-exit.review': ['county-official'],
  'village-exit.object': ['township-official', 'county-official', 'inspector', 'work-team'],
  'village-exit.announce': ['county-official'],
  'county-exit.apply': ['county-official'],
  'county-exit.city-pre-check': ['city-poverty-office'],
  'county-exit.provincial-check': ['inspector'],
  'county-exit.object': ['township-official', 'county-official', 'city-poverty-office', 'inspector', 'work-team'],
  'county-exit.announce': ['city-poverty-office'],
  'return-review.start': ['township-official', 'county-official', 'work-team'],
  'return-review.visit': ['township-official', 'work-team'],
  'return-review.post-notice': ['township-official', 'work-team'],
  'return-review.decide': ['county-official'],
};

const holders = (a: Action): Role[] => ROLES.filter((r) => PERMISSIONS[r].includes(a));

describe('exit and registry actions', () => {
  it.each(Object.entries(EXIT_ROLES))('%s is open to exactly the roles its step takes', (action, roles) => {
    expect(ACTIONS).toContain(action);
    expect(holders(action as Action).sort()).toEqual([...roles].sort());
  });
  it('every registry, village, exit and review action is in the table above', () => {
    const exitish = ACTIONS.filter((a) => /^(household|village|exit-round|village-exit|county-exit|return-review)\./.test(a));
    expect(exitish.sort()).toEqual(Object.keys(EXIT_ROLES).sort());
  });
  it('a county-scoped role acts only in its county; the city office and inspectors across counties', () => {
    const team = actor('team.song.1', 'work-team', 'song');
    expect(can(team, 'exit-round.start', { countyId: 'song' })).toBe(true);
    expect(authorize(team, 'exit-round.start', { countyId: 'luanchuan' })?.code).toBe('ACCESS_OUT_OF_COUNTY');
    expect(can(actor('city.1', 'city-poverty-office'), 'county-exit.announce', { countyId: 'luanchuan' })).toBe(true);
    expect(can(actor('insp.1', 'inspector'), 'county-exit.provincial-check', { countyId: 'song' })).toBe(true);
  });
  it('finance and auditors take no exit step; the administrator none either', () => {
    for (const role of ['county-finance', 'auditor', 'administrator'] as const) {
      for (const a of Object.keys(EXIT_ROLES)) expect(authorize(actor(`${role}.1`, role, role === 'county-finance' ? 'song' : undefined), a as Action, { countyId: 'song' })?.code).toBe('ACCESS_ROLE_NOT_ALLOWED');
    }
  });
  it('separation of duties in a round: the work team checks, only the township reviews, only the county announces', () => {
    expect(holders('exit-round.check')).toEqual(['work-team']);
    expect(holders('exit-round.township-review')).toEqual(['township-official']);
    expect(holders('exit-round.announce')).toEqual(['county-official']);
  });
});
