import type { ColumnType } from 'kysely';

/** Where a relay has published up to, as the store's (tx_id, position) cursor and JetStream's sequence. */
export interface RelayCheckpointsTable {
  name: string;
  tx_id: string;
  position: ColumnType<string, number | string, number | string>;
  stream_seq: ColumnType<string, number | string, number | string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
