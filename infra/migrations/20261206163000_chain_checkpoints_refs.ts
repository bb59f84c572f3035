/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * Chain checkpoints, second form: each holds the event's refs as the verifier found them under the
 * recomputed hash (`refs`, `<kind> <id>` each, sorted bytewise), and the row digest no longer reads
 * the refs table (infra/eventstore/chain-checkpoints.ts). A trail found its entries through one ref;
 * it checks that ref is among the checkpoint's, which costs nothing, where the first form's digest
 * aggregated every event's refs again (half the digest's time). Checkpoints are derived from the
 * store and re-derived by the next checkpointer run, so the first form's rows are dropped, not converted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE chain_checkpoints`.execute(db);
  await sql`
    CREATE TABLE chain_checkpoints (
      position bigint PRIMARY KEY,
      stream_id text NOT NULL,
      stream_version bigint NOT NULL,
      hash bytea NOT NULL CHECK (length(hash) = 32),
      row_digest bytea NOT NULL CHECK (length(row_digest) = 32),
      refs text[] NOT NULL,
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
  await sql`REVOKE UPDATE, DELETE, TRUNCATE ON chain_checkpoints FROM tuopin_writer`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE chain_checkpoints DROP COLUMN refs`.execute(db);
}
