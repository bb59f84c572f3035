import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { eventRegistry } from '../domain/event-types';
import { decodeRow, rawRow, type EventRow } from '../infra/eventstore/codec';
import { GENESIS_HASH } from '../infra/eventstore/canonical';
import { chainRefsColumn, checkLink, type ChainRow, type LinkFault } from '../infra/eventstore/chain-link';
import type { EventRegistry, RefKind } from '../domain/shared/events';

export type ProofStatus = 'verified' | 'broken';

export interface AuditEntry {
  readonly position: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  /** The county the event belongs to, or null for prefecture-wide events. */
  readonly countyId: string | null;
  readonly userId: string;
  readonly role: string;
  /** The rule table's version the decision was taken under, when the event records one. */
  readonly policyVersion: string | null;
  readonly businessDate: string;
  readonly recordedAt: string;
  readonly workflowId: string | null;
  readonly runId: string | null;
  readonly data: unknown;
  /** Whether the event's hash, and every link before it in its stream, recomputes from the stored rows. */
  readonly proof: { readonly status: ProofStatus; readonly hash: string; readonly reason?: LinkFault | 'after-broken-link' };
}

/** One stored event with its chain columns. */
type TrailRow = ChainRow & EventRow;

/**
 * The positions touching kind/id (the refs index alone), then every event of the streams they are
 * in: the proofs need each such stream from genesis. The streams' events are fetched stream by
 * stream through (stream_id, stream_version): left to itself the planner joins the whole events
 * table to the positions.
 */
const trailRows = async (db: Kysely<Database>, kind: RefKind, id: string): Promise<{ positions: Set<string>; rows: TrailRow[] }> => {
  const refs = await sql<{ position: string }>`SELECT position FROM refs WHERE kind = ${kind} AND ref_id = ${id}`.execute(db);
  const positions = refs.rows.map((r) => r.position);
  if (positions.length === 0) return { positions: new Set(), rows: [] };
  const { rows } = await sql<TrailRow>`
    SELECT e.position, e.tx_id, e.stream_id, e.category, e.stream_version, e.event_id, e.type, e.schema_version,
           e.data, e.metadata, e.recorded_at, e.prev_hash, e.hash, e.chain_format, ${chainRefsColumn}
      FROM (SELECT DISTINCT stream_id FROM events WHERE position = ANY(${positions}::bigint[])) s
     CROSS JOIN LATERAL (SELECT * FROM events x WHERE x.stream_id = s.stream_id ORDER BY x.stream_version) e`.execute(db);
  // Chain order within each stream; the streams' own order does not matter.
  rows.sort((a, b) => (a.stream_id < b.stream_id ? -1 : a.stream_id > b.stream_id ? 1 : Number(a.stream_version) - Number(b.stream_version)));
  return { positions: new Set(positions), rows };
};

/** Commit order: transaction id (decimal xid8, compared as a number without BigInt), then position. */
const byCommitOrder = (a: TrailRow, b: TrailRow): number =>
  a.tx_id.length !== b.tx_id.length ? a.tx_id.length - b.tx_id.length : a.tx_id < b.tx_id ? -1 : a.tx_id > b.tx_id ? 1 : Number(a.position) - Number(b.position);

/** The policy versions an event was decided under (`policy`, `policies`), as `<id>@<version>`; null when it names none. */
export const policyOf = (data: unknown): string | null => {
  const d = (data ?? {}) as { policy?: unknown; policies?: unknown };
  const named = [d.policy, ...(Array.isArray(d.policies) ? d.policies : [])].filter(
    (p): p is { id: string; version: number } => typeof p === 'object' && p !== null && typeof (p as { id?: unknown }).id === 'string' && Number.isInteger((p as { version?: unknown }).version),
  );
  return named.length > 0 ? named.map((p) => `${p.id}@${p.version}`).join(', ') : null;
};

/**
 * Every event touching a fund, project or household, in commit order, each with its chain proof:
 * each stream it is in is recomputed from genesis, as verify.ts does for the whole store. Once a
 * link breaks, nothing after it in the stream is proven.
 */
export const auditTrail = async (db: Kysely<Database>, kind: RefKind, id: string, registry: EventRegistry = eventRegistry): Promise<AuditEntry[]> => {
  const { positions, rows } = await trailRows(db, kind, id);
  const trail: { row: TrailRow; proof: AuditEntry['proof'] }[] = [];
  let stream = '';
  let prev: Buffer = GENESIS_HASH;
  let version = 0;
  let broken: AuditEntry['proof']['reason'] | undefined;
  for (const r of rows) {
    if (r.stream_id !== stream) {
      stream = r.stream_id;
      prev = GENESIS_HASH;
      version = 0;
      broken = undefined;
    }
    const stored = r.hash.toString('hex');
    let proof: AuditEntry['proof'];
    if (broken) proof = { status: 'broken', hash: stored, reason: 'after-broken-link' };
    else {
      const link = checkLink(version, prev, r);
      broken = link.fault ?? undefined;
      proof = broken ? { status: 'broken', hash: stored, reason: broken } : { status: 'verified', hash: stored };
      prev = link.hash;
      version = Number(r.stream_version);
    }
    if (positions.has(r.position)) trail.push({ row: r, proof });
  }
  trail.sort((a, b) => byCommitOrder(a.row, b.row));
  return trail.map(({ row, proof }) => {
    // The data as recorded: on write it was checked against its type's schema, and the proof says
    // whether it is still what was written. Only data of an older schema version is lifted (and parsed).
    const e = registry.get(row.type)?.version === row.schema_version ? rawRow(row) : decodeRow(registry, row);
    return {
      position: e.position,
      streamId: e.streamId,
      streamVersion: e.streamVersion,
      eventId: e.eventId,
      type: e.type,
      countyId: e.metadata.countyId,
      userId: e.metadata.actor.userId,
      role: e.metadata.actor.role,
      policyVersion: policyOf(e.data),
      businessDate: e.metadata.businessDate,
      recordedAt: e.recordedAt,
      workflowId: e.metadata.temporal?.workflowId ?? null,
      runId: e.metadata.temporal?.runId ?? null,
      data: e.data,
      proof,
    };
  });
};

const CSV_COLUMNS = ['position', 'streamId', 'streamVersion', 'eventId', 'type', 'countyId', 'userId', 'role', 'policyVersion', 'businessDate', 'recordedAt', 'workflowId', 'runId', 'proof', 'hash', 'data'] as const;

/** First characters a spreadsheet reads as the start of a formula: = + - @ tab CR. */
const FORMULA_START = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]);

const cell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // Quote always, and defuse formulas: a spreadsheet must show the record, not evaluate it.
  const safe = FORMULA_START.has(s.charCodeAt(0)) ? `'${s}` : s;
  return `"${safe.includes('"') ? safe.replace(/"/g, '""') : safe}"`;
};

/** UTF-8 with a BOM so spreadsheet programs read the Chinese correctly. */
export const auditCsv = (entries: readonly AuditEntry[]): string =>
  '\uFEFF' +
  [
    CSV_COLUMNS.join(','),
    ...entries.map((e) =>
      [e.position, e.streamId, e.streamVersion, e.eventId, e.type, e.countyId, e.userId, e.role, e.policyVersion, e.businessDate, e.recordedAt, e.workflowId, e.runId, e.proof.status, e.proof.hash, e.data].map(cell).join(','),
    ),
  ].join('\r\n') +
  '\r\n';
