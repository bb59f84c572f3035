import { domainError, type DomainError } from '../shared/errors';
import { COUNTY_CHECK, countyCheckRef } from '../policy/county-check';
import type { SampleBasis } from './commands';

/**
 * The provincial check's sample seed: from the store digest fixed when the county applied, so the
 * checker, who can read the households before drawing, cannot choose who is drawn. Anyone holding
 * the store can recompute the digest at that position and draw the same sample again.
 */
export const countySampleSeed = (countyId: string, year: number, basis: SampleBasis): string => `county-exit:${countyId}:${year}:${basis.position}:${basis.digest}`;

/** The sizes a provincial check draws: what the checker asks, never below the policy's minimum, which is the default. */
export const sampleSizes = (req: { readonly exitedToSample?: number | undefined; readonly nonRegisteredToSample?: number | undefined }) => {
  const min = COUNTY_CHECK.minimumSample.value;
  return { exited: req.exitedToSample ?? min.exitedHouseholds, nonRegistered: req.nonRegisteredToSample ?? min.nonRegisteredHouseholds };
};

/**
 * A provincial check's request once the seed is fixed at application: the checker brings no seed and
 * asks for no fewer households than the policy's minimum. Refused before anything is drawn.
 */
export const provincialCheckRequestRefusal = (req: {
  readonly seed?: string | undefined;
  readonly exitedToSample?: number | undefined;
  readonly nonRegisteredToSample?: number | undefined;
}): DomainError | undefined => {
  if (req.seed !== undefined)
    return domainError(
      'COUNTY_SAMPLE_SEED_FIXED',
      '抽样种子已在县申请时由存储摘要确定，核查人不能指定',
      'the sample seed was fixed from the store digest when the county applied; the checker may not give one',
    );
  const min = COUNTY_CHECK.minimumSample.value;
  const { exited, nonRegistered } = sampleSizes(req);
  if (exited < min.exitedHouseholds || nonRegistered < min.nonRegisteredHouseholds)
    return domainError(
      'COUNTY_SAMPLE_TOO_SMALL',
      `样本不足：已脱贫户至少抽${min.exitedHouseholds}户，未建档户至少抽${min.nonRegisteredHouseholds}户`,
      `the sample is too small: at least ${min.exitedHouseholds} exited and ${min.nonRegisteredHouseholds} non-registered households`,
      { needExited: min.exitedHouseholds, needNonRegistered: min.nonRegisteredHouseholds, policy: countyCheckRef },
    );
  return undefined;
};
