import type { ColumnType } from 'kysely';

/** int8 columns: pg returns them as strings; Number() is exact below 2^53 fen. */
type Int8 = ColumnType<string, number | string, number | string>;

export interface PaymentLedgerTable {
  payment_id: string;
  event_id: string;
  fund_id: string;
  source: string;
  county_id: string;
  fiscal_year: number;
  project_id: string;
  allocation_id: string;
  milestone: string;
  payee_account: string;
  household_id: string | null;
  amount_fen: Int8;
  /** A pg `date`: the driver makes it a local-midnight Date, so queries read it as `business_date::text`. */
  business_date: ColumnType<Date, string, string>;
  recorded_at: ColumnType<Date, Date | string, Date | string>;
  position: Int8;
}
