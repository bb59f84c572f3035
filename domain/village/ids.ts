import { z } from 'zod';

/** vil-<county>-<serial>: a registry number, never a village name typed by hand. */
export const villageIdSchema = z.string().regex(/^vil-[a-z]+-[a-z0-9]{1,32}$/, { error: 'must look like vil-<county>-<serial>' });
export type VillageId = z.infer<typeof villageIdSchema>;
