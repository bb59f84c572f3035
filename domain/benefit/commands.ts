import type { CommandMeta } from '../shared/actor';
import type { Fen } from '../shared/money';
import type { FundSource } from '../fund/ids';
import type { ProjectCategory } from '../project/ids';
import type { HouseholdBenefitFacts } from './facts';
import type { Standards } from './eligibility';

interface Cmd<T extends string, D> {
  readonly type: T;
  readonly data: D & { readonly roundId: string };
  readonly meta: CommandMeta;
}

/** The list is computed by the decider from the households' facts, read from the store by the caller. */
export type DraftBenefitRound = Cmd<
  'DraftBenefitRound',
  {
    programmeId: string;
    countyId: string;
    townshipId: string;
    villageIds: readonly string[];
    period: string;
    standards?: Standards;
    households: readonly HouseholdBenefitFacts[];
    /** People (member keys; `household:<id>` for a per-household line) already on another round of this programme and period, by that round's id: read from the store by the caller. */
    listedElsewhere?: Readonly<Record<string, string>>;
  }
>;
export type PostBenefitNotice = Cmd<'PostBenefitNotice', { endsAt: string }>;
/**
 * An objection during 公示, ruled on at once: `remove` takes a listed household off, `add` puts one
 * on (its facts read from the store; null when it is not in the registry), `dismiss` changes nothing.
 */
export type RuleOnBenefitObjection = Cmd<
  'RuleOnBenefitObjection',
  {
    objectionId: string;
    householdId: string;
    outcome: 'remove' | 'add' | 'dismiss';
    reason: string;
    facts?: HouseholdBenefitFacts | null;
    listedElsewhere?: Readonly<Record<string, string>>;
  }
>;
export type ReviewBenefitRound = Cmd<'ReviewBenefitRound', { approved: boolean; note: string }>;
export type ApproveBenefitRound = Cmd<'ApproveBenefitRound', { approved: boolean; note: string }>;
/** `fund` is read from the fund's stream by the caller. */
export type StartBenefitDisbursement = Cmd<
  'StartBenefitDisbursement',
  { fundId: string; allocationId: string; fund: { source: FundSource; countyId: string; earmark: readonly ProjectCategory[] } }
>;
export type RecordBenefitPayments = Cmd<
  'RecordBenefitPayments',
  { batch: string; payments: readonly { householdId: string; paymentId: string; accountKey: string; amount: Fen; transferId: string }[] }
>;
export type RecordBenefitReturns = Cmd<
  'RecordBenefitReturns',
  { batch: string; returned: readonly { householdId: string; paymentId: string; amount: Fen; code: string; reason: string; attempts: number }[] }
>;
/** `receipts`: the paid list's Merkle root, computed by the caller (hashing is infra's), published with the close. */
export type CloseBenefitRound = Cmd<'CloseBenefitRound', { receipts?: { root: string; leafCount: number; algorithm: string } }>;

export type BenefitRoundCommand =
  | DraftBenefitRound
  | PostBenefitNotice
  | RuleOnBenefitObjection
  | ReviewBenefitRound
  | ApproveBenefitRound
  | StartBenefitDisbursement
  | RecordBenefitPayments
  | RecordBenefitReturns
  | CloseBenefitRound;

/** The payment id (the rail's idempotency key) of a household in a round: one per household per round. */
export const benefitPaymentId = (roundId: string, householdId: string): string => `${roundId}:${householdId}`;
