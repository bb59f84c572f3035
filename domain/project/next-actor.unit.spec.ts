import { evolveAll } from './evolve';
import { initialState } from './state';
import { nextActor } from './next-actor';
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
