import type { CommandMeta } from '../shared/actor';
import type { Fen } from '../shared/money';
import type { CountyId } from '../reference/counties';
import type { ProjectCategory } from '../project/ids';
import type { FundSource, PaymentKind } from './ids';

interface Cmd<T extends string, D> {
  readonly type: T;
  readonly data: D;
  readonly meta: CommandMeta;
}

export type AppropriateFund = Cmd<
  'AppropriateFund',
  {
    fundId: string;
    source: FundSource;
    fiscalYear: number;
    countyId: CountyId;
    documentNumber: string;
    amount: Fen;
    earmark: ProjectCategory[];
  }
>;
/** `projectCountyId` comes from the project's state, so a fund never pays outside its county. */
export type AllocateFund = Cmd<'AllocateFund', { fundId: string; allocationId: string; projectId: string; projectCountyId: CountyId; category: ProjectCategory; amount: Fen }>;
/** Without an amount, releases everything still unpaid on the allocation. */
export type ReleaseAllocation = Cmd<'ReleaseAllocation', { fundId: string; allocationId: string; amount?: Fen; reason: string }>;
/**
 * `payee` is the account paid; `householdId` the household the payment is for (到户), when it is one's.
 * `railConfirmed`: the rail has already paid it, and this is its record: a freeze stops new payments,
 * not the recording of one made (else money paid would stay unpaid in the books, payable again).
 */
export type DisburseFund = Cmd<
  'DisburseFund',
  { fundId: string; allocationId: string; paymentId: string; milestone: PaymentKind; payee: string; householdId?: string; amount: Fen; railConfirmed?: true }
>;
export type ReturnFund = Cmd<'ReturnFund', { fundId: string; amount: Fen; reason: string }>;
export type FreezeFund = Cmd<'FreezeFund', { fundId: string; reason: string }>;
export type UnfreezeFund = Cmd<'UnfreezeFund', { fundId: string; reason: string }>;

export type FundCommand = AppropriateFund | AllocateFund | ReleaseAllocation | DisburseFund | ReturnFund | FreezeFund | UnfreezeFund;
