/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/** The payment_ledger and anomalies read models (infra/projections/payment-ledger, infra/projections/anomalies). */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE payment_ledger (
      payment_id text PRIMARY KEY,
      event_id text NOT NULL,
      fund_id text NOT NULL,
      source text NOT NULL,
      county_id text NOT NULL,
      fiscal_year integer NOT NULL,
      project_id text NOT NULL,
      allocation_id text NOT NULL,
      milestone text NOT NULL,
      payee_account text NOT NULL,
      household_id text,
      amount_fen bigint NOT NULL,
      business_date date NOT NULL,
      recorded_at timestamptz NOT NULL,
      position bigint NOT NULL UNIQUE
    )
  `.execute(db);
  await sql`CREATE INDEX payment_ledger_county_year ON payment_ledger (county_id, fiscal_year, position)`.execute(db);
  await sql`CREATE INDEX payment_ledger_fund ON payment_ledger (fund_id, position)`.execute(db);
  await sql`CREATE INDEX payment_ledger_project ON payment_ledger (project_id, position)`.execute(db);
  await sql`CREATE INDEX payment_ledger_payee ON payment_ledger (payee_account, position)`.execute(db);
  await sql`CREATE INDEX payment_ledger_household ON payment_ledger (household_id) WHERE household_id IS NOT NULL`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON payment_ledger TO tuopin_writer`.execute(db);

  await sql`
    CREATE TABLE anomalies (
      anomaly_id text PRIMARY KEY,
      kind text NOT NULL,
      county_id text NOT NULL,
      project_id text,
      fund_id text,
      allocation_id text,
      payment_id text,
      household_id text,
      payee_account text,
      amount_fen bigint,
      code text,
      zh text,
      en text,
      actor_user_id text NOT NULL,
      actor_role text NOT NULL,
      stage text,
      detail jsonb NOT NULL DEFAULT '{}',
      business_date date NOT NULL,
      recorded_at timestamptz NOT NULL,
      position bigint NOT NULL
    )
  `.execute(db);
  await sql`CREATE INDEX anomalies_county_kind ON anomalies (county_id, kind, position)`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON anomalies TO tuopin_writer`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE anomalies`.execute(db);
  await sql`DROP TABLE payment_ledger`.execute(db);
}
