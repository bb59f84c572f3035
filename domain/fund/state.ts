import type { Fen } from '../shared/money';
import type { CountyId } from '../reference/counties';
import type { ProjectCategory } from '../project/ids';
import type { FundSource, PaymentKind } from './ids';
import type { PersistentMap } from '../shared/persistent-map';

export interface Allocation {
  readonly projectId: string;
  readonly category: ProjectCategory;
  /** Allocated net of releases. */
  readonly amount: Fen;
  readonly paid: Fen;
  readonly released: Fen;
}

export interface PaymentRecord {
  readonly allocationId: string;
  readonly milestone: PaymentKind;
  readonly payee: string;
  readonly householdId?: string;
  readonly amount: Fen;
}

/**
 * The four balances are kept separately (not derived) so the invariant
 * appropriated = available + allocatedUnpaid + paid + returned is a real check, not a tautology.
 */
export interface FundBooks {
  readonly fundId: string;
  readonly source: FundSource;
  readonly fiscalYear: number;
  readonly countyId: CountyId;
  readonly documentNumber: string;
  readonly earmark: readonly ProjectCategory[];
  readonly appropriated: Fen;
  readonly available: Fen;
  readonly allocatedUnpaid: Fen;
  readonly paid: Fen;
  readonly returned: Fen;
  readonly allocations: Readonly<Record<string, Allocation>>;
  /** By payment id (the idempotency key): a persistent map, so a fund's thousandth payment folds as fast as its first. */
  readonly payments: PersistentMap<PaymentRecord>;
}

export type FundState = { readonly status: 'none' } | ({ readonly status: 'open' } & FundBooks) | ({ readonly status: 'frozen'; readonly frozenReason: string } & FundBooks);

export const initialState = (): FundState => ({ status: 'none' });

export const balanced = (s: FundBooks): boolean =>
  s.appropriated === s.available + s.allocatedUnpaid + s.paid + s.returned && [s.available, s.allocatedUnpaid, s.paid, s.returned].every((x) => Number.isSafeInteger(x) && x >= 0);
