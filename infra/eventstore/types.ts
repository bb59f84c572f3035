import type { EventMetadata } from './metadata';

/**
 * Positions and stream versions are JavaScript numbers: PostgreSQL holds them as bigint, and every
 * value read is checked to be a safe integer (2^53 events is beyond any store). Transaction ids
 * (xid8) are kept as decimal strings: they are opaque, only compared inside PostgreSQL.
 */
export type Position = number;

/** A stream's version is the number of events in it: the first event has version 1, an empty stream 0. */
export type ExpectedVersion = number | 'no-stream' | 'stream-exists' | 'any';

export interface NewEvent<D = unknown> {
  /** Derived from the workflow id and step by the caller: a retried append then returns the first result. */
  readonly eventId: string;
  readonly type: string;
  readonly data: D;
  readonly metadata: EventMetadata;
}

export interface StreamAppend {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  /** May be empty: the stream's expected version is still checked, in the same transaction. */
  readonly events: readonly NewEvent[];
}

export interface AppendedEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly position: Position;
}

export interface AppendResult {
  /** True when every event id was already stored: nothing was written, the original positions are returned. */
  readonly duplicate: boolean;
  /** In the order the events were given. */
  readonly events: readonly AppendedEvent[];
  /** Each touched stream's version after its last event of this append. */
  readonly streamVersions: Readonly<Record<string, number>>;
}

export interface StoredEvent<D = unknown> {
  readonly position: Position;
  readonly txId: string;
  readonly streamId: string;
  readonly category: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  /** Always the definition's current version: older versions are upcast on read. */
  readonly schemaVersion: number;
  /** The version the event was written with. */
  readonly storedSchemaVersion: number;
  readonly data: D;
  readonly metadata: EventMetadata;
  /** ISO-8601, milliseconds, UTC. */
  readonly recordedAt: string;
}

/** Commit-order cursor, exclusive: reading resumes strictly after it. */
export interface Cursor {
  readonly txId: string;
  readonly position: Position;
}

export const START: Cursor = { txId: '0', position: 0 };
