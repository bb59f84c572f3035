/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * Chain checkpoints' row digest, second format (`digest_format` 2; infra/eventstore/chain-checkpoints.ts
 * `rowDigestOf`): the columns in their binary forms where they have one, instead of the JSON text
 * of an array of them (json_build_array, to_char, hex), and metadata and data as jsonb text as
 * before. Same columns, same bytes covered; PostgreSQL spends less on it for every entry of a trail
 * (issue 18, point 3).
 *
 * Checkpoints are not dropped and re-derived by walking every chain again (as 20261206163000 did,
 * when they were new): a checkpoint holds the hash a verifier recomputed when the row was as it
 * checkpointed it, and a walk now would take a row rewritten since, with its hashes recomputed, for
 * the original. So each checkpoint's digest is re-derived in place, but only where its first-format
 * digest is still the row's: then the row is, byte for byte, the row the verifier checkpointed, and
 * its second-format digest is that row's. A checkpoint whose row no longer matches keeps its
 * first-format digest and `digest_format` 1: it proves nothing by its digest (the row is walked
 * from the checkpoint before it, and its hash is still compared), and `tuopin verify` reports it,
 * as it did before (`checkpoint-mismatch`).
 *
 * `digest_format` has no default: a checkpointer of the code before this (writing first-format
 * digests without saying so) fails to add checkpoints instead of adding ones that look changed.
 * Checkpoints are append-only; the re-derivation is the one change made to them, here, as the owner.
 */

/** The first format, as migration 20261206163000's code computed it (kept here: the app's code computes only the second). */
const firstFormat = sql`sha256(convert_to(json_build_array(
    e.position, e.stream_id, e.stream_version, e.event_id, e.type, e.schema_version, e.chain_format,
    to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), encode(e.prev_hash, 'hex'), encode(e.hash, 'hex'))::text
    || E'\\n' || e.metadata::text || E'\\n' || e.data::text, 'UTF8'))`;

/** The second format, as this migration's code computes it (`rowDigestOf`). */
const secondFormat = sql`sha256(int8send(e.position) || int8send(e.stream_version) || int4send(e.schema_version) || int2send(e.chain_format) || timestamptz_send(e.recorded_at)
    || int4send(length(e.prev_hash)) || e.prev_hash || int4send(length(e.hash)) || e.hash
    || int4send(length(e.stream_id)) || int4send(length(e.event_id)) || int4send(length(e.type))
    || convert_to(e.stream_id || e.event_id || e.type || e.metadata::text || E'\\n' || e.data::text, 'UTF8'))`;

const rederive = async (db: Kysely<any>, from: number, to: number): Promise<void> => {
  await sql`ALTER TABLE chain_checkpoints DISABLE TRIGGER chain_checkpoints_refuse_update_delete`.execute(db);
  await sql`
    UPDATE chain_checkpoints c SET row_digest = ${to === 2 ? secondFormat : firstFormat}, digest_format = ${sql.lit(to)}
      FROM events e
     WHERE e.position = c.position AND c.digest_format = ${sql.lit(from)} AND c.row_digest = ${from === 1 ? firstFormat : secondFormat}`.execute(db);
  await sql`ALTER TABLE chain_checkpoints ENABLE TRIGGER chain_checkpoints_refuse_update_delete`.execute(db);
};

/** Every checkpoint was updated in place: the migration run vacuums the table once this has committed (infra/migrate.ts). */
export const vacuumAfter = ['chain_checkpoints'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE chain_checkpoints ADD COLUMN digest_format smallint NOT NULL DEFAULT 1 CHECK (digest_format IN (1, 2))`.execute(db);
  await sql`ALTER TABLE chain_checkpoints ALTER COLUMN digest_format DROP DEFAULT`.execute(db);
  await rederive(db, 1, 2);
}

export async function down(db: Kysely<any>): Promise<void> {
  await rederive(db, 2, 1);
  await sql`ALTER TABLE chain_checkpoints DROP COLUMN digest_format`.execute(db);
}
