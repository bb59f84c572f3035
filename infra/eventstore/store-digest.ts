import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import { storeDigestLine } from './verify';

export interface StoreDigestAt {
  /** The store position the digest stands at. */
  readonly position: number;
  /** sha256 over every stream's `storeDigestLine`, in stream id order: what `tuopin verify` prints at the same position. */
  readonly digest: string;
  readonly streams: number;
  readonly events: number;
  /** When the event at `position` was recorded (ISO), null for an empty store. */
  readonly recordedAt: string | null;
}

/**
 * The store digest as it stood at `position`: each stream's version and head hash as of its last
 * event at or before that position, from the stored hashes (`tuopin verify` recomputes them; at the
 * head the two digests are equal when every chain verifies). A report that states it can be checked
 * against the books by anyone who can read the store.
 */
export const storeDigestAt = async (db: Kysely<Database>, position: number): Promise<StoreDigestAt> => {
  const digest = createHash('sha256');
  let streams = 0;
  let events = 0;
  let after = '';
  for (;;) {
    const { rows } = await sql<{ stream_id: string; v: string; hash: Buffer }>`
      SELECT DISTINCT ON (stream_id) stream_id, stream_version::text AS v, hash
        FROM events WHERE position <= ${position} AND stream_id > ${after}
       ORDER BY stream_id, stream_version DESC LIMIT 5000`.execute(db);
    for (const r of rows) {
      digest.update(storeDigestLine(r.stream_id, r.v, r.hash));
      streams += 1;
      events += Number(r.v);
    }
    if (rows.length < 5000) break;
    after = rows[rows.length - 1]!.stream_id;
  }
  const at = await sql<{ recorded_at: Date }>`SELECT recorded_at FROM events WHERE position = ${position}`.execute(db);
  return { position, digest: digest.digest('hex'), streams, events, recordedAt: at.rows[0]?.recorded_at.toISOString() ?? null };
};
