/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * Chain checkpoints: one row per event whose link a verifier recomputed on a chain it had walked
 * from genesis (or from an earlier checkpoint of the same stream), with the hash it recomputed and
 * the event's row digest as PostgreSQL rendered it then (infra/eventstore/chain-checkpoints.ts).
 * An audit trail then proves an event by comparing its row digest now with the checkpoint's (one
 * index lookup, no re-walk of the stream: issue 18, proofs without re-walking history), and walks
 * from the nearest checkpoint only for events not checkpointed yet or changed since.
 *
 * Append-only, as the store is: a checkpoint is never moved or withdrawn (the store's refusal
 * trigger, SQLSTATE TU010). The application role may add checkpoints (the verifier runs as it) and
 * read them; `tuopin verify` recomputes every chain from genesis and reports a checkpoint that does
 * not agree with it (`checkpoint-mismatch`), so a checkpoint is never more than a claim anyone can check.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE chain_checkpoints (
      position bigint PRIMARY KEY,
      stream_id text NOT NULL,
      stream_version bigint NOT NULL,
      hash bytea NOT NULL CHECK (length(hash) = 32),
      row_digest bytea NOT NULL CHECK (length(row_digest) = 32),
      checked_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (stream_id, stream_version)
    )
  `.execute(db);
  await sql`
    CREATE TRIGGER chain_checkpoints_refuse_update_delete BEFORE UPDATE OR DELETE ON chain_checkpoints
    FOR EACH ROW EXECUTE FUNCTION tuopin_refuse_change()
  `.execute(db);
  await sql`
    CREATE TRIGGER chain_checkpoints_refuse_truncate BEFORE TRUNCATE ON chain_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION tuopin_refuse_change()
  `.execute(db);
  // Default privileges gave the writer role everything on a new table: it keeps reading and adding.
  await sql`REVOKE UPDATE, DELETE, TRUNCATE ON chain_checkpoints FROM tuopin_writer`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE chain_checkpoints`.execute(db);
}
