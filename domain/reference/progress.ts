import { COUNTIES, type County, type CountyId } from './counties';
import { COUNTY_EXIT_TARGETS, EXIT_YEARS, PEOPLE_EXIT_TARGETS, SAFETY_NET_PEOPLE, SAFETY_NET_YEAR, VILLAGE_EXIT_TARGETS } from './targets';

/** Exits of one county in one year, as the exit_progress read model counts them. */
export interface ExitTally {
  readonly countyId: string;
  readonly year: number;
  readonly households: number;
  readonly returnedHouseholds: number;
  readonly people: number;
  readonly returnedPeople: number;
  readonly villages: number;
  readonly countyExited: boolean;
}

/** Exited, of which returned since, and what stays: a return takes a household out of the count. */
export interface Net {
  readonly exited: number;
  readonly returned: number;
  readonly net: number;
}

export interface YearProgress {
  readonly year: number;
  readonly households: Net;
  /** People; the target is the plan's for the whole city, null when one county is asked for. */
  readonly people: Net & { readonly target: number | null };
  readonly villages: { readonly exited: number; readonly target: number | null };
  /** Counties whose exit was announced that year, against the counties due that year. */
  readonly counties: { readonly exited: number; readonly target: number };
}

export interface CountyProgress {
  readonly countyId: CountyId;
  readonly zh: string;
  readonly poorVillages: number;
  readonly poorPeople: number;
  readonly targetExitYear: number;
  readonly people: Net;
  readonly villagesExited: number;
  /** Basis points of the county's registered poor, net of returns. */
  readonly peopleExitedBp: number;
  readonly exitedIn: number | null;
}

/**
 * 兜底保障: the plan's 6,070 people carried out of poverty by the safety net by 2020 (plan ch. 2), the
 * remainder after the 2016–2019 targets (310,975 − 304,905). The register does not mark who is 兜底,
 * so the row counts every person exited in 2020, net of returns, against that target.
 */
export interface SafetyNetProgress {
  readonly zh: string;
  readonly en: string;
  readonly year: number;
  readonly people: Net & { readonly target: number | null };
}

export interface PlanProgress {
  readonly countyId: CountyId | null;
  readonly year: number | null;
  readonly years: readonly YearProgress[];
  readonly safetyNet: SafetyNetProgress;
  readonly counties: readonly CountyProgress[];
}

const net = (exited: number, returned: number): Net => ({ exited, returned, net: exited - returned });
const sum = <T>(xs: readonly T[], f: (x: T) => number): number => xs.reduce((n, x) => n + f(x), 0);

/**
 * Progress against the plan's yearly targets (villages, people, counties due) and each county's
 * figures (poor villages and people, target exit year), from the read model's tallies. Pure: the
 * same tallies give the same answer. People and households are counted net of returns to poverty.
 */
export const planProgress = (tallies: readonly ExitTally[], filter: { readonly countyId?: CountyId; readonly year?: number } = {}): PlanProgress => {
  const counties: readonly County[] = COUNTIES.filter((c) => filter.countyId === undefined || c.id === filter.countyId);
  const mine = tallies.filter((t) => (filter.countyId === undefined || t.countyId === filter.countyId) && (filter.year === undefined || t.year === filter.year));
  const years = filter.year !== undefined ? [filter.year] : [...new Set([...EXIT_YEARS, ...mine.map((t) => t.year)])].sort((a, b) => a - b);
  const cityWide = filter.countyId === undefined;
  const net2020 = mine.filter((t) => t.year === SAFETY_NET_YEAR);
  return {
    countyId: filter.countyId ?? null,
    year: filter.year ?? null,
    safetyNet: {
      zh: `${SAFETY_NET_YEAR}年前兜底保障`,
      en: `safety net (兜底) by ${SAFETY_NET_YEAR}`,
      year: SAFETY_NET_YEAR,
      people: {
        ...net(
          sum(net2020, (t) => t.people),
          sum(net2020, (t) => t.returnedPeople),
        ),
        target: cityWide ? SAFETY_NET_PEOPLE : null,
      },
    },
    years: years.map((year) => {
      const r = mine.filter((t) => t.year === year);
      return {
        year,
        households: net(
          sum(r, (t) => t.households),
          sum(r, (t) => t.returnedHouseholds),
        ),
        people: {
          ...net(
            sum(r, (t) => t.people),
            sum(r, (t) => t.returnedPeople),
          ),
          target: cityWide ? (PEOPLE_EXIT_TARGETS[year] ?? 0) : null,
        },
        villages: { exited: sum(r, (t) => t.villages), target: cityWide ? (VILLAGE_EXIT_TARGETS[year] ?? 0) : null },
        counties: {
          exited: r.filter((t) => t.countyExited).length,
          target: cityWide ? (COUNTY_EXIT_TARGETS[year] ?? 0) : counties.filter((c) => c.targetExitYear === year).length,
        },
      };
    }),
    counties: counties.map((c) => {
      const r = mine.filter((t) => t.countyId === c.id);
      const people = net(
        sum(r, (t) => t.people),
        sum(r, (t) => t.returnedPeople),
      );
      const exitedIn = r.find((t) => t.countyExited)?.year ?? null;
      return {
        countyId: c.id,
        zh: c.zh,
        poorVillages: c.poorVillages,
        poorPeople: c.poorPeople,
        targetExitYear: c.targetExitYear,
        people,
        villagesExited: sum(r, (t) => t.villages),
        peopleExitedBp: Math.floor((people.net * 10_000) / c.poorPeople),
        exitedIn,
      };
    }),
  };
};
