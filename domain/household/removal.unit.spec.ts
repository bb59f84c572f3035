import { deciderSpec } from '../shared/testing';
import { householdDecider } from './index';
import { evolve } from './evolve';
import { initialState, isMemberOnFile, isRemoved, keepsPolicies, poorMembers } from './state';
import { cmd, historyOf, keysOf, MEMBERS, steps, T, TO_STATE } from './fixtures';
import type { HouseholdEvent } from './events';

/** 动态调整: removal from the register with a reason, a notice posted by the township, and the county's announcement. */
const spec = deciderSpec(householdDecider);
const poor = historyOf(TO_STATE.poor);
const proposed = historyOf([...TO_STATE.poor, steps.proposeRemoval('wrongly-identified', 'village-committee')]);
const inNotice = historyOf([...TO_STATE.poor, steps.proposeRemoval('wrongly-identified'), steps.removalNotice()]);
const removed = historyOf(TO_STATE.removed);
const exited = historyOf(TO_STATE.exited);
const stateOf = (events: readonly HouseholdEvent[]) => events.reduce(evolve, initialState());

describe('Removal from the register (动态调整: death, moving away, 错评清退)', () => {
  describe('Given a registered poor household', () => {
    it('when the village committee proposes a removal with its reason, then it is recorded, and the household is still registered', () => {
      const [e] = spec.given(poor).when(steps.proposeRemoval('wrongly-identified', 'village-committee')).thenAccepts();
      expect(e).toMatchObject({ type: 'HouseholdRemovalProposed', data: { reason: 'wrongly-identified', year: 2019, by: 'vc-song-042' } });
      expect(stateOf([...poor, e!]).status).toBe('poor');
    });
    it('when a county finance or inspector account proposes it, then it is refused', () => {
      spec.given(poor).when(steps.proposeRemoval('moved-away', 'county-finance')).thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
      spec.given(poor).when(steps.proposeRemoval('moved-away', 'inspector')).thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    });
    it('when the county announces a removal nobody proposed, then it is refused', () => spec.given(poor).when(steps.decideRemoval()).thenRefuses('HOUSEHOLD_REMOVAL_NOT_PROPOSED'));
  });

  describe('Given a proposed removal', () => {
    it('when a second one is proposed, then it is refused', () => spec.given(proposed).when(steps.proposeRemoval('deceased')).thenRefuses('HOUSEHOLD_REMOVAL_PENDING'));
    it('when the county decides before any notice, then it is refused', () => spec.given(proposed).when(steps.decideRemoval()).thenRefuses('EXIT_NOTICE_MISSING'));
    it('when the work team posts the notice, then it is refused: the village notice is posted by the township (在乡（镇）内公示)', () =>
      spec
        .given(proposed)
        .when(cmd('PostRemovalNotice', { endsAt: T.removalNoticeEnds }, 'work-team', T.removalNotice))
        .thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
    it('when the township posts a notice shorter than 7 days, then it is refused', () =>
      spec.given(proposed).when(steps.removalNotice('2019-01-17T09:00:00+08:00')).thenRefuses('EXIT_NOTICE_TOO_SHORT'));
  });

  describe('Given a removal under notice', () => {
    it('when the county decides before the notice ends, then it is refused', () =>
      spec.given(inNotice).when(steps.decideRemoval(true, '2019-01-17T09:00:00+08:00')).thenRefuses('EXIT_NOTICE_RUNNING'));
    it('when the county declines after the notice, then the household stays registered and may be proposed again', () => {
      const declined = spec.given(inNotice).when(steps.decideRemoval(false)).thenAccepts();
      expect(declined.map((e) => e.type)).toEqual(['HouseholdRemovalDeclined']);
      expect(stateOf([...inNotice, ...declined]).status).toBe('poor');
      spec
        .given([...inNotice, ...declined])
        .when(steps.proposeRemoval('deceased', 'work-team', T.later))
        .thenAccepts();
    });
    it('when the county announces after the notice, then the household is off the register with its reason', () => {
      const [e] = spec.given(inNotice).when(steps.decideRemoval()).thenAccepts();
      expect(e).toMatchObject({
        type: 'HouseholdRemovedFromRegister',
        data: { reason: 'wrongly-identified', year: 2019, memberCount: 3, countyId: 'song', villageId: 'vil-song-042' },
      });
    });
  });

  describe('Given a removed household', () => {
    const s = stateOf(removed);
    it('then it is removed, counts no poor people and keeps no policies', () => {
      expect(isRemoved(s)).toBe(true);
      expect(poorMembers(s)).toBe(0);
      expect(keepsPolicies(s, 2019)).toBe(false);
      expect(isMemberOnFile(s, MEMBERS[0]!.idNumber)).toBe(false);
    });
    it('when anything is recorded on its file, then it is refused', () => {
      spec
        .given(removed)
        .when(cmd('RecordIncome', { year: 2019, perCapitaIncome: 400_000 as never, stableIncomeSource: true }, 'work-team', T.later))
        .thenRefuses('HOUSEHOLD_REMOVED');
      spec
        .given(removed)
        .when(cmd('AssessForExit', { year: 2018 }, 'work-team', T.later))
        .thenRefuses('HOUSEHOLD_REMOVED');
    });
  });

  describe('Given an exited household (the last member died after exit)', () => {
    it('when the removal is proposed, noticed and announced, then it is removed', () => {
      const events = historyOf([
        ...TO_STATE.exited,
        steps.proposeRemoval('deceased', 'work-team', T.later),
        steps.removalNotice('2019-12-23T09:00:00+08:00', '2019-12-16T09:00:00+08:00'),
        steps.decideRemoval(true, '2019-12-24T09:00:00+08:00'),
      ]);
      expect(stateOf(events).status).toBe('removed');
    });
    it('during an exit round a removal waits for the round to end', () =>
      spec
        .given(historyOf(TO_STATE.assessed))
        .when(steps.proposeRemoval('deceased', 'work-team', T.later))
        .thenRefuses('EXIT_ROUND_IN_PROGRESS'));
    expect(exited.length).toBeGreaterThan(0);
  });
});

describe('Removal of one member', () => {
  const child = MEMBERS[2]!.idNumber;
  it('given a household of three, when a member who died is removed, then the file has two and the member is no longer on it', () => {
    const [e] = spec
      .given(poor)
      .when(cmd('RemoveMember', { year: 2019, idNumber: child, reason: 'deceased', recordRef: 'death-cert-1' }, 'work-team', T.later))
      .thenAccepts();
    expect(e).toMatchObject({
      type: 'HouseholdMemberRemoved',
      data: { reason: 'deceased', memberKey: keysOf([{ idNumber: child }])[0], idMasked: `${child.slice(0, 6)}********${child.slice(14)}` },
    });
    expect(JSON.stringify(e!.data)).not.toContain(child);
    const s = stateOf([...poor, e!]);
    expect(s.status !== 'unregistered' && s.file.memberCount).toBe(2);
    expect(isMemberOnFile(s, keysOf([{ idNumber: child }])[0]!)).toBe(false);
    expect(isMemberOnFile(s, keysOf(MEMBERS)[0]!)).toBe(true);
  });
  it('when the person named is not on the file, then it is refused', () =>
    spec
      .given(poor)
      .when(cmd('RemoveMember', { year: 2019, idNumber: '110101199003070011', reason: 'moved-away', recordRef: 'r' }, 'work-team', T.later))
      .thenRefuses('HOUSEHOLD_MEMBER_NOT_ON_FILE'));
  it('when the last member would be removed alone, then it is refused: that is the household’s removal', () => {
    const two = historyOf([...TO_STATE.poor, cmd('RemoveMember', { year: 2019, idNumber: child, reason: 'deceased', recordRef: 'r' }, 'work-team', T.later)]);
    const one = historyOf([
      ...TO_STATE.poor,
      cmd('RemoveMember', { year: 2019, idNumber: child, reason: 'deceased', recordRef: 'r' }, 'work-team', T.later),
      cmd('RemoveMember', { year: 2019, idNumber: MEMBERS[1]!.idNumber, reason: 'married-out', recordRef: 'r' }, 'work-team', T.later),
    ]);
    expect(two.length).toBeLessThan(one.length);
    spec
      .given(one)
      .when(cmd('RemoveMember', { year: 2019, idNumber: MEMBERS[0]!.idNumber, reason: 'deceased', recordRef: 'r' }, 'work-team', T.later))
      .thenRefuses('HOUSEHOLD_LAST_MEMBER');
  });
});
