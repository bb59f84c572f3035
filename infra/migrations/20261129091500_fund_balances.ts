/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/** The fund_balances read model (infra/projections/fund-balances): one row per fund, its four balances. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE fund_balances (
      fund_id text PRIMARY KEY,
      source text NOT NULL,
      county_id text NOT NULL,
      fiscal_year integer NOT NULL,
      document_number text NOT NULL,
      appropriated_fen bigint NOT NULL,
      available_fen bigint NOT NULL,
      allocated_unpaid_fen bigint NOT NULL,
      paid_fen bigint NOT NULL,
      returned_fen bigint NOT NULL,
      frozen boolean NOT NULL DEFAULT false,
      last_event_position bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX fund_balances_county_year_source ON fund_balances (county_id, fiscal_year, source)`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON fund_balances TO tuopin_writer`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE fund_balances`.execute(db);
}
