import { z } from 'zod';
import { POVERTY_CAUSES, type PovertyCause } from '../reference/causes';

/**
 * The plan's twelve causes of poverty (reference data, with their shares in basis points), as a
 * household records them. One list for the whole domain: the ids here are the reference's ids.
 */
export const CAUSES = POVERTY_CAUSES.map((c) => ({ id: c.id, zh: c.zh, en: c.en, shareBp: c.bp }));
export type CauseId = PovertyCause;
export const CAUSE_IDS = POVERTY_CAUSES.map((c) => c.id) as unknown as readonly [CauseId, ...CauseId[]];
export const causeSchema = z.enum(CAUSE_IDS, { error: `must be one of the plan's 12 causes: ${CAUSE_IDS.join(', ')}` });
