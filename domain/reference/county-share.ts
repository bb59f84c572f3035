import { countyById, type CountyId } from './counties';
import { PLAN_TOTALS } from './targets';
import type { Fen } from '../shared/money';

/** A fraction of the plan's size (a simulation's scale; 1/1 for the plan itself). */
export interface Fraction {
  readonly num: number;
  readonly den: number;
}

export const WHOLE: Fraction = { num: 1, den: 1 };

/** A county's share of the city's registered poor people: how the plan's city-wide figures are apportioned to it. */
export const countyShare = (countyId: CountyId): number => countyById(countyId).poorPeople / PLAN_TOTALS.poorPeople;

/** The plan's money for a category at this county and scale (the share of the county's poor people). */
export const plannedAtScale = (planned: Fen, countyId: CountyId, f: Fraction): Fen => Math.round((planned * countyShare(countyId) * f.num) / f.den) as Fen;

/** A city-wide count (people to exit in a year) apportioned to a county at a scale, unrounded. */
export const countAtScale = (cityWide: number, countyId: CountyId, f: Fraction): number => (cityWide * countyShare(countyId) * f.num) / f.den;
