import { planCounty } from './plan';
import { BENEFIT_YEARS, closedAccountSwitches, planBenefits } from './benefits';

describe('who the simulation’s benefit rounds pay', () => {
  const song = planCounty('seed-a', 'ab12', 'song', { num: 1, den: 50 });
  const b = planBenefits('seed-a', song);
  const age = (idNumber: string, year: number) => year - Number(idNumber.slice(6, 10));

  it('is the same for the same seed, and another for another seed', () => {
    expect(planBenefits('seed-a', song)).toEqual(b);
    expect([...planBenefits('seed-b', song).students.values()].flat()).not.toEqual([...b.students.values()].flat());
  });

  it('pays 中职 students aged 15 to 17 in their school year, from 2017', () => {
    expect([...b.students.keys()].every((y) => (BENEFIT_YEARS as readonly number[]).includes(y))).toBe(true);
    for (const [year, students] of b.students) for (const s of students) expect([15, 16, 17]).toContain(age(s.idNumber, year));
    expect([...b.students.values()].flat().length).toBeGreaterThan(0);
  });

  it('supports people of 65 and over who live alone (分散供养), and only them', () => {
    const alone = new Set(song.registry.households.filter((h) => h.members.length === 1).map((h) => h.householdId));
    for (const p of b.extremePoor) {
      expect(alone.has(p.householdId)).toBe(true);
      expect(age(p.idNumber, 2017)).toBeGreaterThanOrEqual(65);
    }
  });

  it('groups the villages into townships of eight, each village in one, with ids a round accepts', () => {
    expect(b.townships.flatMap((t) => t.villageIds)).toEqual(song.registry.villages.map((v) => v.villageId));
    for (const t of b.townships) expect(t.townshipId).toMatch(/^twp-song-\d{2}$/);
  });

  it('closes the account of one household it pays, for 2018 rounds only', () => {
    const paid = new Set([...[...b.students.values()].flat(), ...b.extremePoor].map((h) => h.householdId));
    expect(paid.has(b.closedAccount!)).toBe(true);
    expect(closedAccountSwitches([b])).toEqual([`fail=ACCOUNT_CLOSED@^br-song-2018-.*:${b.closedAccount}$`]);
  });
});
