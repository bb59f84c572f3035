import type { SampleBasis } from './commands';

/**
 * The provincial check's sample seed: from the store digest fixed when the county applied, so the
 * checker, who can read the households before drawing, cannot choose who is drawn. Anyone holding
 * the store can recompute the digest at that position and draw the same sample again.
 */
export const countySampleSeed = (countyId: string, year: number, basis: SampleBasis): string => `county-exit:${countyId}:${year}:${basis.position}:${basis.digest}`;
