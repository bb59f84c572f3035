import type { HouseholdEventData } from '../household/events';
import type { IdentificationEventData } from './events';
import type { IdentificationState } from './state';

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
