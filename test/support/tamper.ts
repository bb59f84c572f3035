import { sql, type Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { chainHash, contentDigestV2, GENESIS_HASH, type RefPair } from '../../infra/eventstore/canonical';
import type { EventRow } from '../../infra/eventstore/codec';

/**
 * What a superuser can do behind the store's append-only guard, for the specs that show it is caught:
 * `work` runs as the owner on one connection with triggers off.
 */
export const asSuperuser = async (adminDb: Kysely<Database>, work: (c: Kysely<Database>) => Promise<void>): Promise<void> => {
  await adminDb.connection().execute(async (c) => {
    await sql`SET session_replication_role = replica`.execute(c);
    try {
      await work(c);
    } finally {
      await sql`SET session_replication_role = origin`.execute(c);
    }
  });
};

/** A stored event as the chain covers it (chain format 2), with its stored hash and refs: what a rewrite or an independent verifier reads. */
export type StoredChainRow = Pick<EventRow, 'position' | 'stream_version' | 'event_id' | 'type' | 'schema_version' | 'data' | 'metadata' | 'recorded_at'> & {
  hash: Buffer;
  refs: RefPair[] | null;
};

/** A stream's stored events in version order, as the chain covers them. */
export const storedChainRows = async (db: Kysely<Database>, streamId: string): Promise<StoredChainRow[]> =>
  (
    await sql<StoredChainRow>`SELECT e.position, e.stream_version, e.event_id, e.type, e.schema_version, e.data, e.metadata, e.recorded_at, e.hash,
                                     (SELECT json_agg(json_build_array(r.kind, r.ref_id)) FROM refs r WHERE r.position = e.position) AS refs
                                FROM events e WHERE e.stream_id = ${streamId} ORDER BY e.stream_version`.execute(db)
  ).rows;

/**
 * The second half of a consistent rewrite: every hash of the stream recomputed from genesis over the
 * rows as they now stand, and its head, so that nothing but a checkpoint or an anchor can tell.
 */
export const rechain = async (c: Kysely<Database>, streamId: string): Promise<void> => {
  const rows = await storedChainRows(c, streamId);
  let prev: Buffer = GENESIS_HASH;
  for (const r of rows) {
    const hash = chainHash(
      prev,
      contentDigestV2({
        streamId,
        eventId: r.event_id,
        type: r.type,
        schemaVersion: r.schema_version,
        data: r.data,
        metadata: r.metadata,
        recordedAt: r.recorded_at.toISOString(),
        position: Number(r.position),
        streamVersion: Number(r.stream_version),
        refs: r.refs ?? [],
      }),
    );
    await sql`UPDATE events SET prev_hash = ${prev}, hash = ${hash} WHERE event_id = ${r.event_id}`.execute(c);
    prev = hash;
  }
  await sql`UPDATE streams SET head_hash = ${prev} WHERE stream_id = ${streamId}`.execute(c);
};
