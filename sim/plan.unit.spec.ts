import { COUNTY_IDS } from '../domain/reference/counties';
import { apportion, planCounty, planSimulation, SIM_YEARS, TEMPLATES } from './plan';
import { parseScale, ScaleError } from './scale';

describe('the simulated plan', () => {
  const song = planCounty('seed-a', 'ab12', 'song', { num: 1, den: 50 });

  it('is the same for the same seed and scale, and another for another seed', () => {
    const again = planCounty('seed-a', 'ab12', 'song', { num: 1, den: 50 });
    expect(again.projects).toEqual(song.projects);
    expect([...again.exitYear]).toEqual([...song.exitYear]);
    expect([...planCounty('seed-b', 'ab12', 'song', { num: 1, den: 50 }).exitYear]).not.toEqual([...song.exitYear]);
  });

  it('funds every project to its budget from two sources, 60% central, and pays exactly what it funds', () => {
    for (const p of song.projects) {
      expect(p.funding.reduce((s, f) => s + f.amount, 0)).toBe(p.budget);
      expect(p.funding[0]!.source).toBe('central');
      expect(p.payments.flatMap((m) => m.parts).reduce((s, x) => s + x, 0)).toBe(p.contract);
      p.funding.forEach((f, i) => expect(p.payments.reduce((s, m) => s + m.parts[i]!, 0)).toBe(f.amount));
      expect(p.payments.map((m) => m.parts.every((x) => Number.isSafeInteger(x) && x > 0))).toEqual([true, true, true, true]);
    }
  });

  it('appropriates per county, year and source what the year’s projects take plus a headroom returned at year end', () => {
    for (const f of song.funds) {
      const taken = song.projects
        .filter((p) => p.year === f.year)
        .flatMap((p) => p.funding.filter((x) => x.fundId === f.fundId))
        .reduce((s, x) => s + x.amount, 0);
      expect(f.amount - f.headroom).toBe(taken);
      expect(f.headroom).toBeGreaterThanOrEqual(0);
      expect(f.earmark.length).toBeGreaterThan(0);
    }
  });

  it('sends every household out in some year, in the plan’s yearly shares, the safety net in 2020', () => {
    expect(song.exitYear.size).toBe(song.registry.households.length);
    const people = (y: number) => song.registry.households.filter((h) => song.exitYear.get(h.householdId) === y).reduce((s, h) => s + h.members.length, 0);
    const total = song.registry.households.reduce((s, h) => s + h.members.length, 0);
    // 2016: 48,805 of 310,975 people; 2018 the largest year; 2020 the safety net's 2%.
    expect(people(2016) / total).toBeCloseTo(48_805 / 310_975, 1);
    expect(people(2018)).toBeGreaterThan(people(2017));
    expect(people(2020) / total).toBeLessThan(0.05);
    // A county due to exit in 2016 sends everyone out then, except the safety net.
    const xigong = planCounty('seed-a', 'ab12', 'xigong', { num: 1, den: 1 });
    expect(new Set(xigong.exitYear.values())).toEqual(new Set([2016, 2020]));
  });

  it('states its trouble: every kind in some year, consent refusals and returns in small shares', () => {
    const kinds = new Set(song.projects.map((p) => p.trouble).filter(Boolean));
    expect(kinds).toEqual(new Set(['self-review', 'objection', 'late-review', 'transfer-rejected', 'audit-finding', 'early-settlement']));
    expect(song.refusesConsentIn.size).toBeGreaterThan(0);
    expect(song.refusesConsentIn.size / song.exitYear.size).toBeLessThan(0.06);
    expect(song.returnsIn.size).toBeGreaterThan(0);
    for (const [h, y] of song.returnsIn) expect(song.exitYear.get(h)).toBe(y - 1);
  });

  it('scales the plan’s project counts to the county and fraction, across the five years', () => {
    const whole = TEMPLATES.reduce((s, t) => s + t.count, 0);
    const expected = Math.round((whole * 54_144 * 1) / (310_975 * 50));
    expect(Math.abs(song.projects.length - expected)).toBeLessThanOrEqual(1);
    for (const y of SIM_YEARS) expect(song.projects.some((p) => p.year === y)).toBe(true);
    expect(new Set(song.projects.map((p) => p.projectId)).size).toBe(song.projects.length);
  });

  it('apportions to whole numbers that add up, each within one of its share', () => {
    const exact = [0.4, 1.6, 2.5, 0.5];
    const got = apportion(exact);
    expect(got.reduce((a, b) => a + b, 0)).toBe(5);
    got.forEach((g, i) => expect(Math.abs(g - exact[i]!)).toBeLessThan(1));
  });

  it('the city is the 13 counties', () => {
    expect(planSimulation('s', 'ab12', parseScale('city,1/1000').counties).counties.map((c) => c.countyId)).toEqual([...COUNTY_IDS]);
  });
});

describe('--scale', () => {
  it('takes a county with or without a fraction, or the city', () => {
    expect(parseScale('county:song,1/50').counties).toEqual([{ countyId: 'song', fraction: { num: 1, den: 50 } }]);
    expect(parseScale('county:luanchuan').counties).toEqual([{ countyId: 'luanchuan', fraction: { num: 1, den: 1 } }]);
    expect(parseScale('county:ruyang,0.25').counties[0]!.fraction).toEqual({ num: 25, den: 100 });
    expect(parseScale('city').counties).toHaveLength(13);
  });

  it('refuses what it cannot read, naming the flag and the rule', () => {
    expect(() => parseScale('county:beijing')).toThrow(ScaleError);
    expect(() => parseScale('county:song,3/2')).toThrow(/--scale: fraction "3\/2"/);
    expect(() => parseScale('town')).toThrow(/county:<id>/);
  });
});
