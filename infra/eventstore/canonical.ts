import { createHash } from 'node:crypto';
import { unstorable } from '../../domain/shared/text';
import { CODES, invalid } from './errors';

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, plain JSON numbers.
 * The hash chain is computed over these bytes, never over jsonb text (jsonb reorders keys and
 * normalises numbers). Values JSON cannot carry exactly are refused rather than silently changed.
 *
 * Every append and every audit-trail proof runs this over each event's data and metadata, so the
 * common case takes a road that builds no field paths; a refusal is then explained by the road
 * that does (canonicalJsonNamingField), which names the field.
 */
export const canonicalJson = (value: unknown, field = 'value'): string => {
  try {
    return fast(value);
  } catch (e) {
    if (e !== NOT_CANONICAL) throw e;
    return canonicalJsonNamingField(value, field);
  }
};

const NOT_CANONICAL = Symbol('not canonical');

const fast = (value: unknown): string => {
  switch (typeof value) {
    case 'string':
      if (unstorable(value)) throw NOT_CANONICAL;
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw NOT_CANONICAL;
      return JSON.stringify(value); // -0 prints as 0
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const v: unknown = value[i];
          out += (i === 0 ? '' : ',') + (v === undefined ? 'null' : fast(v));
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) throw NOT_CANONICAL;
      const o = value as Record<string, unknown>;
      // The default sort compares UTF-16 code units, the order canonical JSON asks for.
      const keys = Object.keys(o).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = o[k];
        if (v === undefined) continue;
        if (unstorable(k)) throw NOT_CANONICAL;
        out += `${first ? '' : ','}${JSON.stringify(k)}:${fast(v)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw NOT_CANONICAL;
  }
};

/** The slow road, taken only for a value the fast one refused: it finds the field to name. */
const canonicalJsonNamingField = (value: unknown, field: string): string => {
  switch (typeof value) {
    case 'string':
      if (value.includes('\u0000')) throw invalid(CODES.DATA_NOT_CANONICAL, field, 'must not contain NUL (jsonb cannot store it)');
      if (unstorable(value)) throw invalid(CODES.DATA_NOT_CANONICAL, field, 'must be well-formed Unicode: a lone UTF-16 surrogate (jsonb cannot store it)');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw invalid(CODES.DATA_NOT_CANONICAL, field, 'must be a finite number');
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map((v, i) => canonicalJsonNamingField(v === undefined ? null : v, `${field}[${i}]`)).join(',')}]`;
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw invalid(CODES.DATA_NOT_CANONICAL, field, 'must be plain JSON (no Date, Map, class instances)');
      }
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const badKey = entries.find(([k]) => unstorable(k));
      if (badKey) throw invalid(CODES.DATA_NOT_CANONICAL, `${field}.${JSON.stringify(badKey[0])}`, 'a key must be well-formed Unicode without NUL (jsonb cannot store it)');
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJsonNamingField(v, `${field}.${k}`)}`).join(',')}}`;
    }
    default:
      throw invalid(CODES.DATA_NOT_CANONICAL, field, `must be plain JSON, not ${typeof value}`);
  }
};

/** What the chain covers for one event; the stream version is implied by the link to the previous hash. */
export interface HashedContent {
  streamId: string;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
}

export const contentDigest = (c: HashedContent): Buffer =>
  createHash('sha256')
    .update(
      canonicalJson({
        data: c.data,
        eventId: c.eventId,
        metadata: c.metadata,
        recordedAt: c.recordedAt,
        schemaVersion: c.schemaVersion,
        streamId: c.streamId,
        type: c.type,
      }),
    )
    .digest();

/** One ref of an event as the chain covers it: [kind, id]. */
export type RefPair = readonly [kind: string, id: string];

const utf8Order = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * An event's refs in the chain's order: by kind, then by id, comparing UTF-8 bytes (PostgreSQL's
 * "C" collation), each pair once. The append sends this as text; verifiers sort the stored rows so.
 */
export const canonicalRefs = (pairs: Iterable<RefPair>): RefPair[] => {
  const seen = new Map<string, RefPair>();
  for (const p of pairs) seen.set(`${p[0]}\u0000${p[1]}`, [p[0], p[1]]);
  return [...seen.values()].sort((x, y) => utf8Order(x[0], y[0]) || utf8Order(x[1], y[1]));
};

/**
 * Chain format 2 (every event appended since migration 20261206070000): format 1's fields plus the
 * event's global position, its stream version and its refs, so none of them can be changed or added
 * without breaking the chain. The database computes it on append from the canonical text it stores;
 * infra/eventstore/README.md spells the bytes out for independent verifiers.
 */
export interface HashedContentV2 extends HashedContent {
  position: number;
  streamVersion: number;
  refs: readonly RefPair[];
}

export const contentDigestV2 = (c: HashedContentV2): Buffer =>
  createHash('sha256')
    .update(
      canonicalJson({
        data: c.data,
        eventId: c.eventId,
        metadata: c.metadata,
        position: c.position,
        recordedAt: c.recordedAt,
        refs: canonicalRefs(c.refs),
        schemaVersion: c.schemaVersion,
        streamId: c.streamId,
        streamVersion: c.streamVersion,
        type: c.type,
      }),
    )
    .digest();

export const GENESIS_HASH = Buffer.alloc(32);

/** hash(n) = sha256(hash(n-1) || digest(n)); the database computes the same on append. */
export const chainHash = (prev: Buffer, digest: Buffer): Buffer => createHash('sha256').update(prev).update(digest).digest();
