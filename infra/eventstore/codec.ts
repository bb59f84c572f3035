import type { z } from 'zod';
import type { EventDefinition, EventRegistry } from '../../domain/shared/events';
import { CODES, EventStoreError, invalid } from './errors';
import type { EventMetadata } from './metadata';
import type { StoredEvent } from './types';

const issuesField = (prefix: string, error: z.ZodError): string => {
  const first = error.issues[0];
  const path = first?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') ?? '';
  return `${prefix}${path}`;
};

const issueSummary = (error: z.ZodError): string => error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');

export const definitionOf = (registry: EventRegistry, type: string, field: string): EventDefinition => {
  const def = registry.get(type);
  if (!def) throw invalid(CODES.EVENT_TYPE_UNKNOWN, field, `unknown event type "${type}"`, { type });
  return def;
};

/** Validates data against the type's current schema; the event is stored as given, not as parsed. */
export const validateForWrite = (registry: EventRegistry, type: string, data: unknown, field: string): EventDefinition => {
  const def = definitionOf(registry, type, `${field}.type`);
  const r = def.schema.safeParse(data);
  if (!r.success) {
    throw invalid(CODES.EVENT_SCHEMA_INVALID, issuesField(`${field}.data`, r.error), `${type} v${def.version}: ${issueSummary(r.error)}`, {
      type,
      issues: r.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  return def;
};

/**
 * Lifts stored data of any known version to the current one and parses it. Stored data is the
 * input form of its schema, so parsing again gives the same value the writer's schema accepted.
 */
export const upcast = (registry: EventRegistry, type: string, version: number, data: unknown, where: string): unknown => {
  const def = definitionOf(registry, type, where);
  let current = data;
  if (version !== def.version) {
    const past = [...(def.past ?? [])].sort((a, b) => a.version - b.version);
    const start = past.findIndex((p) => p.version === version);
    if (start < 0) {
      throw new EventStoreError(CODES.EVENT_SCHEMA_VERSION_UNKNOWN, `${where}: ${type} has no schema version ${version}`, where, { type, version });
    }
    for (const p of past.slice(start)) {
      const r = p.schema.safeParse(current);
      if (!r.success) throw invalid(CODES.EVENT_SCHEMA_INVALID, where, `${type} v${p.version}: ${issueSummary(r.error)}`, { type, version: p.version });
      current = p.upcast(r.data);
    }
  }
  const r = def.schema.safeParse(current);
  if (!r.success) throw invalid(CODES.EVENT_SCHEMA_INVALID, where, `${type} v${def.version}: ${issueSummary(r.error)}`, { type, version: def.version });
  return r.data;
};

export const toSafeInteger = (value: string | number | bigint, what: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new EventStoreError(CODES.POSITION_UNSAFE, `${what} ${String(value)} is not a safe integer`);
  return n;
};

export interface EventRow {
  position: string;
  tx_id: string;
  stream_id: string;
  category: string;
  stream_version: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  recorded_at: Date;
}

/** A row as stored: data in the version it was written with, `schemaVersion` that version. */
export const rawRow = (row: EventRow): StoredEvent => ({
  position: toSafeInteger(row.position, 'position'),
  txId: row.tx_id,
  streamId: row.stream_id,
  category: row.category,
  streamVersion: toSafeInteger(row.stream_version, 'stream version'),
  eventId: row.event_id,
  type: row.type,
  schemaVersion: row.schema_version,
  storedSchemaVersion: row.schema_version,
  data: row.data,
  metadata: row.metadata as EventMetadata,
  recordedAt: row.recorded_at.toISOString(),
});

/** Lifts a raw event to its type's current version and parses it. */
export const decodeRaw = (registry: EventRegistry, e: StoredEvent): StoredEvent => ({
  ...e,
  schemaVersion: definitionOf(registry, e.type, `event ${e.eventId}`).version,
  data: upcast(registry, e.type, e.storedSchemaVersion, e.data, `event ${e.eventId}`),
});

export const decodeRow = (registry: EventRegistry, row: EventRow): StoredEvent => decodeRaw(registry, rawRow(row));
