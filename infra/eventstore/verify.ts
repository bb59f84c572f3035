import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import { GENESIS_HASH } from './canonical';
import { checkLink, type LinkFault } from './chain-link';

export type BrokenReason = LinkFault | 'head-mismatch' | 'stream-row-missing' | 'stream-without-events';

export interface BrokenLink {
  streamId: string;
  streamVersion: number | null;
  position: number | null;
  eventId: string | null;
  reason: BrokenReason;
}

export interface VerifyReport {
  ok: boolean;
  streams: number;
  events: number;
  /** sha256 over every stream's id, version and recomputed head hash, in stream id order. */
  digest: string;
  /** The first broken link in (stream id, version) order. */
  firstBroken: BrokenLink | null;
  broken: number;
}

interface Row {
  position: string;
  stream_id: string;
  stream_version: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  recorded_at: Date;
  prev_hash: Buffer;
  hash: Buffer;
  head_version: string | null;
  head_hash: Buffer | null;
}

/**
 * Recomputes every stream's hash chain from the stored rows and checks it against each row and
 * the stream's head. Reads only (the application role may run it). Streams are walked in id order
 * with keyset pages, so memory stays flat however large the store is.
 */
export const verify = async (
  db: Kysely<Database>,
  opts: { batchSize?: number; onProgress?: (checked: { streams: number; events: number }) => void } = {},
): Promise<VerifyReport> => {
  const batchSize = opts.batchSize ?? 5000;
  const storeDigest = createHash('sha256');
  let firstBroken: BrokenLink | null = null;
  let broken = 0;
  let events = 0;
  let streams = 0;
  const flag = (b: BrokenLink): void => {
    broken++;
    firstBroken ??= b;
  };

  let current: { id: string; version: number; hash: Buffer; headVersion: string | null; headHash: Buffer | null; bad: boolean } | null = null;
  const closeStream = (): void => {
    if (!current) return;
    streams++;
    if (current.headVersion === null || current.headHash === null) {
      flag({ streamId: current.id, streamVersion: null, position: null, eventId: null, reason: 'stream-row-missing' });
    } else if (!current.bad && (Number(current.headVersion) !== current.version || !current.headHash.equals(current.hash))) {
      flag({ streamId: current.id, streamVersion: Number(current.headVersion), position: null, eventId: null, reason: 'head-mismatch' });
    }
    storeDigest.update(`${current.id}\n${current.version}\n${current.hash.toString('hex')}\n`);
  };

  let after = { streamId: '', version: 0 };
  for (;;) {
    const { rows } = await sql<Row>`
      SELECT e.position, e.stream_id, e.stream_version, e.event_id, e.type, e.schema_version, e.data, e.metadata,
             e.recorded_at, e.prev_hash, e.hash, s.version AS head_version, s.head_hash
        FROM events e LEFT JOIN streams s ON s.stream_id = e.stream_id
       WHERE (e.stream_id, e.stream_version) > (${after.streamId}, ${after.version})
       ORDER BY e.stream_id, e.stream_version
       LIMIT ${batchSize}`.execute(db);
    for (const r of rows) {
      const version = Number(r.stream_version);
      if (!current || current.id !== r.stream_id) {
        closeStream();
        current = { id: r.stream_id, version: 0, hash: GENESIS_HASH, headVersion: r.head_version, headHash: r.head_hash, bad: false };
      }
      events++;
      const at = { streamId: r.stream_id, streamVersion: version, position: Number(r.position), eventId: r.event_id };
      if (!current.bad) {
        const link = checkLink(current.version, current.hash, r);
        if (link.fault) {
          flag({ ...at, reason: link.fault });
          current.bad = true;
        }
        current.hash = link.hash;
      }
      current.version = version;
    }
    opts.onProgress?.({ streams, events });
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize) break;
    after = { streamId: last.stream_id, version: Number(last.stream_version) };
  }
  closeStream();

  const orphans = await sql<{ stream_id: string; version: string }>`
    SELECT s.stream_id, s.version FROM streams s
     WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = s.stream_id)
     ORDER BY s.stream_id LIMIT 100`.execute(db);
  for (const o of orphans.rows) flag({ streamId: o.stream_id, streamVersion: Number(o.version), position: null, eventId: null, reason: 'stream-without-events' });

  return { ok: broken === 0, streams, events, digest: storeDigest.digest('hex'), firstBroken, broken };
};
