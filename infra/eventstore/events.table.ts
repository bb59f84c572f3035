import type { ColumnType, Generated } from 'kysely';

/**
 * Append-only: the database refuses UPDATE, DELETE and TRUNCATE, so every column's update type is
 * `never` and kysely rejects an update at compile time too. int8 and xid8 come back as strings.
 */
type Immutable<S, I = S> = ColumnType<S, I, never>;

export interface EventsTable {
  position: ColumnType<string, never, never>;
  tx_id: ColumnType<string, never, never>;
  stream_id: Immutable<string>;
  category: Immutable<string>;
  stream_version: Immutable<string, number | string>;
  event_id: Immutable<string>;
  type: Immutable<string>;
  schema_version: Immutable<number>;
  data: Immutable<unknown, string>;
  metadata: Immutable<unknown, string>;
  recorded_at: Immutable<Date, Date | string>;
  prev_hash: Immutable<Buffer>;
  hash: Immutable<Buffer>;
}

/** kind + id → the event's commit-order key: an audit trail is an index range scan. */
export interface RefsTable {
  kind: Immutable<string>;
  ref_id: Immutable<string>;
  tx_id: Immutable<string>;
  position: Immutable<string, number | string>;
}

/** One row per stream: its version (number of events) and the hash at its head. */
export interface StreamsTable {
  stream_id: ColumnType<string, string, never>;
  category: ColumnType<string, string, never>;
  version: ColumnType<string, number | string, number | string>;
  head_hash: Buffer;
  updated_at: Generated<Date>;
}
