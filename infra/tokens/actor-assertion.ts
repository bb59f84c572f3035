import type { Actor } from '../../domain/shared/actor';
import { domainError, type DomainError } from '../../domain/shared/errors';
import { SYSTEM_USER, TokenError, verifyToken, type RevokedCheck } from './tokens';
import type { TokenKeys } from './token-keys';

/**
 * The actor of a command, proved: a workflow is told who acts in its Update's arguments, and anyone
 * who reaches Temporal can write any actor there. So each Update and start carries the caller's
 * bearer token as an *actor assertion* (the API attaches the token it checked; the CLI presents its
 * own), and the activity that records the decision checks it with the same keys and the same
 * function the API uses (`verifyToken`): signed by a key this deployment trusts, not expired, not
 * revoked, and speaking for exactly the actor the command names.
 *
 * Without an assertion: refused outside development mode; in development mode (loopback stack,
 * tests, the demo) accepted, so a missing one is not an attack there, but a present one is always
 * checked. The system's own acts (user ids `system.*`, e.g. deadline escalation) are the
 * workflow's, never an Update's (the workflow refuses `system.*` actors in Updates), and carry none.
 */
export type ActorAssertionCode = 'ACTOR_ASSERTION_MISSING' | 'ACTOR_ASSERTION_INVALID' | 'ACTOR_ASSERTION_MISMATCH';

export class ActorAssertionError extends Error {
  constructor(readonly refusal: DomainError & { readonly code: ActorAssertionCode }) {
    super(refusal.en);
    this.name = 'ActorAssertionError';
  }
  get code(): ActorAssertionCode {
    return this.refusal.code;
  }
}

const refuse = (code: ActorAssertionCode, zh: string, en: string, details?: Record<string, unknown>): never => {
  throw new ActorAssertionError(domainError(code, zh, en, details) as DomainError & { code: ActorAssertionCode });
};

const sameActor = (a: Actor, b: Actor): boolean => a.userId === b.userId && a.role === b.role && (a.countyId ?? null) === (b.countyId ?? null);

export interface ActorAssertions {
  /** Resolves when `assertion` speaks for `actor` (or none is needed); throws ActorAssertionError otherwise. */
  check(actor: Actor, assertion: string | undefined): Promise<void>;
}

export interface ActorAssertionOptions {
  readonly keys: TokenKeys;
  /** Outside development mode an assertion is required. */
  readonly required: boolean;
  readonly revoked?: RevokedCheck;
}

export const actorAssertions = ({ keys, required, revoked }: ActorAssertionOptions): ActorAssertions => ({
  async check(actor, assertion) {
    if (assertion === undefined) {
      if (SYSTEM_USER.test(actor.userId) || !required) return;
      refuse(
        'ACTOR_ASSERTION_MISSING',
        `未附带身份凭证：${actor.userId} 的操作不予受理`,
        `no actor assertion: ${actor.userId}'s command is not taken without a signed token (TUOPIN_TOKEN, or the API's bearer token)`,
        {
          userId: actor.userId,
        },
      );
    }
    let verified: Actor;
    try {
      verified = (await verifyToken(keys, assertion!, revoked)).actor;
    } catch (e) {
      if (!(e instanceof TokenError)) throw e;
      return refuse('ACTOR_ASSERTION_INVALID', `身份凭证无效（${e.code}）`, `the actor assertion is not valid (${e.code}): ${e.message}`, { tokenCode: e.code });
    }
    if (!sameActor(verified, actor)) {
      refuse(
        'ACTOR_ASSERTION_MISMATCH',
        `身份凭证属于 ${verified.userId}（${verified.role}），与操作人 ${actor.userId}（${actor.role}）不符`,
        `the assertion speaks for ${verified.userId} (${verified.role}${verified.countyId ? `, ${verified.countyId}` : ''}), not for ${actor.userId} (${actor.role}${actor.countyId ? `, ${actor.countyId}` : ''})`,
        { asserted: verified, claimed: actor },
      );
    }
  },
});

/**
 * Who acts, as a workflow hands it to the activity that records a decision: the actor, the caller's
 * token for it, or `proved` when the workflow itself records a follow-up of a decision whose actor
 * an earlier step of the same run proved (a village exit's notice, posted under the township that
 * started it; a benefit round's batches, paid under the finance official who started payment).
 * Only workflow code sets `proved`: an Update's or a start's arguments never reach it as they are.
 */
export interface ActorClaim {
  readonly actor: Actor;
  readonly assertion?: string;
  readonly proved?: true;
}

/** Throws ActorAssertionError unless the claim is proved (now, or by an earlier step of the run). */
export const checkClaim = (actors: ActorAssertions, claim: ActorClaim): Promise<void> => (claim.proved ? Promise.resolve() : actors.check(claim.actor, claim.assertion));

/** The refusal when who acts is not proved, for activities that answer refusals rather than throw them; undefined when proved. */
export const unprovedClaim = async (actors: ActorAssertions, claim: ActorClaim): Promise<DomainError | undefined> => {
  try {
    await checkClaim(actors, claim);
    return undefined;
  } catch (e) {
    if (e instanceof ActorAssertionError) return e.refusal;
    throw e;
  }
};
