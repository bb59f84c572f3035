import type { ColumnType } from 'kysely';

/** int8 columns: pg returns them as strings; Number() is exact below 2^53 fen. */
type Int8 = ColumnType<string, number | string, number | string>;

export interface FundBalancesTable {
  fund_id: string;
  source: string;
  county_id: string;
  fiscal_year: number;
  document_number: string;
  appropriated_fen: Int8;
  available_fen: Int8;
  allocated_unpaid_fen: Int8;
  paid_fen: Int8;
  returned_fen: Int8;
  frozen: ColumnType<boolean, boolean | undefined, boolean>;
  last_event_position: Int8;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
