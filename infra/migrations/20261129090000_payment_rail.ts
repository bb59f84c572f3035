/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * The built-in payment rail: a simulated treasury ledger (infra/payment-rail/README.md).
 *
 * Money moves only as a transfer with two entries that cancel out, so the whole ledger sums to zero
 * to the fen. Transfers, entries and confirmations are append-only; an instruction may only move
 * out of `pending`, once. The application role gets exactly the rights the rail uses, not the broad
 * read-model default (which would let it DELETE a transfer).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE rail_accounts (
      account_id text PRIMARY KEY,
      -- treasury: a fund's account, opened explicitly, never below zero.
      -- payee: opened by the first payment to it. source: money from outside the rail (a budget
      -- line); its balance is the negative of everything it has issued.
      kind text NOT NULL CHECK (kind IN ('treasury', 'payee', 'source')),
      balance_fen bigint NOT NULL DEFAULT 0,
      opened_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT rail_accounts_not_overdrawn CHECK (kind = 'source' OR balance_fen >= 0)
    )
  `.execute(db);

  await sql`
    CREATE TABLE rail_instructions (
      instruction_id text PRIMARY KEY,
      idempotency_key text NOT NULL CONSTRAINT rail_instructions_key UNIQUE,
      content_hash text NOT NULL,
      from_account text NOT NULL,
      to_account text NOT NULL,
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      memo text NOT NULL,
      state text NOT NULL CHECK (state IN ('pending', 'confirmed', 'rejected')),
      transfer_id text,
      reject_code text,
      reject_reason text,
      received_at timestamptz NOT NULL DEFAULT now(),
      settled_at timestamptz,
      CONSTRAINT rail_instructions_state_fields CHECK (
        (state = 'pending' AND transfer_id IS NULL AND reject_code IS NULL AND settled_at IS NULL)
        OR (state = 'confirmed' AND transfer_id IS NOT NULL AND reject_code IS NULL AND settled_at IS NOT NULL)
        OR (state = 'rejected' AND transfer_id IS NULL AND reject_code IS NOT NULL AND reject_reason IS NOT NULL AND settled_at IS NOT NULL)
      )
    )
  `.execute(db);

  await sql`
    CREATE TABLE rail_transfers (
      transfer_id text PRIMARY KEY,
      -- A payment's transfer names its instruction; a funding credit names its caller's reference
      -- (e.g. the appropriation's event id). Either is unique: one transfer per payment, per credit.
      instruction_id text CONSTRAINT rail_transfers_instruction UNIQUE REFERENCES rail_instructions (instruction_id),
      reference text CONSTRAINT rail_transfers_reference UNIQUE,
      kind text NOT NULL CHECK (kind IN ('payment', 'funding')),
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      booked_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT rail_transfers_origin CHECK (
        (kind = 'payment' AND instruction_id IS NOT NULL AND reference IS NULL)
        OR (kind = 'funding' AND instruction_id IS NULL AND reference IS NOT NULL)
      )
    )
  `.execute(db);

  await sql`
    CREATE TABLE rail_entries (
      transfer_id text NOT NULL REFERENCES rail_transfers (transfer_id),
      account_id text NOT NULL REFERENCES rail_accounts (account_id),
      amount_fen bigint NOT NULL CHECK (amount_fen <> 0),
      PRIMARY KEY (transfer_id, account_id)
    )
  `.execute(db);
  await sql`CREATE INDEX rail_entries_account ON rail_entries (account_id)`.execute(db);

  await sql`
    CREATE TABLE rail_confirmations (
      confirmation_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      instruction_id text NOT NULL REFERENCES rail_instructions (instruction_id),
      transfer_id text NOT NULL,
      delivery integer NOT NULL CHECK (delivery >= 1),
      -- false for a duplicate delivery: it was recorded and changed nothing else.
      applied boolean NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT rail_confirmations_delivery UNIQUE (instruction_id, delivery)
    )
  `.execute(db);

  // Double entry, checked at commit: whatever the code does, a transfer's entries cancel out and
  // equal its amount on each side.
  await sql`
    CREATE FUNCTION rail_check_transfer_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      t record;
    BEGIN
      SELECT tr.amount_fen,
             coalesce(sum(e.amount_fen), 0) AS total,
             coalesce(sum(e.amount_fen) FILTER (WHERE e.amount_fen > 0), 0) AS credits,
             count(e.*) AS n
        INTO t
        FROM rail_transfers tr LEFT JOIN rail_entries e ON e.transfer_id = tr.transfer_id
       WHERE tr.transfer_id = NEW.transfer_id
       GROUP BY tr.amount_fen;
      IF t.total <> 0 OR t.credits <> t.amount_fen OR t.n < 2 THEN
        RAISE EXCEPTION 'transfer % does not balance (entries sum to %, credits %, amount %)',
          NEW.transfer_id, t.total, t.credits, t.amount_fen USING ERRCODE = 'TU020';
      END IF;
      RETURN NULL;
    END $$
  `.execute(db);
  // On both tables: an entry added later to an old transfer is caught as well.
  for (const table of ['rail_transfers', 'rail_entries']) {
    await sql`
      CREATE CONSTRAINT TRIGGER ${sql.id(`${table}_balanced`)} AFTER INSERT ON ${sql.table(table)}
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rail_check_transfer_balanced()
    `.execute(db);
  }

  // An instruction is settled once: its content never changes and it never leaves a final state.
  await sql`
    CREATE FUNCTION rail_guard_instruction() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.state <> 'pending'
         OR NEW.instruction_id <> OLD.instruction_id OR NEW.idempotency_key <> OLD.idempotency_key
         OR NEW.content_hash <> OLD.content_hash OR NEW.from_account <> OLD.from_account
         OR NEW.to_account <> OLD.to_account OR NEW.amount_fen <> OLD.amount_fen OR NEW.memo <> OLD.memo THEN
        RAISE EXCEPTION 'instruction % is settled or its content is fixed', OLD.instruction_id USING ERRCODE = 'TU021';
      END IF;
      RETURN NEW;
    END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER rail_instructions_guard BEFORE UPDATE ON rail_instructions
    FOR EACH ROW EXECUTE FUNCTION rail_guard_instruction()
  `.execute(db);

  // tuopin_refuse_change comes from the event-store migration: the same refusal, the same SQLSTATE.
  for (const table of ['rail_transfers', 'rail_entries', 'rail_confirmations']) {
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_refuse_update_delete`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION tuopin_refuse_change()
    `.execute(db);
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_refuse_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION tuopin_refuse_change()
    `.execute(db);
  }

  const tables = sql`rail_accounts, rail_instructions, rail_transfers, rail_entries, rail_confirmations`;
  // The default privileges of the event-store migration granted UPDATE and DELETE on these; take them back.
  await sql`REVOKE ALL ON ${tables} FROM PUBLIC, tuopin_writer`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE ON rail_accounts, rail_instructions TO tuopin_writer`.execute(db);
  await sql`GRANT SELECT, INSERT ON rail_transfers, rail_entries, rail_confirmations TO tuopin_writer`.execute(db);
  await sql`GRANT USAGE, SELECT ON SEQUENCE rail_confirmations_confirmation_id_seq TO tuopin_writer`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE rail_confirmations, rail_entries, rail_transfers, rail_instructions, rail_accounts`.execute(db);
  await sql`DROP FUNCTION rail_check_transfer_balanced()`.execute(db);
  await sql`DROP FUNCTION rail_guard_instruction()`.execute(db);
}
