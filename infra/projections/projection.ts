import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database';
import type { StoredEvent } from '../eventstore/types';

/**
 * A read model fed by events. The framework owns ordering, checkpoints and transactions; a
 * projection only says which event types it handles, how to create its table, and how to apply a
 * batch of events (already filtered to `canHandle`, in commit order, each at most once) to a table
 * whose name it is given — the live table, or a fresh one during a rebuild.
 */
export interface Projection {
  /** Checkpoint key. */
  readonly name: string;
  /** The live read-model table. */
  readonly table: string;
  readonly canHandle: readonly string[];
  /** Creates an empty table of the read model's shape (same columns and indexes) named `table`. */
  createTable(db: Kysely<Database>, table: string): Promise<void>;
  apply(trx: Transaction<Database>, table: string, events: readonly StoredEvent[]): Promise<void>;
}

export const handles = (p: Projection, type: string): boolean => p.canHandle.includes(type);
