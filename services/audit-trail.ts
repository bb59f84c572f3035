import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { eventRegistry } from '../domain/event-types';
import { COUNTY_NAMES, zhOf } from '../domain/names';
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
const trailRows = async (db: Kysely<Database>, kind: RefKind, id: string, page?: TrailPageQuery): Promise<{ positions: Set<string>; rows: TrailRow[]; more: boolean }> => {
  // A page: the next `limit` entries in commit order after the cursor (refs carry the commit order's tx id), one more to know if there is a next page.
  const after = page?.after ? cursorParts(page.after) : undefined;
  const refs = page
    ? await sql<{ position: string }>`
        SELECT position FROM refs WHERE kind = ${kind} AND ref_id = ${id}
           ${after ? sql`AND (tx_id, position) > (${after.tx}::xid8, ${after.position}::bigint)` : sql``}
         ORDER BY tx_id, position LIMIT ${page.limit + 1}`.execute(db)
    : await sql<{ position: string }>`SELECT position FROM refs WHERE kind = ${kind} AND ref_id = ${id}`.execute(db);
  const more = page !== undefined && refs.rows.length > page.limit;
  const positions = refs.rows.slice(0, page?.limit ?? refs.rows.length).map((r) => r.position);
  if (positions.length === 0) return { positions: new Set(), rows: [], more: false };
  // Each stream from genesis up to the page's last event in it: the proofs need no more.
  const { rows } = await sql<TrailRow>`
    SELECT e.position, e.tx_id, e.stream_id, e.category, e.stream_version, e.event_id, e.type, e.schema_version,
           e.data, e.metadata, e.recorded_at, e.prev_hash, e.hash, e.chain_format, ${chainRefsColumn}
      FROM (SELECT stream_id, max(stream_version) AS upto FROM events WHERE position = ANY(${positions}::bigint[]) GROUP BY stream_id) s
     CROSS JOIN LATERAL (SELECT * FROM events x WHERE x.stream_id = s.stream_id AND x.stream_version <= s.upto ORDER BY x.stream_version) e`.execute(db);
  // Chain order within each stream; the streams' own order does not matter.
  rows.sort((a, b) => (a.stream_id < b.stream_id ? -1 : a.stream_id > b.stream_id ? 1 : Number(a.stream_version) - Number(b.stream_version)));
  return { positions: new Set(positions), rows, more };
};

/** One page of a trail: at most `limit` entries after the cursor (the last entry's `<tx id>.<position>`). */
export interface TrailPageQuery {
  readonly limit: number;
  readonly after?: string | undefined;
}

/** The most entries one page of a trail may hold (GET /audit/…?limit=). */
export const TRAIL_PAGE_MAX = 2000;

const cursorParts = (cursor: string): { tx: string; position: string } => {
  const [tx, position] = cursor.split('.');
  return { tx: tx!, position: position! };
};

/** An entry's place in commit order, as the next page's `after`. */
export const trailCursor = (e: { readonly txId: string; readonly position: number }): string => `${e.txId}.${e.position}`;

/** Commit order: transaction id (decimal xid8, compared as a number without BigInt), then position. */
const byCommitOrder = (a: TrailRow, b: TrailRow): number =>
  a.tx_id.length !== b.tx_id.length ? a.tx_id.length - b.tx_id.length : a.tx_id < b.tx_id ? -1 : a.tx_id > b.tx_id ? 1 : Number(a.position) - Number(b.position);

/** The policy versions an event was decided under (`policy`, `policies`), as `<id>@<version>`; null when it names none. */
export const policyOf = (data: unknown): string | null => {
  const d = (data ?? {}) as { policy?: unknown; policies?: unknown };
  const named = [d.policy, ...(Array.isArray(d.policies) ? d.policies : [])].filter(
    (p): p is { id: string; version: number } =>
      typeof p === 'object' && p !== null && typeof (p as { id?: unknown }).id === 'string' && Number.isInteger((p as { version?: unknown }).version),
  );
  return named.length > 0 ? named.map((p) => `${p.id}@${p.version}`).join(', ') : null;
};

/**
 * Every event touching a fund, project or household, in commit order, each with its chain proof:
 * each stream it is in is recomputed from genesis, as verify.ts does for the whole store. Once a
 * link breaks, nothing after it in the stream is proven.
 */
export const auditTrail = async (db: Kysely<Database>, kind: RefKind, id: string, registry: EventRegistry = eventRegistry): Promise<AuditEntry[]> =>
  (await trailOf(db, kind, id, undefined, registry)).entries;

/**
 * One page of the trail (the API's, whose answers are bounded): `next` is the cursor of the page
 * after it, or null on the last. Each page reads the streams it touches up to its own last event.
 */
export const auditTrailPage = async (
  db: Kysely<Database>,
  kind: RefKind,
  id: string,
  page: TrailPageQuery,
  registry: EventRegistry = eventRegistry,
): Promise<{ entries: AuditEntry[]; next: string | null }> => {
  const { entries, more, last } = await trailOf(db, kind, id, page, registry);
  return { entries, next: more && last ? last : null };
};

const trailOf = async (
  db: Kysely<Database>,
  kind: RefKind,
  id: string,
  page: TrailPageQuery | undefined,
  registry: EventRegistry,
): Promise<{ entries: AuditEntry[]; more: boolean; last: string | null }> => {
  const { positions, rows, more } = await trailRows(db, kind, id, page);
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
  const lastRow = trail.at(-1)?.row;
  const last = lastRow ? trailCursor({ txId: lastRow.tx_id, position: Number(lastRow.position) }) : null;
  const entries = trail.map(({ row, proof }) => {
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
  return { entries, more, last };
};

// countyName: the county as people read it (嵩县) beside the id machines use.
const CSV_COLUMNS = [
  'position',
  'streamId',
  'streamVersion',
  'eventId',
  'type',
  'countyId',
  'countyName',
  'userId',
  'role',
  'policyVersion',
  'businessDate',
  'recordedAt',
  'workflowId',
  'runId',
  'proof',
  'hash',
  'data',
] as const;

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
      [
        e.position,
        e.streamId,
        e.streamVersion,
        e.eventId,
        e.type,
        e.countyId,
        e.countyId === null ? '' : zhOf(COUNTY_NAMES, e.countyId),
        e.userId,
        e.role,
        e.policyVersion,
        e.businessDate,
        e.recordedAt,
        e.workflowId,
        e.runId,
        e.proof.status,
        e.proof.hash,
        e.data,
      ]
        .map(cell)
        .join(','),
    ),
  ].join('\r\n') +
  '\r\n';
