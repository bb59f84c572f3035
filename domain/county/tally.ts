import type { HouseholdState } from '../household/state';
import type { VillageState } from '../village/state';
import { countPoorRemaining } from '../village/incidence';

/**
 * The county's figures for an application, from the households' and villages' states (as read
 * models or folded streams give them). The rural population is not in either: it comes from the
 * household register (see village/incidence.ts).
 */
export const tallyCounty = (households: Iterable<HouseholdState>, villages: Iterable<VillageState>): { poorRemaining: number; poorVillagesExited: number } => {
  let poorVillagesExited = 0;
  for (const v of villages) if (v.status === 'exited') poorVillagesExited++;
  return { poorRemaining: countPoorRemaining(households), poorVillagesExited };
};
