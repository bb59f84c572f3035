import { evolveAll } from './evolve';
import { initialState, PROJECT_STATUSES, type ProjectStatus } from './state';
import { nextActor, nextActorAtStage, STAGE_STEP, type ActiveStatus, type StageActor } from './next-actor';
import { can } from '../access/authorize';
import { actor } from '../shared/fixtures';
import { COUNTY_SCOPED_ROLES } from '../shared/actor';
import { HISTORIES, who } from './project.fixtures';

const at = (k: keyof typeof HISTORIES) => nextActor(evolveAll(HISTORIES[k], initialState()));

describe('nextActor', () => {
  it('names who acts next at every stage, and who may not', () => {
    expect(at('none')).toBeUndefined();
    expect(at('proposed')).toMatchObject({ roles: ['township-official'], action: 'project.township-review', deadlineKind: 'township-review', notBy: who.proposer.userId });
    expect(at('township-reviewed')).toMatchObject({ roles: ['county-official'], action: 'project.county-review', notBy: who.proposer.userId });
    expect(at('county-approved')).toMatchObject({ action: 'project.publish-notice' });
    expect(at('in-notice')).toMatchObject({ action: 'project.enter-library', deadlineKind: 'notice-period', notBefore: '2017-03-18T01:00:00.000Z' });
    expect(at('in-library')).toMatchObject({ action: 'project.record-funding', deadlineKind: 'funding' });
    expect(at('funded')).toMatchObject({ action: 'project.start-construction' });
    expect(at('under-construction')).toMatchObject({ action: 'project.report-milestone', deadlineKind: 'construction' });
    expect(at('completed')).toMatchObject({ action: 'project.accept', notBy: who.approver.userId });
    expect(at('accepted')).toMatchObject({ action: 'project.settle' });
    expect(at('settled')).toMatchObject({ action: 'project.hand-over', notBefore: '2018-09-20T01:00:00.000Z' });
    for (const k of ['closed', 'rejected', 'cancelled'] as const) expect(at(k)).toBeUndefined();
  });
  it('after settlement: finance pays the settlement, then the retention once the warranty ends', () => {
    const settled = HISTORIES.settled;
    expect(nextActor(evolveAll(settled.slice(0, -2), initialState()))).toMatchObject({ roles: ['county-finance'], deadlineKind: 'settlement' });
    expect(nextActor(evolveAll(settled.slice(0, -1), initialState()))).toMatchObject({ deadlineKind: 'retention-release', notBefore: '2018-09-20T01:00:00.000Z' });
  });
});

describe('nextActorAtStage: who a project waits for, from its stage alone', () => {
  const EXPECTED: Readonly<Record<ProjectStatus, StageActor | null>> = {
    proposed: { role: 'township-official', countyId: 'song' },
    'township-reviewed': { role: 'county-official', countyId: 'song' },
    'county-approved': { role: 'county-official', countyId: 'song' },
    'in-notice': { role: 'county-official', countyId: 'song' },
    'in-library': { role: 'county-official', countyId: 'song' },
    funded: { role: 'county-official', countyId: 'song' },
    'under-construction': { role: 'township-official', countyId: 'song' },
    completed: { role: 'county-official', countyId: 'song' },
    accepted: { role: 'county-official', countyId: 'song' },
    settled: { role: 'county-finance', countyId: 'song' },
    closed: null,
    rejected: null,
    cancelled: null,
  };
  it.each(PROJECT_STATUSES.map((s) => [s, EXPECTED[s]] as const))('%s → %j', (stage, expected) => {
    expect(nextActorAtStage(stage, 'song')).toEqual(expected);
  });
  it('a stage this domain does not know, or none, waits for no one', () => {
    expect(nextActorAtStage('none', 'song')).toBeNull();
    expect(nextActorAtStage('paid-in-full', 'song')).toBeNull();
    expect(nextActorAtStage('toString', 'song')).toBeNull();
  });
  it('is the first role of what the project’s own state asks when it reaches the stage', () => {
    for (const k of Object.keys(HISTORIES) as (keyof typeof HISTORIES)[]) {
      const s = evolveAll(HISTORIES[k], initialState());
      const full = nextActor(s);
      if (s.status === 'settled' || s.status === 'under-construction') continue; // the state moves on within these stages
      expect(nextActorAtStage(s.status, 'song')?.role).toBe(full?.roles[0]);
    }
    // A stage's step is one the named role may take in the project's county, and a neighbour's official may not (domain/access).
    for (const stage of Object.keys(STAGE_STEP) as ActiveStatus[]) {
      const a = nextActorAtStage(stage, 'song')!;
      expect(can(actor(`${a.role}.1`, a.role, a.countyId), STAGE_STEP[stage].action, { countyId: 'song' })).toBe(true);
      expect(can(actor(`${a.role}.2`, a.role, 'luanchuan'), STAGE_STEP[stage].action, { countyId: 'song' })).toBe(false);
    }
  });
  it("every stage waits for a county-scoped role, named with the project's county", () => {
    for (const stage of Object.keys(STAGE_STEP) as ActiveStatus[]) {
      expect(COUNTY_SCOPED_ROLES).toContain(nextActorAtStage(stage, 'ruyang')!.role);
      expect(nextActorAtStage(stage, 'ruyang')!.countyId).toBe('ruyang');
    }
  });
});
