import type { HouseholdEventData } from '../household/events';
import type { IdentificationEventData } from './events';
import type { IdentificationState } from './state';

/**
 * The register the plan starts from: households registered by the end of 2015 (the 2014–2015
 * 建档立卡 and its 2015 回头看). They are imported as they are (infra/registry, direct registration);
 * a household registered for a later year enters through 识别 only.
 */
export const BASELINE_REGISTRATION_YEAR = 2015;

/**
 * 建档立卡 at the end of 识别: the HouseholdRegistered of each household the county approved, from
 * the file its application recorded, under the announcing official and time. The only way a new
 * poor household enters the register (direct registration is for the 2015 baseline's import).
 */
export const registrationsOf = (s: IdentificationState, announced: IdentificationEventData<'IdentificationAnnounced'>): HouseholdEventData<'HouseholdRegistered'>[] => {
  if (s.phase === 'unopened') return [];
  return announced.approved.flatMap((id) => {
    const a = s.applicants[id];
    if (!a) return [];
    return [{ householdId: id, by: announced.by, at: announced.at, countyId: s.countyId, villageId: s.villageId, registeredYear: s.year, ...a.file }];
  });
};
