import type { ColumnType, Generated } from 'kysely';

/**
 * The treasury ledger's tables (migration 20261129090000_payment_rail). int8 comes back as a string
 * (exact; Number() is exact below 2^53 fen). Transfers, entries and confirmations are append-only:
 * their update type is `never`.
 */
type Int8 = ColumnType<string, number | string, number | string>;
type Immutable<S, I = S> = ColumnType<S, I, never>;

export type RailAccountKind = 'treasury' | 'payee' | 'source';
export type RailInstructionState = 'pending' | 'confirmed' | 'rejected';

export interface RailAccountsTable {
  account_id: ColumnType<string, string, never>;
  kind: ColumnType<RailAccountKind, RailAccountKind, never>;
  balance_fen: Generated<Int8>;
  opened_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, never, Date | string>;
}

export interface RailInstructionsTable {
  instruction_id: ColumnType<string, string, never>;
  idempotency_key: ColumnType<string, string, never>;
  content_hash: ColumnType<string, string, never>;
  from_account: ColumnType<string, string, never>;
  to_account: ColumnType<string, string, never>;
  amount_fen: ColumnType<string, number, never>;
  memo: ColumnType<string, string, never>;
  state: RailInstructionState;
  transfer_id: string | null;
  reject_code: string | null;
  reject_reason: string | null;
  received_at: ColumnType<Date, never, never>;
  settled_at: ColumnType<Date | null, never, Date | string>;
}

export interface RailTransfersTable {
  transfer_id: Immutable<string>;
  instruction_id: Immutable<string | null>;
  reference: Immutable<string | null>;
  kind: Immutable<'payment' | 'funding'>;
  amount_fen: Immutable<string, number>;
  booked_at: ColumnType<Date, never, never>;
}

/** Double entry: a transfer's entries sum to zero (checked at commit by a constraint trigger). */
export interface RailEntriesTable {
  transfer_id: Immutable<string>;
  account_id: Immutable<string>;
  amount_fen: Immutable<string, number>;
}

export interface RailConfirmationsTable {
  confirmation_id: ColumnType<string, never, never>;
  instruction_id: Immutable<string>;
  transfer_id: Immutable<string>;
  delivery: Immutable<number>;
  applied: Immutable<boolean>;
  received_at: ColumnType<Date, never, never>;
}

/** Merged into the app's Database with `db.withTables<RailTables>()` (a type alias: withTables wants an index signature). */
export type RailTables = {
  rail_accounts: RailAccountsTable;
  rail_instructions: RailInstructionsTable;
  rail_transfers: RailTransfersTable;
  rail_entries: RailEntriesTable;
  rail_confirmations: RailConfirmationsTable;
};
