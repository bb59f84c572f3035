import { deciderSpec } from '../shared/testing';
import { villageDecider } from './index';
import { CHECKLIST_ITEMS } from './checklist';
import { vcmd, villageHistory, vsteps, VT } from './fixtures';

/**
 * Issue 14 point 13: the village checklist counts a check only from the year the exit is for on.
 * Before, a road found hardened in 2016 still counted for a 2018 exit. A check made in January of
 * the next year counts: that is when a year's exits are judged.
 */
const spec = deciderSpec(villageDecider);
const checkAllAt = (now: string, year: number) =>
  CHECKLIST_ITEMS.map((i) =>
    vcmd(
      'CheckVillageItem',
      { item: i.id, result: i.id === 'passenger-bus' ? 'not-feasible' : i.id === 'collective-income' ? 'considered' : 'met', evidenceRef: `song-042-${i.id}-${year}` },
      'work-team',
      now,
    ),
  );

describe('village exit: a checklist item counts only when checked in the exit year or after it', () => {
  it('given every item checked in 2016 and the 2018 incidence below 2%, when the township applies for a 2018 exit, then refused, naming the items with the year they were checked', () => {
    const given = villageHistory([vsteps.register(), vsteps.incidence(19, 1000), ...checkAllAt('2016-09-01T09:00:00+08:00', 2016)]);
    const w = spec.given(given).when(vsteps.apply());
    w.thenRefuses('VILLAGE_CHECKLIST_INCOMPLETE');
    if (w.result.ok) return;
    expect(w.result.error.zh).toContain('有一条通村公路实现硬化（2016年核查，不计入2018年）');
    expect((w.result.error.details as { items: string[] }).items).toHaveLength(CHECKLIST_ITEMS.length);
  });

  it('given the road checked again in 2018 but the rest only in 2016, then still refused, naming only the 2016 items', () => {
    const given = villageHistory([
      vsteps.register(),
      vsteps.incidence(19, 1000),
      ...checkAllAt('2016-09-01T09:00:00+08:00', 2016),
      vcmd('CheckVillageItem', { item: 'hardened-road', result: 'met', evidenceRef: 'song-042-road-2018' }, 'work-team', VT.check),
    ]);
    const w = spec.given(given).when(vsteps.apply());
    w.thenRefuses('VILLAGE_CHECKLIST_INCOMPLETE');
    if (w.result.ok) return;
    expect((w.result.error.details as { items: string[] }).items).not.toContain('hardened-road');
    expect((w.result.error.details as { items: string[] }).items).toContain('broadband');
  });

  it('given every item checked in 2018, when applying for 2018, then accepted', () => {
    spec
      .given(villageHistory([vsteps.register(), vsteps.incidence(19, 1000), ...checkAllAt(VT.check, 2018)]))
      .when(vsteps.apply())
      .thenAccepts();
  });

  it('given every item checked in January 2019, when applying for a 2018 exit, then accepted', () => {
    spec
      .given(villageHistory([vsteps.register(), vsteps.incidence(19, 1000), ...checkAllAt('2019-01-08T09:00:00+08:00', 2018)]))
      .when(vsteps.apply())
      .thenAccepts();
  });

  it('dates a check by Beijing time: 2017-12-31T15:00Z is still 2017 in 洛阳 and does not count for 2018', () => {
    spec
      .given(villageHistory([vsteps.register(), vsteps.incidence(19, 1000), ...checkAllAt('2017-12-31T15:00:00Z', 2018)]))
      .when(vsteps.apply())
      .thenRefuses('VILLAGE_CHECKLIST_INCOMPLETE');
  });

  it('dates a check by Beijing time: 2017-12-31T17:00Z is 2018-01-01 in 洛阳 and counts for 2018', () => {
    spec
      .given(villageHistory([vsteps.register(), vsteps.incidence(19, 1000), ...checkAllAt('2017-12-31T17:00:00Z', 2018)]))
      .when(vsteps.apply())
      .thenAccepts();
  });
});
