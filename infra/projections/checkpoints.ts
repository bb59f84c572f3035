import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';
import { START, type Cursor } from '../eventstore/types';

export interface ProjectionCheckpoint {
  cursor: Cursor;
  /** JetStream sequence of the last message applied (0 after a rebuild from the store). */
  streamSeq: number;
}

/**
 * Reads a projection's checkpoint and locks its row for the rest of the transaction. Every writer
 * of a read model takes this lock first, so the live projector and a rebuild's swap are serialised.
 */
export const lockCheckpoint = async (trx: Transaction<Database>, name: string): Promise<ProjectionCheckpoint> => {
  // The row exists after a projection's first batch: one statement then, not an INSERT before every
  // lock (each statement is a round trip inside the batch's transaction, on every read model's way).
  const locked = () =>
    sql<{ tx_id: string; position: string; stream_seq: string }>`
    SELECT tx_id::text AS tx_id, position, stream_seq FROM projection_checkpoints WHERE name = ${name} FOR UPDATE`.execute(trx);
  let { rows } = await locked();
  if (rows.length === 0) {
    await sql`INSERT INTO projection_checkpoints (name, tx_id, position, stream_seq) VALUES (${name}, '0'::xid8, 0, 0)
              ON CONFLICT (name) DO NOTHING`.execute(trx);
    ({ rows } = await locked());
  }
  const r = rows[0];
  return r ? { cursor: { txId: r.tx_id, position: Number(r.position) }, streamSeq: Number(r.stream_seq) } : { cursor: START, streamSeq: 0 };
};

export const saveCheckpoint = async (trx: Transaction<Database>, name: string, cp: ProjectionCheckpoint): Promise<void> => {
  await sql`UPDATE projection_checkpoints SET tx_id = ${cp.cursor.txId}::xid8, position = ${cp.cursor.position},
              stream_seq = ${cp.streamSeq}, updated_at = now() WHERE name = ${name}`.execute(trx);
};
