import { ActivityFailure, ApplicationFailure, patched } from '@temporalio/workflow';
import { SYSTEM_USER, type Actor } from '../domain/shared/actor';
import { isDomainError } from '../domain/shared/errors';
import { refusal } from './refusal';

/**
 * The workflow's half of actor assertions (infra/tokens/actor-assertion.ts): a request carries the
 * caller's signed token beside its actor, the workflow hands it to the activity that records the
 * decision, and that activity checks it. Every workflow that takes an actor from its input or an
 * Update argument goes through here.
 */

/**
 * The actor assertion handed to the activity that records a decision (it checks the token against
 * the actor). Runs recorded before assertions hand none (their Updates carried none either).
 * `changed` answers for the run's patches where a process marks them otherwise (a project's, all at once).
 */
export const asserted = (assertion: string | undefined, changed: (id: 'actor-assertion') => boolean = patched): { assertion?: string } =>
  assertion !== undefined && changed('actor-assertion') ? { assertion } : {};

/** An activity's refusal of who acts (ACTOR_ASSERTION_*), as the workflow's own refusal; anything else as it came. */
export const actorRefusalOf = (e: unknown): unknown => {
  // A regular activity's failure comes inside an ActivityFailure; a local activity's (a project's append) as its own ApplicationFailure.
  const cause = e instanceof ActivityFailure ? e.cause : e;
  const detail = cause instanceof ApplicationFailure ? cause.details?.[0] : undefined;
  return cause instanceof ApplicationFailure && cause.type?.startsWith('ACTOR_ASSERTION_') && isDomainError(detail) ? refusal(detail) : e;
};

/** An activity call whose refusal of who acts comes back as the workflow's refusal (the Update fails with ACTOR_ASSERTION_*). */
export const provingActor = <T>(call: Promise<T>): Promise<T> => call.catch((e: unknown) => Promise.reject(actorRefusalOf(e)));

/** The system's own ids (`system.*`) act only from inside the workflow, never in an Update (they carry no assertion). */
export const refuseSystemActor = (actor: Actor): void => {
  if (SYSTEM_USER.test(actor.userId)) {
    throw refusal({
      code: 'ACTOR_SYSTEM_RESERVED',
      zh: `${actor.userId} 为系统账号，不得由他人代为操作`,
      en: `${actor.userId} is the system's own id: no request may act under it`,
    });
  }
};
