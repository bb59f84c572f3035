/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * Chain checkpoints keep the row *version* a verifier checkpointed (`row_xmin`: the `xmin` of the
 * event's row as the verifier read it), so that a trail can tell an unchanged row by comparing two
 * transaction ids instead of recomputing the row digest: PostgreSQL never changes a row in place,
 * every UPDATE (triggers off or not, any column) writes a new version with its own transaction's id,
 * so equal ids mean the very row version the verifier read (infra/eventstore/chain-checkpoints.ts
 * `rowUnchanged`). The digest stays: a row whose version differs (a restore, a tamper) is compared
 * by its digest as before, and walked when that differs too. Issue 18, point 3: the digest was the
 * trail's biggest single cost in PostgreSQL (the metadata's jsonb text and a SHA-256 an entry).
 *
 * Existing checkpoints take their row's id only where their digest (format 2) is still the row's:
 * then that row version is, column for column, the one the verifier checkpointed. The others keep
 * none and prove nothing by it. Checkpoints are append-only; this fill is the one change made to
 * them here, as the owner.
 */

const digest = sql`sha256(int8send(e.position) || int8send(e.stream_version) || int4send(e.schema_version) || int2send(e.chain_format) || timestamptz_send(e.recorded_at)
    || int4send(length(e.prev_hash)) || e.prev_hash || int4send(length(e.hash)) || e.hash
    || int4send(length(e.stream_id)) || int4send(length(e.event_id)) || int4send(length(e.type))
    || convert_to(e.stream_id || e.event_id || e.type || e.metadata::text || E'\\n' || e.data::text, 'UTF8'))`;

/** Every checkpoint was updated in place: the migration run vacuums the table once this has committed (infra/migrate.ts). */
export const vacuumAfter = ['chain_checkpoints'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE chain_checkpoints ADD COLUMN row_xmin xid`.execute(db);
  await sql`ALTER TABLE chain_checkpoints DISABLE TRIGGER chain_checkpoints_refuse_update_delete`.execute(db);
  await sql`
    UPDATE chain_checkpoints c SET row_xmin = e.xmin
      FROM events e
     WHERE e.position = c.position AND c.digest_format = 2 AND c.row_digest = ${digest}`.execute(db);
  await sql`ALTER TABLE chain_checkpoints ENABLE TRIGGER chain_checkpoints_refuse_update_delete`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE chain_checkpoints DROP COLUMN row_xmin`.execute(db);
}
