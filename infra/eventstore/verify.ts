import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import { verifyBrokenLinks, verifyLastRun, verifyOk } from '../metrics';
import { GENESIS_HASH } from './canonical';
import { chainRefsColumn, checkLink, type ChainRow, type LinkFault } from './chain-link';
import { refKeysOf, ROW_DIGEST_FORMAT, rowDigestOf } from './chain-checkpoints';

export type BrokenReason =
  | LinkFault
  | 'head-mismatch'
  | 'stream-row-missing'
  | 'stream-without-events'
  /** A chain checkpoint holds another hash, stream or version than the walk from genesis recomputes, or a row digest or refs the row no longer has. */
  | 'checkpoint-mismatch'
  /** A chain checkpoint names a position no event has. */
  | 'checkpoint-without-event'
  /** The chain recomputes, but not to the head an earlier signed digest holds for that version: history was rewritten. */
  | 'signed-head-mismatch'
  /** The stream is shorter than a signed digest says it was: its tail was cut. */
  | 'signed-version-missing'
  /** A stream a signed digest lists is gone. */
  | 'signed-stream-missing';

/** One stream's (version, head hash) as a signed store digest holds it. */
export interface StreamPoint {
  readonly version: number;
  /** hex */
  readonly head: string;
}

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
  /** With `against`: how many of its points were checked (each stream's recomputed hash at the signed version). */
  signedPoints?: number;
  /** With `collectBroken`: every broken link found, in the order found (the first of each stream, and the store-wide checks). */
  brokenLinks?: BrokenLink[];
  /** With `collectPoints`: every stream's [id, version, recomputed head hex], in stream id order (what a signed digest holds). */
  points?: [string, number, string][];
}

interface Row extends ChainRow {
  head_version: string | null;
  head_hash: Buffer | null;
  /** The event's chain checkpoint, when it has one, and its row digest now. */
  cp_hash: Buffer | null;
  cp_stream: string | null;
  cp_version: string | null;
  /** The checkpoint's row digest is in the current format and is the row's digest now. */
  cp_digest_same: boolean | null;
  /** The checkpoint's refs are the event's refs now. */
  cp_refs_same: boolean | null;
}

export interface VerifyOptions {
  batchSize?: number;
  onProgress?: (checked: { streams: number; events: number }) => void;
  /** Points of an earlier signed digest (checkSignedDigest): each stream's recomputed hash at that version must equal that head. */
  against?: ReadonlyMap<string, StreamPoint>;
  collectPoints?: boolean;
  collectBroken?: boolean;
}

/** One stream's line in the store digest: `<stream id>\n<version>\n<head hash hex>\n`, streams in id order. */
export const storeDigestLine = (streamId: string, version: number | string, head: Buffer): string => `${streamId}\n${version}\n${head.toString('hex')}\n`;

/**
 * Recomputes every stream's hash chain from the stored rows and checks it against each row and
 * the stream's head. Reads only (the application role may run it). Streams are walked in id order
 * with keyset pages, so memory stays flat however large the store is.
 */
export const verify = async (db: Kysely<Database>, opts: VerifyOptions = {}): Promise<VerifyReport> => {
  const batchSize = opts.batchSize ?? 5000;
  const storeDigest = createHash('sha256');
  let firstBroken: BrokenLink | null = null;
  let broken = 0;
  let events = 0;
  let streams = 0;
  const brokenLinks: BrokenLink[] | undefined = opts.collectBroken ? [] : undefined;
  const flag = (b: BrokenLink): void => {
    broken++;
    firstBroken ??= b;
    brokenLinks?.push(b);
  };
  const pending = opts.against ? new Map(opts.against) : null;
  let signedPoints = 0;
  const points: [string, number, string][] | undefined = opts.collectPoints ? [] : undefined;
  /** The signed point of the stream being walked, until its version is reached. */
  let point: StreamPoint | undefined;

  let current: { id: string; version: number; hash: Buffer; headVersion: string | null; headHash: Buffer | null; bad: boolean } | null = null;
  const closeStream = (): void => {
    if (!current) return;
    streams++;
    if (current.headVersion === null || current.headHash === null) {
      flag({ streamId: current.id, streamVersion: null, position: null, eventId: null, reason: 'stream-row-missing' });
    } else if (!current.bad && (Number(current.headVersion) !== current.version || !current.headHash.equals(current.hash))) {
      flag({ streamId: current.id, streamVersion: Number(current.headVersion), position: null, eventId: null, reason: 'head-mismatch' });
    }
    if (point) {
      signedPoints++;
      flag({ streamId: current.id, streamVersion: point.version, position: null, eventId: null, reason: 'signed-version-missing' });
      point = undefined;
    }
    storeDigest.update(storeDigestLine(current.id, current.version, current.hash));
    points?.push([current.id, current.version, current.hash.toString('hex')]);
  };

  let after = { streamId: '', version: 0 };
  for (;;) {
    const { rows } = await sql<Row>`
      SELECT e.position, e.stream_id, e.stream_version, e.event_id, e.type, e.schema_version, e.data, e.metadata,
             e.recorded_at, e.prev_hash, e.hash, e.chain_format, ${chainRefsColumn}, s.version AS head_version, s.head_hash,
             c.hash AS cp_hash, c.stream_id AS cp_stream, c.stream_version AS cp_version,
             CASE WHEN c.position IS NOT NULL THEN c.digest_format = ${ROW_DIGEST_FORMAT} AND c.row_digest = ${rowDigestOf()} END AS cp_digest_same,
             CASE WHEN c.position IS NOT NULL THEN c.refs = ${refKeysOf} END AS cp_refs_same
        FROM events e LEFT JOIN streams s ON s.stream_id = e.stream_id LEFT JOIN chain_checkpoints c ON c.position = e.position
       WHERE (e.stream_id, e.stream_version) > (${after.streamId}, ${after.version})
       ORDER BY e.stream_id, e.stream_version
       LIMIT ${batchSize}`.execute(db);
    for (const r of rows) {
      const version = Number(r.stream_version);
      if (!current || current.id !== r.stream_id) {
        closeStream();
        current = { id: r.stream_id, version: 0, hash: GENESIS_HASH, headVersion: r.head_version, headHash: r.head_hash, bad: false };
        point = pending?.get(r.stream_id);
        pending?.delete(r.stream_id);
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
        // A checkpoint must say what this walk from genesis says, of this very row as it is now.
        if (!link.fault && r.cp_hash && (!r.cp_hash.equals(link.hash) || r.cp_stream !== r.stream_id || Number(r.cp_version) !== version || !r.cp_digest_same || !r.cp_refs_same)) {
          flag({ ...at, reason: 'checkpoint-mismatch' });
          current.bad = true;
        }
      }
      current.version = version;
      if (point && version === point.version) {
        signedPoints++;
        // A stream already broken is reported once, by its broken link.
        if (!current.bad && current.hash.toString('hex') !== point.head) flag({ ...at, reason: 'signed-head-mismatch' });
        point = undefined;
      }
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
  const stray = await sql<{ position: string; stream_id: string; stream_version: string }>`
    SELECT c.position, c.stream_id, c.stream_version FROM chain_checkpoints c
     WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.position = c.position)
     ORDER BY c.position LIMIT 100`.execute(db);
  for (const c of stray.rows)
    flag({ streamId: c.stream_id, streamVersion: Number(c.stream_version), position: Number(c.position), eventId: null, reason: 'checkpoint-without-event' });
  for (const [streamId, p] of pending ?? []) {
    signedPoints++;
    flag({ streamId, streamVersion: p.version, position: null, eventId: null, reason: 'signed-stream-missing' });
  }

  // What a scrape of this process reports (the alert "verify failed"): the last run's result and time.
  verifyOk.set(broken === 0 ? 1 : 0);
  verifyBrokenLinks.set(broken);
  verifyLastRun.set(Date.now() / 1000);
  return {
    ok: broken === 0,
    streams,
    events,
    digest: storeDigest.digest('hex'),
    firstBroken,
    broken,
    ...(opts.against ? { signedPoints } : {}),
    ...(points ? { points } : {}),
    ...(brokenLinks ? { brokenLinks } : {}),
  };
};
