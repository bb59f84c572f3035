import type { Transaction } from 'kysely';
import type { Database } from '../database';
import type { StoredEvent } from '../eventstore/types';

/**
 * A read model fed by events. The framework owns ordering, checkpoints and transactions; a
 * projection only says which event types it handles and how to apply a batch of events (already
 * filtered to `canHandle`, in commit order, each at most once) to a table whose name it is given —
 * the live table, or a fresh one during a rebuild. The table's schema is the migrations' alone
 * (`infra/migrations/`); a rebuild copies it from the live table (`CREATE TABLE … (LIKE … INCLUDING ALL)`).
 */
export interface Projection {
  /** Checkpoint key. */
  readonly name: string;
  /** The live read-model table. */
  readonly table: string;
  readonly canHandle: readonly string[];
  apply(trx: Transaction<Database>, table: string, events: readonly StoredEvent[]): Promise<void>;
}
