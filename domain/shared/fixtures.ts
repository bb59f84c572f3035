import type { Actor, CommandMeta } from './actor';
import type { CountyId } from '../reference/counties';

/** Actors and metadata for specs. Ids are opaque account ids, never names. */
export const actor = (userId: string, role: Actor['role'], countyId?: CountyId): Actor => (countyId ? { userId, role, countyId } : { userId, role });

export const meta = (a: Actor, now = '2017-03-01T09:00:00+08:00'): CommandMeta => ({ actor: a, now });
