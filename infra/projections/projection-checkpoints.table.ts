import type { ColumnType } from 'kysely';

/**
 * A projection's progress, written in the same transaction as its read-model rows: the store cursor
 * (tx_id, position) of the last event applied and the JetStream sequence it came with (0 after a rebuild).
 */
export interface ProjectionCheckpointsTable {
  name: string;
  tx_id: string;
  position: ColumnType<string, number | string, number | string>;
  stream_seq: ColumnType<string, number | string, number | string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
