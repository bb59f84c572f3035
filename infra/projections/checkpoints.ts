import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';
import { START, type Cursor } from '../eventstore/types';

export interface ProjectionCheckpoint {
  cursor: Cursor;
  /** JetStream sequence of the last message applied (0 after a rebuild from the store). */
  streamSeq: number;
}

/**
 * Reads projections' checkpoints and locks their rows for the rest of the transaction, in the order
 * given (every writer locks in the read models' fixed order, so two never wait on each other). Every
 * writer of a read model takes this lock first, so the live projector and a rebuild's swap are
 * serialised. One statement for all of them: a batch that feeds four read models locked four rows in
 * four round trips, inside its transaction, on every payment's way.
 */
export const lockCheckpoints = async (trx: Transaction<Database>, names: readonly string[]): Promise<Map<string, ProjectionCheckpoint>> => {
  // The rows exist after a projection's first batch: one statement then, not an INSERT before every
  // lock. ORDER BY comes below the row locks in the plan, so the rows are locked in the given order.
  const locked = () =>
    sql<{ name: string; tx_id: string; position: string; stream_seq: string }>`
    SELECT name, tx_id::text AS tx_id, position, stream_seq FROM projection_checkpoints
     WHERE name = ANY(${names}::text[]) ORDER BY array_position(${names}::text[], name) FOR UPDATE`.execute(trx);
  let { rows } = await locked();
  if (rows.length < names.length) {
    await sql`INSERT INTO projection_checkpoints (name, tx_id, position, stream_seq)
              SELECT n, '0'::xid8, 0, 0 FROM unnest(${names}::text[]) AS n ON CONFLICT (name) DO NOTHING`.execute(trx);
    ({ rows } = await locked());
  }
  const found = new Map(rows.map((r) => [r.name, { cursor: { txId: r.tx_id, position: Number(r.position) }, streamSeq: Number(r.stream_seq) }]));
  return new Map(names.map((n) => [n, found.get(n) ?? { cursor: START, streamSeq: 0 }]));
};

/** One projection's checkpoint, read and locked (lockCheckpoints). */
export const lockCheckpoint = async (trx: Transaction<Database>, name: string): Promise<ProjectionCheckpoint> => (await lockCheckpoints(trx, [name])).get(name)!;

/** Moves projections' checkpoints, all in one statement; each row must be locked by this transaction (lockCheckpoints). */
export const saveCheckpoints = async (trx: Transaction<Database>, moved: ReadonlyMap<string, ProjectionCheckpoint>): Promise<void> => {
  if (moved.size === 0) return;
  const cps = [...moved];
  await sql`UPDATE projection_checkpoints c SET tx_id = u.tx_id, position = u.position, stream_seq = u.stream_seq, updated_at = now()
              FROM unnest(${cps.map(([n]) => n)}::text[], ${cps.map(([, cp]) => cp.cursor.txId)}::xid8[], ${cps.map(([, cp]) => cp.cursor.position)}::bigint[],
                          ${cps.map(([, cp]) => cp.streamSeq)}::bigint[]) AS u(name, tx_id, position, stream_seq)
             WHERE c.name = u.name`.execute(trx);
};

export const saveCheckpoint = (trx: Transaction<Database>, name: string, cp: ProjectionCheckpoint): Promise<void> => saveCheckpoints(trx, new Map([[name, cp]]));
