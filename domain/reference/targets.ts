import { COUNTIES } from './counties';

/** Exit schedule (plan ch. 2, 目标任务): villages and people leaving poverty each year. */
export const VILLAGE_EXIT_TARGETS: Readonly<Record<number, number>> = { 2016: 214, 2017: 188, 2018: 168, 2019: 99 };

export const PEOPLE_EXIT_TARGETS: Readonly<Record<number, number>> = { 2016: 48_805, 2017: 81_200, 2018: 99_400, 2019: 75_500 };

/** 兜底保障: people the safety net carries out of poverty before 2020. */
export const SAFETY_NET_PEOPLE = 6_070;
/** The year the plan's last people leave: 2020年前 (plan ch. 2). */
export const SAFETY_NET_YEAR = 2020;

export const PLAN_TOTALS = {
  counties: 13,
  townships: 123,
  poorVillages: 669,
  poorPeople: 310_975,
  poorCountyPeople: 247_858,
  otherCountyPeople: 63_117,
  /** 2015 line: farmer per-capita net income, fen a year. */
  povertyLine2015: 285_500,
  /** Villages with no collective income, in basis points of the poor villages. */
  villagesWithoutCollectiveIncomeBp: 9_180,
} as const;

/** The years the plan schedules exits in. */
export const EXIT_YEARS: readonly number[] = Object.keys(VILLAGE_EXIT_TARGETS).map(Number);

/** Counties due to exit each year, from each county's target exit year (FIGURES.md). */
export const COUNTY_EXIT_TARGETS: Readonly<Record<number, number>> = COUNTIES.reduce<Record<number, number>>(
  (acc, c) => ({ ...acc, [c.targetExitYear]: (acc[c.targetExitYear] ?? 0) + 1 }),
  {},
);
