import { COUNTIES, countyById, type CountyId } from '../reference/counties';
import type { Fen } from '../shared/money';
import { CAUSES, type CauseId } from '../household/causes';
import { composeResidentId } from '../household/resident-id';
import type { Guarantees } from '../household/guarantees';
import type { Member } from '../household/events';
import type { RegisterHousehold } from '../household/commands';
import { mulberry32, seedFromString, type Prng } from './prng';
import { REGION_CODES, SEQUENCE_BLOCKS } from './regions';

/**
 * A synthetic registry shaped like the plan: each county's poor population and poor-village count,
 * the twelve causes in the plan's shares, about three people a household, incomes under the 2015
 * line. Every ID number is made up (valid region code of the county, plausible birth date, valid
 * check character); there are no names and no real person's data. A made-up number can by chance
 * equal a real one, as any valid number can; nothing else about that person is in it.
 *
 * Pure and deterministic: the same seed gives the same registry, byte for byte.
 */
export interface SyntheticVillage {
  readonly villageId: string;
  readonly countyId: CountyId;
  /** Registered poor people placed in the village. */
  readonly poorPeople: number;
  /** The village's whole registered rural population (the incidence denominator). */
  readonly ruralPopulation: number;
}

export type SyntheticHousehold = RegisterHousehold['data'];

export interface SyntheticCounty {
  readonly countyId: CountyId;
  readonly seed: string;
  readonly villages: readonly SyntheticVillage[];
  readonly households: readonly SyntheticHousehold[];
  /** The county's whole registered rural population (poor villages and the rest), for its incidence. */
  readonly ruralPopulation: number;
}

export interface GeneratorOptions {
  readonly seed: string;
  /** 建档立卡 year; the plan's baseline is the end of 2015. */
  readonly registeredYear?: number;
  /** For tests: scale the county's people down (1 = the plan's figure). Villages keep the plan's count when they fit. */
  readonly scale?: { readonly num: number; readonly den: number };
}

/** Household sizes 1-6, weights chosen so the mean is 3.00 (the plan's ~3 people per household). */
const SIZE_WEIGHTS = [14, 24, 28, 20, 10, 4] as const;
const CAUSE_WEIGHTS = CAUSES.map((c) => c.shareBp);
const pad = (n: number, w: number) => String(n).padStart(w, '0');

const dateOf = (rng: Prng, fromYear: number, toYear: number): string => {
  const y = rng.int(fromYear, toYear);
  const m = rng.int(1, 12);
  const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return `${y}${pad(m, 2)}${pad(rng.int(1, dim), 2)}`;
};

const membersOf = (rng: Prng, size: number, region: string, block: { from: number; to: number }, year: number, used: Set<string>): Member[] => {
  const idFor = (birth: string, male: boolean): string => {
    // Sequence parity carries sex (odd = male); step by 2 until unused in this registry.
    const half = (block.to - block.from + 1) >> 1;
    let k = rng.int(0, half - 1);
    for (let tries = 0; ; tries++) {
      if (tries >= half) throw new RangeError(`no free sequence number for ${region}/${birth}`);
      const seq = block.from + ((k * 2 + (male ? 1 : 0)) % (block.to - block.from + 1));
      const id = composeResidentId(region, birth, seq);
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
      k = (k + 1) % half;
    }
  };
  const hhYear = Number(year) - rng.int(25, 80);
  const male = rng.chance(3, 4);
  const out: Member[] = [{ idNumber: idFor(dateOf(rng, hhYear, hhYear), male), relation: 'householder' }];
  let children = 0;
  for (let i = 1; i < size; i++) {
    if (i === 1 && rng.chance(4, 5)) {
      const y = Math.min(year - 18, hhYear + rng.int(-5, 5));
      out.push({ idNumber: idFor(dateOf(rng, y, y), !male), relation: 'spouse' });
    } else if (children < 4 && hhYear + 20 <= year) {
      const y = rng.int(hhYear + 20, Math.min(year, hhYear + 45));
      children++;
      out.push({ idNumber: idFor(dateOf(rng, y, y), rng.chance(1, 2)), relation: y + 30 <= year && rng.chance(1, 3) ? 'other' : 'child' });
    } else {
      const y = Math.max(1920, hhYear - rng.int(20, 35));
      out.push({ idNumber: idFor(dateOf(rng, y, y), rng.chance(1, 2)), relation: 'parent' });
    }
  }
  return out;
};

const causesOf = (rng: Prng): CauseId[] => {
  const first = CAUSES[rng.weighted(CAUSE_WEIGHTS)]!.id;
  if (!rng.chance(1, 5)) return [first];
  const second = CAUSES[rng.weighted(CAUSE_WEIGHTS)]!.id;
  return second === first ? [first] : [first, second];
};

const guaranteesOf = (rng: Prng): Guarantees => ({
  food: rng.chance(95, 100),
  clothing: rng.chance(97, 100),
  compulsoryEducation: rng.chance(96, 100),
  medicalInsurance: rng.chance(90, 100),
  safeHousing: rng.chance(80, 100),
});

export const generateCounty = (countyId: CountyId, options: GeneratorOptions): SyntheticCounty => {
  const county = countyById(countyId);
  const seed = `${options.seed}:${countyId}`;
  const rng = mulberry32(seedFromString(seed));
  const year = options.registeredYear ?? 2015;
  const scale = options.scale ?? { num: 1, den: 1 };
  const people = Math.max(1, Math.floor((county.poorPeople * scale.num) / scale.den));
  const villageCount = Math.min(county.poorVillages, people);
  const region = REGION_CODES[countyId][0]!;
  const block = SEQUENCE_BLOCKS[countyId] ?? { from: 0, to: 999 };
  const used = new Set<string>();

  // Household sizes first, so the total is exactly the plan's figure: the last one takes what is left.
  const sizes: number[] = [];
  for (let left = people; left > 0;) {
    const size = Math.min(left, rng.weighted(SIZE_WEIGHTS) + 1);
    sizes.push(size);
    left -= size;
  }
  // Every poor village gets at least one household; the rest fall anywhere.
  const villageOf = sizes.map((_, i) => (i < villageCount ? i : rng.int(0, villageCount - 1)));
  const poorIn = new Array<number>(villageCount).fill(0);
  const households: SyntheticHousehold[] = sizes.map((size, i) => {
    const v = villageOf[i]!;
    poorIn[v] = poorIn[v]! + size;
    return {
      householdId: `hh-${countyId}-${pad(i + 1, 6)}`,
      countyId,
      villageId: `vil-${countyId}-${pad(v + 1, 3)}`,
      registeredYear: year,
      members: membersOf(rng, size, region, block, year, used),
      causes: causesOf(rng),
      perCapitaIncome: (rng.int(800, 2_854) * 100) as Fen,
      stableIncomeSource: rng.chance(1, 3),
      guarantees: guaranteesOf(rng),
    };
  });
  // Incidence at registration between 8% and 35%: the population is fixed by the village's poor.
  const villages = poorIn.map((poor, v) => ({
    villageId: `vil-${countyId}-${pad(v + 1, 3)}`,
    countyId,
    poorPeople: poor,
    ruralPopulation: Math.ceil((poor * 100) / rng.int(8, 35)),
  }));
  // County incidence at registration between 5% and 15%, never less than its poor villages hold.
  const inVillages = villages.reduce((sum, v) => sum + v.ruralPopulation, 0);
  const ruralPopulation = Math.max(inVillages, Math.ceil((people * 100) / rng.int(5, 15)));
  return { countyId, seed, villages, households, ruralPopulation };
};

/** The whole city: every county, each from its own derived seed, in the plan's order. */
export const generateCity = (options: GeneratorOptions): SyntheticCounty[] => COUNTIES.map((c) => generateCounty(c.id, options));
