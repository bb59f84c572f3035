import { chainHash, contentDigest } from './canonical';

/** The stored columns one link of a stream's hash chain is checked against. */
export interface ChainRow {
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
}

export type LinkFault = 'version-gap' | 'prev-hash-mismatch' | 'hash-mismatch';

/**
 * Checks one stored event against the link before it: the next version, the previous hash, and its
 * own hash recomputed over canonical bytes. Returns the fault, if any, and the hash the chain
 * continues from. The verifier and the audit trail's proofs both walk chains with it.
 */
export const checkLink = (prevVersion: number, prevHash: Buffer, r: ChainRow): { fault: LinkFault | null; hash: Buffer } => {
  if (Number(r.stream_version) !== prevVersion + 1) return { fault: 'version-gap', hash: prevHash };
  if (!r.prev_hash.equals(prevHash)) return { fault: 'prev-hash-mismatch', hash: prevHash };
  const hash = chainHash(
    prevHash,
    contentDigest({
      streamId: r.stream_id,
      eventId: r.event_id,
      type: r.type,
      schemaVersion: r.schema_version,
      data: r.data,
      metadata: r.metadata,
      recordedAt: r.recorded_at.toISOString(),
    }),
  );
  return { fault: hash.equals(r.hash) ? null : 'hash-mismatch', hash };
};
