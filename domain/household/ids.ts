import { z } from 'zod';

/**
 * hh-<county>-<serial>: opaque on purpose. It is used as a stream id, a workflow id and in logs, so
 * it must never carry a name or an ID number; the serial is handed out by the county's registry.
 */
export const householdIdSchema = z.string().regex(/^hh-[a-z]+-[a-z0-9]{1,32}$/, { error: 'must look like hh-<county>-<serial> (no names or ID numbers)' });
export type HouseholdId = z.infer<typeof householdIdSchema>;
