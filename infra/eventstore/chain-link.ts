import { sql } from 'kysely';
import { chainHash, contentDigest, contentDigestV2, type RefPair } from './canonical';

/** The stored columns one link of a stream's hash chain is checked against. */
export interface ChainRow {
  readonly position: string;
  readonly stream_id: string;
  readonly stream_version: string;
  readonly event_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recorded_at: Date;
  readonly prev_hash: Buffer;
  readonly hash: Buffer;
  /** 1: written before migration 20261206070000; 2: position, version and refs covered too. */
  readonly chain_format: number;
  /** The event's refs rows as [kind, id] (any order), read for format-2 rows; null when it has none. */
  readonly refs: readonly RefPair[] | null;
}

export type LinkFault = 'version-gap' | 'prev-hash-mismatch' | 'hash-mismatch' | 'chain-format-unknown';

/**
 * The columns (SQL, events aliased `e`) a chain walk needs besides the event's own: its refs, read
 * only for format-2 rows (format 1 does not cover them), through the `refs_position` index.
 */
export const chainRefsColumn = sql`CASE WHEN e.chain_format >= 2 THEN (SELECT json_agg(json_build_array(r.kind, r.ref_id)) FROM refs r WHERE r.position = e.position) END AS refs`;

const digestOf = (r: ChainRow): Buffer | null => {
  const recordedAt = r.recorded_at.toISOString();
  const common = { streamId: r.stream_id, eventId: r.event_id, type: r.type, schemaVersion: r.schema_version, data: r.data, metadata: r.metadata, recordedAt };
  if (r.chain_format === 1) return contentDigest(common);
  if (r.chain_format === 2) return contentDigestV2({ ...common, position: Number(r.position), streamVersion: Number(r.stream_version), refs: r.refs ?? [] });
  return null;
};

/**
 * Checks one stored event against the link before it: the next version, the previous hash, and its
 * own hash recomputed over canonical bytes. Returns the fault, if any, and the hash the chain
 * continues from. The verifier and the audit trail's proofs both walk chains with it.
 */
export const checkLink = (prevVersion: number, prevHash: Buffer, r: ChainRow): { fault: LinkFault | null; hash: Buffer } => {
  if (Number(r.stream_version) !== prevVersion + 1) return { fault: 'version-gap', hash: prevHash };
  if (!r.prev_hash.equals(prevHash)) return { fault: 'prev-hash-mismatch', hash: prevHash };
  const digest = digestOf(r);
  if (!digest) return { fault: 'chain-format-unknown', hash: prevHash };
  const hash = chainHash(prevHash, digest);
  return { fault: hash.equals(r.hash) ? null : 'hash-mismatch', hash };
};
