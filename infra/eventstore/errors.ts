/**
 * Every refusal of the event store is an `EventStoreError` with a stable `code` (callers and tests
 * match on it) and, for bad input, the `field` at fault, e.g. `appends[0].events[1].data.budget`.
 */
export class EventStoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ExpectedVersionConflictError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: string,
    /** The stream's version when the append was refused; null if it moved under a held lock (never expected). */
    readonly actual: number | null,
  ) {
    super('EXPECTED_VERSION_CONFLICT', `stream ${streamId}: expected version ${expected}, found ${actual ?? 'unknown'}`, undefined, {
      streamId,
      expected,
      actual,
    });
  }
}

export const invalid = (code: string, field: string, message: string, details?: Record<string, unknown>): EventStoreError =>
  new EventStoreError(code, `${field}: ${message}`, field, details);

export const CODES = {
  EXPECTED_VERSION_CONFLICT: 'EXPECTED_VERSION_CONFLICT',
  EXPECTED_VERSION_INVALID: 'EXPECTED_VERSION_INVALID',
  EVENT_SCHEMA_INVALID: 'EVENT_SCHEMA_INVALID',
  EVENT_TYPE_UNKNOWN: 'EVENT_TYPE_UNKNOWN',
  EVENT_SCHEMA_VERSION_UNKNOWN: 'EVENT_SCHEMA_VERSION_UNKNOWN',
  EVENT_ID_INVALID: 'EVENT_ID_INVALID',
  EVENT_ID_REUSED: 'EVENT_ID_REUSED',
  METADATA_INVALID: 'METADATA_INVALID',
  STREAM_ID_INVALID: 'STREAM_ID_INVALID',
  APPEND_INVALID: 'APPEND_INVALID',
  DATA_NOT_CANONICAL: 'DATA_NOT_CANONICAL',
  /** PostgreSQL refused a value (SQLSTATE class 22, data exception): the same append would be refused again. */
  DATA_REFUSED_BY_DATABASE: 'DATA_REFUSED_BY_DATABASE',
  CURSOR_INVALID: 'CURSOR_INVALID',
  TX_ID_REGRESSED: 'TX_ID_REGRESSED',
  /** An older transaction somewhere in the cluster still hides committed events from every tail. */
  TAIL_GATE_BLOCKED: 'TAIL_GATE_BLOCKED',
  POSITION_UNSAFE: 'POSITION_UNSAFE',
} as const;
