import type { ColumnType } from 'kysely';

type Int8 = ColumnType<string, number | string, number | string>;
type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

/**
 * What may be wrong, one row per fact: a refused attempt, a payment to a household that had left
 * (or never joined) the register, an escalated stage, and each allocation with money unpaid (an
 * anomaly only once idle for more than 365 days as of the day asked: decided at query time).
 */
export interface AnomaliesTable {
  anomaly_id: string;
  kind: string;
  county_id: string;
  project_id: Maybe<string>;
  fund_id: Maybe<string>;
  allocation_id: Maybe<string>;
  payment_id: Maybe<string>;
  household_id: Maybe<string>;
  payee_account: Maybe<string>;
  amount_fen: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  code: Maybe<string>;
  zh: Maybe<string>;
  en: Maybe<string>;
  actor_user_id: string;
  actor_role: string;
  stage: Maybe<string>;
  detail: ColumnType<Record<string, unknown>, string, string>;
  /** A pg `date`, read as `business_date::text`. */
  business_date: ColumnType<Date, string, string>;
  recorded_at: ColumnType<Date, Date | string, Date | string>;
  position: Int8;
}
