import { COUNTIES } from './counties';
import { planProgress, type ExitTally } from './progress';
import { COUNTY_EXIT_TARGETS, EXIT_YEARS, PEOPLE_EXIT_TARGETS, PLAN_TOTALS } from './targets';

const PEOPLE_TARGET_SUM = Object.values(PEOPLE_EXIT_TARGETS).reduce((a, b) => a + b, 0);

const tally = (over: Partial<ExitTally>): ExitTally => ({
  countyId: 'song',
  year: 2016,
  households: 0,
  returnedHouseholds: 0,
  people: 0,
  returnedPeople: 0,
  villages: 0,
  countyExited: false,
  ...over,
});

describe('counties due each year', () => {
  it('every county has one target exit year: 1 in 2016, 4 in 2017, 4 in 2018, 4 in 2019', () => {
    expect(COUNTY_EXIT_TARGETS).toEqual({ 2016: 1, 2017: 4, 2018: 4, 2019: 4 });
    expect(Object.values(COUNTY_EXIT_TARGETS).reduce((a, b) => a + b, 0)).toBe(PLAN_TOTALS.counties);
  });
  it('the plan schedules exits in 2016-2019', () => expect(EXIT_YEARS).toEqual([2016, 2017, 2018, 2019]));
});

describe('progress against the plan', () => {
  const rows = [
    tally({ countyId: 'song', year: 2016, households: 2, returnedHouseholds: 1, people: 6, returnedPeople: 3, villages: 1 }),
    tally({ countyId: 'xigong', year: 2016, households: 80, people: 253, villages: 3, countyExited: true }),
    tally({ countyId: 'song', year: 2017, households: 1, people: 4 }),
  ];
  it('city-wide: each plan year against its targets, people and households net of returns', () => {
    const p = planProgress(rows);
    expect(p.years.map((y) => y.year)).toEqual([2016, 2017, 2018, 2019]);
    expect(p.years[0]).toEqual({
      year: 2016,
      households: { exited: 82, returned: 1, net: 81 },
      people: { exited: 259, returned: 3, net: 256, target: 48_805 },
      villages: { exited: 4, target: 214 },
      counties: { exited: 1, target: 1 },
    });
    expect(p.years[3]).toMatchObject({ people: { net: 0, target: 75_500 }, villages: { exited: 0, target: 99 }, counties: { exited: 0, target: 4 } });
    expect(p.counties).toHaveLength(COUNTIES.length);
  });
  it('one county: its own figures and target year; the city-wide targets do not apply', () => {
    const p = planProgress(rows, { countyId: 'song' });
    expect(p.years[0]).toMatchObject({ people: { net: 3, target: null }, villages: { exited: 1, target: null }, counties: { exited: 0, target: 0 } });
    expect(p.years[3]!.counties.target).toBe(1);
    expect(p.counties).toEqual([
      {
        countyId: 'song',
        zh: '嵩县',
        poorVillages: 95,
        poorPeople: 54_144,
        targetExitYear: 2019,
        people: { exited: 10, returned: 3, net: 7 },
        villagesExited: 1,
        peopleExitedBp: 1,
        exitedIn: null,
      },
    ]);
  });
  it('one year only, and a year outside the plan has no target', () => {
    expect(planProgress(rows, { year: 2017 }).years).toEqual([
      {
        year: 2017,
        households: { exited: 1, returned: 0, net: 1 },
        people: { exited: 4, returned: 0, net: 4, target: 81_200 },
        villages: { exited: 0, target: 188 },
        counties: { exited: 0, target: 4 },
      },
    ]);
    expect(planProgress([tally({ year: 2020, people: 5, households: 1 })]).years.at(-1)).toMatchObject({ year: 2020, people: { net: 5, target: 0 } });
  });
  it('given 2020 exits city-wide, the 兜底 row counts them net of returns against the plan’s 6,070 people (issue 14 point 13)', () => {
    const p = planProgress([
      ...rows,
      tally({ countyId: 'song', year: 2020, people: 40, returnedPeople: 2, households: 12 }),
      tally({ countyId: 'luoning', year: 2020, people: 10 }),
    ]);
    expect(p.safetyNet).toEqual({ zh: '2020年前兜底保障', en: 'safety net (兜底) by 2020', year: 2020, people: { exited: 50, returned: 2, net: 48, target: 6_070 } });
    expect(planProgress(rows, { countyId: 'song' }).safetyNet.people).toEqual({ exited: 0, returned: 0, net: 0, target: null });
    expect(PEOPLE_TARGET_SUM + 6_070).toBe(PLAN_TOTALS.poorPeople);
  });
  it('a county that exited says when', () => expect(planProgress(rows, { countyId: 'xigong' }).counties[0]).toMatchObject({ exitedIn: 2016, peopleExitedBp: 10_000 }));
});
