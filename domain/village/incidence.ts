import { formatPct, ratioBelowPct } from '../policy/exit-thresholds';
import { poorMembers, type HouseholdState } from '../household/state';

/**
 * Poverty incidence (贫困发生率) = poor people remaining / registered rural population.
 *
 * - Numerator: members of registered (建档立卡) households that have not exited, counting those that
 *   returned to poverty and not counting exited households under monitoring (they are flagged, not
 *   poor, until the county decides a return).
 * - Denominator: the whole registered rural population (农村户籍人口) of the village or county for
 *   the year, poor or not — NOT the registered poor alone, which would make incidence the share of
 *   the poor still poor. The household files do not hold it; it is recorded from the household
 *   register each year.
 *
 * Compared exactly in integers: n / d < 2% ⇔ n × 100 < 2 × d.
 */
export interface IncidenceCount {
  readonly poorRemaining: number;
  readonly population: number;
}

export const countPoorRemaining = (households: Iterable<HouseholdState>): number => {
  let n = 0;
  for (const h of households) n += poorMembers(h);
  return n;
};

export const isValidCount = (c: IncidenceCount): boolean =>
  Number.isSafeInteger(c.poorRemaining) && Number.isSafeInteger(c.population) && c.poorRemaining >= 0 && c.population > 0 && c.poorRemaining <= c.population;

export const incidenceBelowPct = (c: IncidenceCount, pct: number): boolean => ratioBelowPct(c.poorRemaining, c.population, pct);

export const formatIncidence = (c: IncidenceCount): string => `${formatPct(c.poorRemaining, c.population)} (${c.poorRemaining}/${c.population})`;
