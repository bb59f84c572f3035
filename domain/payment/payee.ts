import { householdIdSchema } from '../household/ids';

export interface PayeeParts {
  /** The account the money went to. */
  readonly account: string;
  /** The household it was paid for, when the payee names one. */
  readonly householdId: string | null;
}

const HOUSEHOLD_PAYEE = /^(hh-[a-z]+-[a-z0-9]{1,32})\.([a-z0-9][a-z0-9._:-]*)$/;

/**
 * A payment carries one opaque payee id (the rail's account). A payment to a household (到户) is
 * written `<household id>.<account>`, e.g. `hh-song-00042.acct-6222-0001`: household ids hold no
 * dot, so the split is unambiguous, and the account part is what two households may share.
 * Anything else is an account alone (a contractor's).
 */
export const payeeParts = (payee: string): PayeeParts => {
  const m = HOUSEHOLD_PAYEE.exec(payee);
  if (m && householdIdSchema.safeParse(m[1]).success) return { account: m[2]!, householdId: m[1]! };
  return { account: payee, householdId: null };
};
