/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

const SIGNATURE = 'text, text, text, text, text, bigint, text, text';

/**
 * A new payment instruction that the ledger pays, in one call (issue 18, point 2): the rail's submit
 * was a transaction of eleven round trips (BEGIN, the instruction inserted and locked, the accounts
 * read, the confirmation, transfer, state, balances and entries written, COMMIT), each a wait on a
 * loaded machine (p50 0.3–0.6 ms, p90 2–12 ms at load 13, the commit 4 ms): 13.8 ms p50 for the
 * submit. This function writes the same rows in the same order in one statement, so the accounts'
 * locks are held for microseconds of server work, not over client round trips.
 *
 * It only pays: the instruction is inserted (a key already stored is answered with its row, locked,
 * for the caller to compare its content), the two accounts are locked in id order as every rail
 * transaction takes them, and anything the ledger might refuse (a payer that is not a treasury
 * account, a payee that is a source account, a balance below the amount) raises TU022, undoing the
 * call; the caller then decides the instruction under the locks in its own transaction, where the
 * ledger's refusals are made (infra/payment-rail/treasury-ledger.ts, `execute`). The double-entry
 * trigger and the accounts' overdraft check still stand behind every write.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION rail_pay_new(
      p_instruction_id text,
      p_key text,
      p_content_hash text,
      p_from text,
      p_to text,
      p_amount bigint,
      p_memo text,
      p_transfer_id text
    ) RETURNS SETOF rail_instructions
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $fn$
    DECLARE
      payer rail_accounts;
      payee_kind text;
    BEGIN
      INSERT INTO rail_instructions (instruction_id, idempotency_key, content_hash, from_account, to_account, amount_fen, memo, state)
      VALUES (p_instruction_id, p_key, p_content_hash, p_from, p_to, p_amount, p_memo, 'pending')
      ON CONFLICT (idempotency_key) DO NOTHING;
      IF NOT FOUND THEN
        RETURN QUERY SELECT * FROM rail_instructions WHERE idempotency_key = p_key FOR UPDATE;
        RETURN;
      END IF;
      -- A payee's account exists outside the rail: its side is opened by the first payment to it (before
      -- the locks, as the ledger's execute opens it: both then lock it in id order with the payer).
      INSERT INTO rail_accounts (account_id, kind) VALUES (p_to, 'payee') ON CONFLICT (account_id) DO NOTHING;
      -- FOR NO KEY UPDATE: the entries' foreign keys take KEY SHARE on these rows, which it does not wait for.
      PERFORM 1 FROM rail_accounts WHERE account_id IN (p_from, p_to) ORDER BY account_id FOR NO KEY UPDATE;
      SELECT * INTO payer FROM rail_accounts WHERE account_id = p_from;
      SELECT kind INTO payee_kind FROM rail_accounts WHERE account_id = p_to;
      IF payer.account_id IS NULL OR payer.kind <> 'treasury' OR payee_kind = 'source' OR payer.balance_fen < p_amount THEN
        RAISE EXCEPTION 'instruction % is for the ledger to decide under its locks', p_key USING ERRCODE = 'TU022';
      END IF;
      -- The instruction was inserted by this call: no confirmation of it can exist yet.
      INSERT INTO rail_confirmations (instruction_id, transfer_id, delivery, applied) VALUES (p_instruction_id, p_transfer_id, 1, true);
      INSERT INTO rail_transfers (transfer_id, instruction_id, reference, kind, amount_fen) VALUES (p_transfer_id, p_instruction_id, NULL, 'payment', p_amount);
      UPDATE rail_accounts SET balance_fen = balance_fen + CASE WHEN account_id = p_from THEN -p_amount ELSE p_amount END, updated_at = now()
       WHERE account_id IN (p_from, p_to);
      INSERT INTO rail_entries (transfer_id, account_id, amount_fen) VALUES (p_transfer_id, p_from, -p_amount), (p_transfer_id, p_to, p_amount);
      RETURN QUERY
        UPDATE rail_instructions SET state = 'confirmed', transfer_id = p_transfer_id, settled_at = now()
         WHERE instruction_id = p_instruction_id
        RETURNING *;
    END $fn$
  `.execute(db);
  await sql.raw(`REVOKE ALL ON FUNCTION rail_pay_new(${SIGNATURE}) FROM PUBLIC`).execute(db);
  await sql.raw(`GRANT EXECUTE ON FUNCTION rail_pay_new(${SIGNATURE}) TO tuopin_writer`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`DROP FUNCTION rail_pay_new(${SIGNATURE})`).execute(db);
}
