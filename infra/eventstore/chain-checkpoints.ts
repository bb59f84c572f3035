import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../database';
import { GENESIS_HASH } from './canonical';
import { chainRefsColumn, checkLink, type ChainRow, type LinkFault } from './chain-link';
import { TAIL_GATE } from './read';

/**
 * Chain checkpoints (table `chain_checkpoints`, migration 20261206160000): for an event whose link a
 * verifier recomputed on a chain walked from genesis, or from an earlier checkpoint of its stream,
 * the hash it recomputed and the event's *row digest* as PostgreSQL rendered the row then.
 *
 * Why a row digest: recomputing a link means canonical JSON and two SHA-256 in this process for
 * every event, and a chain's links can only be recomputed in order from a trusted hash. The row
 * digest is computed by PostgreSQL from the stored columns in one expression, so an audit trail
 * can ask "is this row still, byte for byte, the row a verifier found linked?" for just the
 * events of its answer: equal digests mean equal columns (data and metadata as jsonb values,
 * every other column the chain covers, the stored hashes), hence the same recomputed hash.
 * A row whose digest differs, or that has no checkpoint yet, is walked from its stream's nearest
 * checkpoint before it (`readChainSegments`), so no row is ever called proven on a digest alone
 * unless a verifier recomputed its link. infra/eventstore/README.md states the digest's bytes.
 */

/**
 * The row digest of the event aliased `e` (digest format 2, the only one a checkpoint proves by):
 * SHA-256 over the columns the chain covers and the stored hashes, in their binary forms where they
 * have one, so that nothing is rendered to text but the two jsonb values: position, stream_version
 * (8 bytes each), schema_version (4), chain_format (2), recorded_at (8: microseconds since
 * 2000-01-01 UTC), prev_hash and hash each after its length (4), the lengths in characters (4 each)
 * of stream_id, event_id and type, then the UTF-8 of those three, metadata's jsonb text, a newline
 * and data's (jsonb text never holds a raw newline). Every integer is big-endian; every variable
 * part has its length before it or is the last, so two different rows never give the same bytes,
 * and none of it depends on a session setting. `data` and `metadata` are the jsonb texts (one text
 * per jsonb value), passed in so that a query rendering them anyway renders them once.
 * The event's refs are kept beside the digest, in the checkpoint (`refKeys`).
 */
export const rowDigestOf = (dataText: RawBuilder<unknown> = sql`e.data::text`, metadataText: RawBuilder<unknown> = sql`e.metadata::text`): RawBuilder<unknown> =>
  sql`sha256(int8send(e.position) || int8send(e.stream_version) || int4send(e.schema_version) || int2send(e.chain_format) || timestamptz_send(e.recorded_at)
    || int4send(length(e.prev_hash)) || e.prev_hash || int4send(length(e.hash)) || e.hash
    || int4send(length(e.stream_id)) || int4send(length(e.event_id)) || int4send(length(e.type))
    || convert_to(e.stream_id || e.event_id || e.type || ${metadataText} || E'\n' || ${dataText}, 'UTF8'))`;

/** The digest format `rowDigestOf` computes: a checkpoint holding another (`digest_format`) proves nothing by its digest. */
export const ROW_DIGEST_FORMAT = 2;

/**
 * Whether the event `e` is still, column for column, the row its checkpoint `c` was taken from:
 * first by its row version (migration 20261207070000), then by its row digest. PostgreSQL never
 * changes a stored row in place: every UPDATE, triggers on or off, whatever column, writes a new
 * version whose `xmin` is the updating transaction's id, so a row whose `xmin` is the one the
 * verifier read is the version it checkpointed, and costs no digest (the metadata's jsonb text and a
 * SHA-256: most of what proving an entry cost). A row with another version (changed; or every row,
 * after a dump and restore) is compared by its digest, which proves it only if its columns are still
 * the checkpointed ones. `data` and `metadata` are the jsonb texts, as for `rowDigestOf`; PostgreSQL
 * evaluates them only when the version differs.
 */
export const rowUnchanged = (dataText?: RawBuilder<unknown>, metadataText?: RawBuilder<unknown>): RawBuilder<unknown> =>
  sql`(c.row_xmin = e.xmin OR (c.digest_format = ${sql.lit(ROW_DIGEST_FORMAT)} AND c.row_digest = ${rowDigestOf(dataText, metadataText)}))`;

/** The event's refs as a checkpoint keeps them: `<kind> <id>` each, sorted bytewise. */
export const refKeysOf = sql`ARRAY(SELECT x.kind || ' ' || x.ref_id FROM refs x WHERE x.position = e.position ORDER BY (x.kind || ' ' || x.ref_id) COLLATE "C")`;

/** A ref as a checkpoint's `refs` holds it. */
export const refKey = (kind: string, id: string): string => `${kind} ${id}`;

/** A stored event as a chain walk reads it, with the checkpoint's hash when it has one. */
export interface SegmentRow extends ChainRow {
  /** The hash a verifier recomputed for this event, when a checkpoint holds it. */
  readonly cp_hash: Buffer | null;
  /** The row digest, row version (`xmin`) and refs as read now (only when asked for: the checkpointer stores them). */
  readonly row_digest?: Buffer;
  readonly row_xmin?: string;
  readonly ref_keys?: string[];
}

/** Versions [first, last] of a stream to prove; the walk starts at its nearest checkpoint before `first`. */
export interface SegmentWanted {
  readonly streamId: string;
  readonly first: number;
  readonly last: number;
}

export interface Segment {
  readonly streamId: string;
  /** The checkpoint the walk starts from (0 and the genesis hash when the stream has none before `first`). */
  readonly fromVersion: number;
  readonly fromHash: Buffer;
  /** Versions fromVersion + 1 … last, in order. */
  readonly rows: SegmentRow[];
}

/**
 * For each wanted range, the stream's nearest checkpoint before `first` and every stored event
 * after it up to `last`, in one statement (each stream an index range on (stream_id, version)).
 */
export const readChainSegments = async (db: Kysely<Database>, wanted: readonly SegmentWanted[], opts: { rowDigest?: boolean } = {}): Promise<Segment[]> => {
  if (wanted.length === 0) return [];
  const { rows } = await sql<SegmentRow & { cp_from: string | null; cp_from_hash: Buffer | null }>`
    SELECT s.stream_id AS wanted_stream, cp.stream_version AS cp_from, cp.hash AS cp_from_hash,
           e.position, e.stream_id, e.stream_version, e.event_id, e.type, e.schema_version, e.data, e.metadata,
           e.recorded_at, e.prev_hash, e.hash, e.chain_format, ${chainRefsColumn}, c.hash AS cp_hash
           ${opts.rowDigest ? sql`, ${rowDigestOf()} AS row_digest, e.row_xmin, ${refKeysOf} AS ref_keys` : sql``}
      FROM unnest(${wanted.map((w) => w.streamId)}::text[], ${wanted.map((w) => w.first)}::bigint[], ${wanted.map((w) => w.last)}::bigint[]) AS s(stream_id, first, last)
      LEFT JOIN LATERAL (
        SELECT k.stream_version, k.hash FROM chain_checkpoints k
         WHERE k.stream_id = s.stream_id AND k.stream_version < s.first ORDER BY k.stream_version DESC LIMIT 1) cp ON true
      JOIN LATERAL (
        SELECT x.*${opts.rowDigest ? sql`, x.xmin::text AS row_xmin` : sql``} FROM events x
         WHERE x.stream_id = s.stream_id AND x.stream_version > coalesce(cp.stream_version, 0) AND x.stream_version <= s.last
         ORDER BY x.stream_version) e ON true
      LEFT JOIN chain_checkpoints c ON c.position = e.position
     ORDER BY s.stream_id, e.stream_version`.execute(db);
  const out = new Map<string, Segment>();
  for (const r of rows) {
    let seg = out.get(r.stream_id);
    if (!seg) {
      seg = { streamId: r.stream_id, fromVersion: r.cp_from === null ? 0 : Number(r.cp_from), fromHash: r.cp_from_hash ?? GENESIS_HASH, rows: [] };
      out.set(r.stream_id, seg);
    }
    seg.rows.push(r);
  }
  return [...out.values()];
};

/** Why a link does not hold: the chain's own faults, or a recomputed hash that is not the one a verifier checkpointed. */
export type ProofFault = LinkFault | 'checkpoint-mismatch';

/**
 * Walks a segment from its checkpoint: each link recomputed (chain-link.ts), and where a
 * checkpoint holds the event, the recomputed hash must be the checkpoint's (a row rewritten with
 * hashes that recompute, after it was checkpointed, is caught here). Stops at the first fault.
 */
export const walkSegment = (seg: Segment): { linked: { row: SegmentRow; hash: Buffer }[]; fault: { row: SegmentRow; reason: ProofFault } | null } => {
  const linked: { row: SegmentRow; hash: Buffer }[] = [];
  let version = seg.fromVersion;
  let prev = seg.fromHash;
  for (const r of seg.rows) {
    const link = checkLink(version, prev, r);
    if (link.fault) return { linked, fault: { row: r, reason: link.fault } };
    if (r.cp_hash && !r.cp_hash.equals(link.hash)) return { linked, fault: { row: r, reason: 'checkpoint-mismatch' } };
    linked.push({ row: r, hash: link.hash });
    version = Number(r.stream_version);
    prev = link.hash;
  }
  return { linked, fault: null };
};

export interface CheckpointReport {
  /** Streams with events past their last checkpoint when the run began (walked). */
  streams: number;
  /** Checkpoints added. */
  added: number;
  /** Streams whose walk stopped at a link that does not hold (nothing after it is checkpointed). */
  broken: { streamId: string; streamVersion: number; position: number; reason: ProofFault }[];
  /**
   * The tail's gate when the run began (TAIL_GATE: the oldest open transaction that may be this
   * database's): every event of a transaction below it had committed, so this run saw it. The next run passes it as `since` and looks only at streams
   * with events from transactions at or after it.
   */
  gate: string;
}

/**
 * Adds checkpoints for every event not checkpointed yet: each stream is walked from its last
 * checkpoint (or genesis) to its head, each link recomputed, and each event that links gets a
 * checkpoint with the recomputed hash, its row digest, row version (`xmin`) and refs as read in the same statement
 * (for chain format 1, whose hash does not cover refs, the refs as they are, as its proofs always took them). A stream
 * stops at its first broken link; it is reported, and nothing at or after it is checkpointed.
 * Safe to run in several processes at once (a checkpoint already there is kept). With `since` (the
 * `gate` of an earlier run) it walks only the streams written since; a stream that was broken then
 * is reported again when it is written to, or by a run without `since`. Run by
 * `tuopin verify --checkpoint` and by the worker in the background (`startChainCheckpointer`).
 */
export const checkpointChains = async (
  db: Kysely<Database>,
  opts: { eventsPerStatement?: number; onProgress?: (r: CheckpointReport) => void; since?: string } = {},
): Promise<CheckpointReport> => {
  const budget = opts.eventsPerStatement ?? 10_000;
  const { rows: g } = await sql<{ gate: string }>`SELECT (${TAIL_GATE})::text AS gate`.execute(db);
  const report: CheckpointReport = { streams: 0, added: 0, broken: [], gate: g[0]!.gate };
  // Without `since`, every stream is a candidate (an index probe each); with it, only the streams a
  // transaction at or after that gate wrote to (events_tx_id_position), whatever the store's size.
  const candidates =
    opts.since === undefined ? sql`streams s` : sql`(SELECT DISTINCT x.stream_id FROM events x WHERE x.tx_id >= ${opts.since}::xid8) n JOIN streams s ON s.stream_id = n.stream_id`;
  const skip = new Set<string>();
  let after = '';
  for (;;) {
    // Streams with events past their last checkpoint, in id order (an index probe each).
    const { rows: lagging } = await sql<{ stream_id: string; version: string; upto: string | null }>`
      SELECT s.stream_id, s.version, cp.stream_version AS upto
        FROM ${candidates}
        LEFT JOIN LATERAL (SELECT k.stream_version FROM chain_checkpoints k WHERE k.stream_id = s.stream_id ORDER BY k.stream_version DESC LIMIT 1) cp ON true
       WHERE s.stream_id > ${after} AND s.version > coalesce(cp.stream_version, 0)
       ORDER BY s.stream_id LIMIT 500`.execute(db);
    if (lagging.length === 0) break;
    const todo = lagging.filter((l) => !skip.has(l.stream_id));
    let i = 0;
    while (i < todo.length) {
      const group: SegmentWanted[] = [];
      let n = 0;
      while (i < todo.length && (group.length === 0 || n < budget)) {
        const l = todo[i++]!;
        const from = Number(l.upto ?? 0) + 1;
        const last = Math.min(Number(l.version), from + budget - 1);
        group.push({ streamId: l.stream_id, first: from, last });
        n += last - from + 1;
      }
      const segments = await readChainSegments(db, group, { rowDigest: true });
      const add: { row: SegmentRow; hash: Buffer }[] = [];
      for (const seg of segments) {
        const w = walkSegment(seg);
        add.push(...w.linked);
        if (w.fault) {
          skip.add(seg.streamId);
          report.broken.push({ streamId: seg.streamId, streamVersion: Number(w.fault.row.stream_version), position: Number(w.fault.row.position), reason: w.fault.reason });
        }
      }
      report.added += await insertCheckpoints(db, add);
    }
    report.streams += todo.length;
    opts.onProgress?.(report);
    // A stream longer than one statement's budget is still lagging: the next round takes it again.
    const last = lagging[lagging.length - 1]!;
    const unfinished = todo.find((l) => Number(l.version) - Number(l.upto ?? 0) > budget);
    after = unfinished ? prevKey(unfinished.stream_id) : last.stream_id;
    if (lagging.length < 500 && !unfinished) break;
  }
  return report;
};

/** The largest key below `id` that sorts before it, for resuming a keyset scan at `id` itself. */
const prevKey = (id: string): string => id.slice(0, -1);

const insertCheckpoints = async (db: Kysely<Database>, linked: readonly { row: SegmentRow; hash: Buffer }[]): Promise<number> => {
  if (linked.length === 0) return 0;
  const { numAffectedRows } = await sql`
    INSERT INTO chain_checkpoints (position, stream_id, stream_version, hash, row_digest, digest_format, row_xmin, refs)
    SELECT u.position, u.stream_id, u.stream_version, decode(u.hash, 'hex'), decode(u.digest, 'hex'), ${ROW_DIGEST_FORMAT}::smallint, u.row_xmin::xid, r.refs
      FROM unnest(${linked.map((l) => l.row.position)}::bigint[], ${linked.map((l) => l.row.stream_id)}::text[], ${linked.map((l) => l.row.stream_version)}::bigint[],
                  ${linked.map((l) => l.hash.toString('hex'))}::text[], ${linked.map((l) => l.row.row_digest!.toString('hex'))}::text[],
                  ${linked.map((l) => l.row.row_xmin!)}::text[], ${linked.map((l) => JSON.stringify(l.row.ref_keys ?? []))}::jsonb[])
           AS u(position, stream_id, stream_version, hash, digest, row_xmin, refs_json)
      CROSS JOIN LATERAL (SELECT ARRAY(SELECT jsonb_array_elements_text(u.refs_json)) AS refs) r
    ON CONFLICT DO NOTHING`.execute(db);
  return Number(numAffectedRows ?? 0);
};
