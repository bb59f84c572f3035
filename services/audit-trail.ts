import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { readByRef } from '../infra/eventstore';
import { GENESIS_HASH } from '../infra/eventstore/canonical';
import { checkLink, type ChainRow, type LinkFault } from '../infra/eventstore/chain-link';
import type { RefKind } from '../domain/shared/events';

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

/**
 * Recomputes one stream's chain from genesis, as verify.ts does for the whole store, and says
 * for each event whether it is proven. Once a link breaks, nothing after it in the stream is.
 */
const proveStream = async (db: Kysely<Database>, streamId: string): Promise<Map<string, AuditEntry['proof']>> => {
  const { rows } = await sql<ChainRow>`
    SELECT stream_id, stream_version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash
      FROM events WHERE stream_id = ${streamId} ORDER BY stream_version`.execute(db);
  const proofs = new Map<string, AuditEntry['proof']>();
  let prev: Buffer = GENESIS_HASH;
  let version = 0;
  let broken: AuditEntry['proof']['reason'] | undefined;
  for (const r of rows) {
    const stored = r.hash.toString('hex');
    if (broken) {
      proofs.set(r.event_id, { status: 'broken', hash: stored, reason: 'after-broken-link' });
      continue;
    }
    const link = checkLink(version, prev, r);
    broken = link.fault ?? undefined;
    proofs.set(r.event_id, broken ? { status: 'broken', hash: stored, reason: broken } : { status: 'verified', hash: stored });
    prev = link.hash;
    version = Number(r.stream_version);
  }
  return proofs;
};

const policyOf = (data: unknown): string | null => {
  const p = (data as { policy?: unknown } | null)?.policy;
  if (typeof p === 'string') return p;
  if (p && typeof p === 'object' && typeof (p as { version?: unknown }).version === 'string') return (p as { version: string }).version;
  return null;
};

/** Every event touching a fund, project or household, in commit order, each with its chain proof. */
export const auditTrail = async (db: Kysely<Database>, kind: RefKind, id: string): Promise<AuditEntry[]> => {
  const events = await readByRef(db, kind, id);
  const proofs = new Map<string, AuditEntry['proof']>();
  for (const streamId of new Set(events.map((e) => e.streamId))) for (const [k, v] of await proveStream(db, streamId)) proofs.set(k, v);
  return events.map((e) => ({
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
    proof: proofs.get(e.eventId) ?? { status: 'broken', hash: '', reason: 'version-gap' },
  }));
};

const CSV_COLUMNS = ['position', 'streamId', 'streamVersion', 'eventId', 'type', 'countyId', 'userId', 'role', 'policyVersion', 'businessDate', 'recordedAt', 'workflowId', 'runId', 'proof', 'hash', 'data'] as const;

const cell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // Quote always, and defuse formulas: a spreadsheet must show the record, not evaluate it.
  return `"${(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
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
