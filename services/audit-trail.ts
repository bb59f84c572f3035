import { sql, type Kysely, type RawBuilder } from 'kysely';
import pg from 'pg';
import { poolOf, type Database } from '../infra/database';
import { copyTexts } from '../infra/copy-out';
import { eventRegistry } from '../domain/event-types';
import { COUNTY_NAMES, zhOf } from '../domain/names';
import { upcast } from '../infra/eventstore/codec';
import type { LinkFault } from '../infra/eventstore/chain-link';
import { readChainSegments, refKey, rowUnchanged, walkSegment, type ProofFault } from '../infra/eventstore/chain-checkpoints';
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
  /**
   * Whether the event is proven: its row is the one a verifier checkpointed (its link recomputed on a
   * chain walked from genesis), or its link recomputes now from its stream's nearest checkpoint.
   */
  readonly proof: { readonly status: ProofStatus; readonly hash: string; readonly reason?: LinkFault | 'checkpoint-mismatch' | 'after-broken-link' };
}

/** One page of a trail: at most `limit` entries after the cursor (the last entry's `<tx id>.<position>`). */
export interface TrailPageQuery {
  readonly limit: number;
  readonly after?: string | undefined;
}

/**
 * The most entries one page of a trail may hold (GET /audit/…?limit=). A page is proven and sent in
 * chunks of `TRAIL_CHUNK` entries, streamed, so what a page holds in memory does not grow with it.
 */
export const TRAIL_PAGE_MAX = 20_000;
const TRAIL_CHUNK = 1000;
/** Chunks being read at once: two keep both of this machine's cores busy rendering. */
const TRAIL_AHEAD = 2;

const cursorParts = (cursor: string): { tx: string; position: string } => {
  const [tx, position] = cursor.split('.');
  return { tx: tx!, position: position! };
};

/** An entry's place in commit order, as the next page's `after`. */
export const trailCursor = (e: { readonly txId: string; readonly position: number }): string => `${e.txId}.${e.position}`;

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
 * policyOf in SQL: the same names in the same order, as `pv.policy_version`, from the event's
 * `policy` and `policies` values (`t.policy`, `t.policies`: ENTRY_FIELDS). A lateral join rather
 * than an expression, so that PostgreSQL names each distinct pair once (a Memoize node keyed by the
 * pair: a fund's 10,001 entries hold a handful) instead of expanding the list for every row.
 */
export const POLICY_JOIN = sql`LEFT JOIN LATERAL (
  SELECT string_agg((q.p->>'id') || '@' || trunc((q.p->>'version')::numeric)::text, ', ' ORDER BY q.o) AS policy_version
    FROM jsonb_array_elements(jsonb_build_array(t.policy) || CASE WHEN jsonb_typeof(t.policies) = 'array' THEN t.policies ELSE '[]'::jsonb END)
         WITH ORDINALITY AS q(p, o)
   WHERE jsonb_typeof(q.p) = 'object' AND jsonb_typeof(q.p->'id') = 'string' AND jsonb_typeof(q.p->'version') = 'number'
     AND (q.p->>'version')::numeric = trunc((q.p->>'version')::numeric)) pv ON true`;

/**
 * What an entry shows of its event, each computed once per row (OFFSET 0 keeps the subquery whole;
 * the CSV's cells name each value twice): data as jsonb text (rendered once for the entry and, when
 * a row's version is not its checkpoint's, the row digest), the fields taken from metadata, the time
 * as the API writes it, and the policies named (POLICY_JOIN). Metadata's text is rendered only for
 * that digest (`rowUnchanged`).
 */
const ENTRY_FIELDS = sql`CROSS JOIN LATERAL (SELECT e.data::text AS d, e.metadata->>'countyId' AS county_id,
    e.metadata->'actor'->>'userId' AS user_id, e.metadata->'actor'->>'role' AS role, e.data->'policy' AS policy, e.data->'policies' AS policies,
    e.metadata->>'businessDate' AS business_date, to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
    e.metadata->'temporal'->>'workflowId' AS workflow_id, e.metadata->'temporal'->>'runId' AS run_id OFFSET 0) t
  ${POLICY_JOIN}`;

/** A value as JSON text (null as `null`), for entries put together as text. */
const js = (v: RawBuilder<unknown>): RawBuilder<unknown> => sql`coalesce(to_json(${v})::text, 'null')`;

/**
 * An entry as PostgreSQL renders it, every field of `AuditEntry` but the proof, in its order, as
 * text put together from the columns (open: the proof and the closing brace follow): the data as
 * recorded (on write it was checked against its type's schema, and the proof says whether it is
 * still what was written). Rendering here spares this process parsing and serialising each event.
 */
const ENTRY_JSON = sql`'{"position":' || e.position || ',"streamId":' || ${js(sql`e.stream_id`)} || ',"streamVersion":' || e.stream_version
  || ',"eventId":' || ${js(sql`e.event_id`)} || ',"type":' || ${js(sql`e.type`)}
  || ',"countyId":' || ${js(sql`t.county_id`)} || ',"userId":' || ${js(sql`t.user_id`)}
  || ',"role":' || ${js(sql`t.role`)} || ',"policyVersion":' || ${js(sql`pv.policy_version`)}
  || ',"businessDate":' || ${js(sql`t.business_date`)} || ',"recordedAt":"' || t.recorded_at || '"'
  || ',"workflowId":' || ${js(sql`t.workflow_id`)} || ',"runId":' || ${js(sql`t.run_id`)}
  || ',"data":' || t.d`;

/** A CSV cell as `cell` below makes it: quoted always, a formula's first character defused, quotes doubled. */
const csvCell = (v: RawBuilder<unknown>): RawBuilder<unknown> =>
  sql`'"' || replace(CASE WHEN left(coalesce(${v}, ''), 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN '''' ELSE '' END || coalesce(${v}, ''), '"', '""') || '"'`;

/**
 * A value written into a chunk's statement as a literal: a chunk is read by COPY, which takes no
 * parameters (`copyTexts`).
 */
const literal = (s: string): RawBuilder<unknown> => sql.raw(pg.escapeLiteral(s));

/** Each county's Chinese name by its id (the CSV's countyName), for PostgreSQL. */
const COUNTY_ZH = literal(JSON.stringify(Object.fromEntries(Object.entries(COUNTY_NAMES).map(([id, n]) => [id, n.zh]))));

/**
 * An entry's CSV line as PostgreSQL renders it, but for the proof's two cells (known once proven):
 * the cells before them (`csv_head`) and the data cell after them (`csv_data`). Position, version
 * and time are quoted as they are: digits and the time never hold a quote nor start a formula.
 */
const CSV_HEAD = sql`concat_ws(',', '"' || e.position || '"', ${csvCell(sql`e.stream_id`)}, '"' || e.stream_version || '"', ${csvCell(sql`e.event_id`)},
    ${csvCell(sql`e.type`)}, ${csvCell(sql`t.county_id`)}, ${csvCell(sql`coalesce(${COUNTY_ZH}::jsonb->>t.county_id, t.county_id)`)},
    ${csvCell(sql`t.user_id`)}, ${csvCell(sql`t.role`)}, ${csvCell(sql`pv.policy_version`)}, ${csvCell(sql`t.business_date`)}, '"' || t.recorded_at || '"',
    ${csvCell(sql`t.workflow_id`)}, ${csvCell(sql`t.run_id`)})`;
const entryCsv = sql`${CSV_HEAD} AS csv_head, ${csvCell(sql`t.d`)} AS csv_data`;

/** An entry's whole CSV line, its proof "verified" by its checkpoint. */
const entryCsvLine = sql`${CSV_HEAD} || ',"verified","' || encode(e.hash, 'hex') || '",' || ${csvCell(sql`t.d`)} || E'\r\n'`;

interface ChunkRow {
  position: string;
  stream_id: string;
  stream_version: string;
  event_id: string;
  type: string;
  schema_version: number;
  hash: string;
  /** The row is, byte for byte (its row digest), the row a verifier checkpointed. */
  checked: boolean;
  /** Format json: the entry without its proof. */
  json?: string;
  /** Format csv: the line's cells before the proof's, and its data cell. */
  csv_head?: string;
  csv_data?: string;
}

/**
 * Entries of a trail in a row, rendered: JSON objects joined by commas, or CSV lines (UTF-8); how
 * many, and whether every one is proven.
 */
export interface TrailChunk {
  readonly bytes: Buffer;
  readonly count: number;
  readonly verified: boolean;
}

/** How a trail's entries are rendered: JSON objects (the API's JSON, `auditTrailPage`) or CSV lines. */
export type TrailFormat = 'json' | 'csv';

/** A page of a trail, planned: its size and next cursor are known before any entry is proven or sent. */
export interface TrailPlan {
  readonly count: number;
  /** The cursor of the page after this one, or null on the last. */
  readonly next: string | null;
  /** The page's entries in commit order, proven, a chunk at a time. */
  chunks(): AsyncGenerator<TrailChunk>;
}

/**
 * Plans one page of the trail of kind/id: the positions of its entries, in commit order, from the
 * refs index alone (they fix what the page holds, whatever is appended while it is sent: events are
 * never changed, so reading them later reads the same rows). Entries are then read, proven and
 * rendered a chunk at a time (`proveChunks`).
 */
export const planTrail = async (
  db: Kysely<Database>,
  kind: RefKind,
  id: string,
  page: TrailPageQuery,
  format: TrailFormat = 'json',
  registry: EventRegistry = eventRegistry,
): Promise<TrailPlan> => {
  const after = page.after ? cursorParts(page.after) : undefined;
  // A row a chunk, its positions as one text (decoding a row an entry cost this process more than the
  // statement took), with the transaction id of its last entry and whether the page has a next.
  const { rows } = await sql<{ positions: string; count: number; last_tx: string; more: boolean }>`
    WITH p AS (
      SELECT r.tx_id, r.position, row_number() OVER (ORDER BY r.tx_id, r.position) AS n FROM refs r WHERE r.kind = ${kind} AND r.ref_id = ${id}
         ${after ? sql`AND (r.tx_id, r.position) > (${after.tx}::xid8, ${after.position}::bigint)` : sql``}
       ORDER BY r.tx_id, r.position LIMIT ${page.limit + 1})
    SELECT string_agg(p.position::text, ',' ORDER BY p.n) AS positions, count(*)::int AS count,
           (array_agg(p.tx_id ORDER BY p.n DESC))[1]::text AS last_tx, (SELECT count(*) FROM p) > ${page.limit} AS more
      FROM p WHERE p.n <= ${page.limit}
     GROUP BY (p.n - 1) / ${sql.lit(TRAIL_CHUNK)} ORDER BY (p.n - 1) / ${sql.lit(TRAIL_CHUNK)}`.execute(db);
  const last = rows.at(-1);
  const next = last?.more ? trailCursor({ txId: last.last_tx, position: Number(last.positions.slice(last.positions.lastIndexOf(',') + 1)) }) : null;
  return {
    count: rows.reduce((n, r) => n + r.count, 0),
    next,
    chunks: () =>
      proveChunks(
        db,
        refKey(kind, id),
        rows.map((r) => r.positions),
        format,
        registry,
      ),
  };
};

/**
 * Proofs without re-walking history. An entry whose row is the version its chain checkpoint was
 * taken from, or has the same row digest (`rowUnchanged`), and whose checkpoint holds the ref the
 * trail found it by, is proven by that alone: a verifier recomputed its link (refs included) on a
 * chain walked from genesis, and the row has not changed since (chain-checkpoints.ts). The others (not checkpointed yet, or changed) are
 * walked from their stream's nearest checkpoint before them, link by link, and where a later
 * checkpoint holds a walked event its hash must be the one recomputed. Once a link breaks, nothing
 * after it in its stream is proven. So a page costs what its entries cost, plus the events appended
 * since the last checkpoint, however long the streams behind them are.
 */
async function* proveChunks(db: Kysely<Database>, ref: string, chunks: readonly string[], format: TrailFormat, registry: EventRegistry): AsyncGenerator<TrailChunk> {
  /** Per stream, the version of its first link found broken so far. */
  const brokenAt = new Map<string, number>();
  const checked = sql`CASE WHEN c.position IS NULL THEN false
                  ELSE c.stream_id = e.stream_id AND c.stream_version = e.stream_version AND c.hash = e.hash
                   AND c.refs @> ARRAY[${literal(ref)}::text]
                   AND ${rowUnchanged(sql`t.d`)} END`;
  const rows = (k: number) => sql`
        FROM unnest(${literal(`{${chunks[k]!}}`)}::bigint[]) WITH ORDINALITY AS p(position, ord)
        JOIN events e ON e.position = p.position
        ${ENTRY_FIELDS}
        LEFT JOIN chain_checkpoints c ON c.position = e.position`;
  /**
   * The chunk's entries, each with its proof rendered by PostgreSQL, when every one is proven by
   * its checkpoint and written under its type's current schema (the common case: all but what was
   * appended since the checkpointer last ran): nothing is left to do here but send their bytes as
   * PostgreSQL sent them (a COPY: never decoded into strings, which cost this process more than
   * everything else it does for a trail).
   */
  const readWhole = async (k: number): Promise<TrailChunk | null> => {
    const query = sql`
      SELECT CASE WHEN coalesce(${checked} AND e.schema_version = (${literal(currentVersions(registry))}::jsonb->>e.type)::int, false)
             THEN ${format === 'json' ? sql`${ENTRY_JSON} || ',"proof":{"status":"verified","hash":"' || encode(e.hash, 'hex') || '"}}'` : sql`${entryCsvLine}`} END
        ${rows(k)}
       ORDER BY p.ord`.compile(db);
    if (query.parameters.length > 0) throw new Error(`a trail chunk's statement holds ${query.parameters.length} parameter(s): COPY takes none`);
    const copied = await copyTexts(poolOf(db), query.sql, format === 'json' ? ',' : '');
    return copied && { bytes: copied.bytes, count: copied.rows, verified: true };
  };
  /** The chunk an entry at a time, for the entries proven here (below). */
  const readEach = (k: number): Promise<ChunkRow[]> =>
    sql<ChunkRow>`
      SELECT e.position, e.stream_id, e.stream_version, e.event_id, e.type, e.schema_version, encode(e.hash, 'hex') AS hash,
             ${checked} AS checked, ${format === 'json' ? sql`${ENTRY_JSON} AS json` : entryCsv}
        ${rows(k)}
       ORDER BY p.ord`
      .execute(db)
      .then((r) => r.rows);
  // Chunks read ahead: PostgreSQL renders the next ones (on connections of their own) while this one is sent.
  const ahead: Promise<TrailChunk | null>[] = [];
  let next = 0;
  const fill = (): void => {
    while (ahead.length < TRAIL_AHEAD && next < chunks.length) {
      const p = readWhole(next);
      // Never left unobserved: if the consumer stops early, a read ahead's failure must not go unhandled.
      p.catch(() => undefined);
      ahead.push(p);
      next++;
    }
  };
  fill();
  for (let i = 0; i < chunks.length; i++) {
    const whole = await ahead.shift()!;
    fill();
    // A link found broken in a chunk before: entries after it in its stream are not proven, whatever their checkpoints say.
    yield whole !== null && brokenAt.size === 0 ? whole : await proveEach(await readEach(i));
  }

  /**
   * The rest: each stream walked once, from its checkpoint before its first such entry to its last.
   */
  async function proveEach(rows: ChunkRow[]): Promise<TrailChunk> {
    const wanted = new Map<string, { streamId: string; first: number; last: number }>();
    for (const r of rows) {
      const v = Number(r.stream_version);
      const b = brokenAt.get(r.stream_id);
      if (r.checked || (b !== undefined && v > b)) continue;
      const w = wanted.get(r.stream_id);
      if (!w) wanted.set(r.stream_id, { streamId: r.stream_id, first: v, last: v });
      else w.last = Math.max(w.last, v);
    }
    const walked = new Map<string, ProofFault | null>();
    for (const seg of await readChainSegments(db, [...wanted.values()])) {
      const w = walkSegment(seg);
      for (const l of w.linked) walked.set(l.row.position, null);
      if (w.fault) {
        walked.set(w.fault.row.position, w.fault.reason);
        const v = Number(w.fault.row.stream_version);
        brokenAt.set(seg.streamId, Math.min(v, brokenAt.get(seg.streamId) ?? v));
      }
    }
    let verified = true;
    const lines = rows.map((r) => {
      const v = Number(r.stream_version);
      const b = brokenAt.get(r.stream_id);
      let proof: AuditEntry['proof'];
      if (b !== undefined && v > b) proof = { status: 'broken', hash: r.hash, reason: 'after-broken-link' };
      else if (r.checked && b !== v) proof = { status: 'verified', hash: r.hash };
      else {
        const fault = walked.has(r.position) ? walked.get(r.position)! : 'version-gap';
        proof = fault === null ? { status: 'verified', hash: r.hash } : { status: 'broken', hash: r.hash, reason: fault };
      }
      if (proof.status !== 'verified') verified = false;
      if (registry.get(r.type)?.version !== r.schema_version) return upcastLine(registry, r, proof, format);
      if (format === 'csv') return `${r.csv_head!},"${proof.status}","${proof.hash}",${r.csv_data!}\r\n`;
      return `${r.json!},"proof":${JSON.stringify(proof)}}`;
    });
    return { bytes: Buffer.from(lines.join(format === 'json' ? ',' : '')), count: rows.length, verified };
  }
}

/** Each event type's current schema version, as JSON (`{"<type>": <version>}`), for PostgreSQL to compare with each row's. */
const versionsOf = new WeakMap<EventRegistry, string>();
const currentVersions = (registry: EventRegistry): string => {
  let v = versionsOf.get(registry);
  if (v === undefined) versionsOf.set(registry, (v = JSON.stringify(Object.fromEntries([...registry].map(([type, d]) => [type, d.version])))));
  return v;
};

/**
 * An entry whose data was written under an older schema version: its data lifted (and parsed) to
 * the current one, rendered here (rare: PostgreSQL knows no schema), the other fields as
 * PostgreSQL rendered them.
 */
const upcastLine = (registry: EventRegistry, r: ChunkRow, proof: AuditEntry['proof'], format: TrailFormat): string => {
  const entry = format === 'json' ? (JSON.parse(`${r.json!}}`) as { data: unknown }) : undefined;
  const stored: unknown = entry ? entry.data : JSON.parse(r.csv_data!.slice(1, -1).replace(/""/g, '"'));
  const data = upcast(registry, r.type, r.schema_version, stored, `event ${r.event_id}`);
  if (entry) return JSON.stringify({ ...entry, data, proof });
  return `${r.csv_head!},"${proof.status}","${proof.hash}",${cell(data)}\r\n`;
};

/** One page of the trail as entries (tests, the whole trail below): `next` is the cursor of the page after it, or null on the last. */
export const auditTrailPage = async (
  db: Kysely<Database>,
  kind: RefKind,
  id: string,
  page: TrailPageQuery,
  registry: EventRegistry = eventRegistry,
): Promise<{ entries: AuditEntry[]; next: string | null }> => {
  const plan = await planTrail(db, kind, id, page, 'json', registry);
  const entries: AuditEntry[] = [];
  for await (const chunk of plan.chunks()) entries.push(...(JSON.parse(`[${chunk.bytes.toString('utf8')}]`) as AuditEntry[]));
  return { entries, next: plan.next };
};

/**
 * Every event touching a fund, project or household, in commit order, each with its chain proof
 * (the CLI and the auditor's ledger read the whole; the API pages it).
 */
export const auditTrail = async (db: Kysely<Database>, kind: RefKind, id: string, registry: EventRegistry = eventRegistry): Promise<AuditEntry[]> => {
  const out: AuditEntry[] = [];
  let after: string | undefined;
  for (;;) {
    const p = await auditTrailPage(db, kind, id, { limit: TRAIL_PAGE_MAX, after }, registry);
    out.push(...p.entries);
    if (p.next === null) return out;
    after = p.next;
  }
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

/** The CSV's start: UTF-8 with a BOM so spreadsheet programs read the Chinese correctly, then the header line. */
export const AUDIT_CSV_HEAD = `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;

/** One entry's CSV line (with its CRLF). */
const auditCsvLine = (e: AuditEntry): string =>
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
    .join(',') + '\r\n';

export const auditCsv = (entries: readonly AuditEntry[]): string => AUDIT_CSV_HEAD + entries.map(auditCsvLine).join('');

/**
 * A planned page as the API sends it, a chunk at a time: JSON (`verified` last, once every entry
 * has been proven) or CSV, text and UTF-8 bytes. What is held in memory is one chunk, not the page.
 */
export async function* trailJson(kind: string, id: string, plan: TrailPlan): AsyncGenerator<string | Buffer> {
  yield `{"kind":${JSON.stringify(kind)},"id":${JSON.stringify(id)},"next":${JSON.stringify(plan.next)},"entries":[`;
  let verified = true;
  let first = true;
  for await (const chunk of plan.chunks()) {
    if (chunk.count === 0) continue;
    if (!chunk.verified) verified = false;
    if (!first) yield ',';
    yield chunk.bytes;
    first = false;
  }
  yield `],"verified":${verified}}`;
}

export async function* trailCsv(plan: TrailPlan): AsyncGenerator<string | Buffer> {
  yield AUDIT_CSV_HEAD;
  yield* csvLines(plan);
}

async function* csvLines(plan: TrailPlan): AsyncGenerator<Buffer> {
  for await (const chunk of plan.chunks()) yield chunk.bytes;
}

/**
 * The whole trail as CSV, page after page, each rendered as the API streams it (the CLI's file): the
 * same bytes as GET /audit/:kind/:id?format=csv wherever the trail fits one page.
 */
export async function* wholeTrailCsv(db: Kysely<Database>, kind: RefKind, id: string): AsyncGenerator<string | Buffer> {
  yield AUDIT_CSV_HEAD;
  let after: string | undefined;
  do {
    const plan = await planTrail(db, kind, id, { limit: TRAIL_PAGE_MAX, ...(after === undefined ? {} : { after }) }, 'csv');
    yield* csvLines(plan);
    after = plan.next ?? undefined;
  } while (after !== undefined);
}
