import { logger } from '../infra/logger';
import type { Actor } from '../domain/shared/actor';

/**
 * Access refusals (a role that may not take the step, a county out of scope, separation of duties:
 * `ACCESS_*`) are not facts about a project or a fund, and anyone with a token can cause as many
 * as they like: they are logged and counted here, never appended to the store.
 */
const counts = new Map<string, number>();

export const isAccessRefusal = (code: string): boolean => code.startsWith('ACCESS_');

/** Logs one access refusal (who, as what, which rule, what was asked) and counts it by rule. */
export const noteAccessRefusal = (actor: Pick<Actor, 'userId' | 'role'> & { countyId?: string | undefined }, code: string, asked: Record<string, unknown>): void => {
  counts.set(code, (counts.get(code) ?? 0) + 1);
  logger.info({ user: actor.userId, role: actor.role, actorCounty: actor.countyId, code, ...asked, accessRefusals: counts.get(code) }, 'access refused');
};

/** How many access refusals this process has seen, by rule: what a metrics endpoint or a test reads. */
export const accessRefusalCounts = (): Readonly<Record<string, number>> => Object.fromEntries(counts);
