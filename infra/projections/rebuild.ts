import { sql, type Kysely } from 'kysely';
import { eventRegistry as defaultRegistry } from '../../domain/event-types';
import type { EventRegistry } from '../../domain/shared/events';
import type { Database } from '../database';
import { compareCursors } from '../eventstore/cursor';
import { CODES, EventStoreError } from '../eventstore/errors';
import { headCursor, readAll, sawHead, waitForGate } from '../eventstore/read';
import { START, type Cursor } from '../eventstore/types';
import { WRITER_ROLE } from '../migrate';
import { logger } from '../logger';
import { lockCheckpoint, saveCheckpoint } from './checkpoints';
import type { Projection } from './projection';

/** A table's indexes: name, and definition without the index's and the table's names (what LIKE copies). */
const indexesOf = async (db: Kysely<Database>, table: string): Promise<{ name: string; shape: string }[]> => {
  const { rows } = await sql<{ name: string; def: string }>`
    SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = to_regclass(${table}) ORDER BY c.relname`.execute(db);
  return rows.map((r) => ({ name: r.name, shape: r.def.replace(/^(CREATE (?:UNIQUE )?INDEX) \S+ ON \S+/, '$1 ON') }));
};

/**
 * LIKE names the copied indexes (and the constraints behind them) after the fresh table; renamed
 * back to the live table's names, they stay what the migrations called them, however many rebuilds.
 */
const keepIndexNames = async (db: Kysely<Database>, table: string, live: readonly { name: string; shape: string }[]): Promise<void> => {
  const wanted = new Map(live.map((i) => [i.shape, i.name]));
  for (const i of await indexesOf(db, table)) {
    const name = wanted.get(i.shape);
    if (name !== undefined && name !== i.name) await sql`ALTER INDEX ${sql.id(i.name)} RENAME TO ${sql.id(name)}`.execute(db);
  }
};

export interface RebuildResult {
  events: number;
  cursor: Cursor;
  table: string;
  /** How long the rebuild waited for older open transactions before it could see the store's head. */
  gateWaitMs: number;
}

/**
 * Rebuilds a read model straight from the store, without NATS, blue-green: events go into a fresh
 * table while the live one keeps serving; once caught up, the rest is applied and the fresh table is
 * renamed into place in one transaction that holds the projection's checkpoint lock, so readers see
 * the old model or the new one, never half of one. The checkpoint is set to the rebuild's cursor;
 * the live projector then skips what the rebuild already covered.
 *
 * Runs as the table owner (DATABASE_ADMIN_URL): it creates, drops and renames tables.
 */
export const rebuildProjection = async (
  adminDb: Kysely<Database>,
  projection: Projection,
  opts: { batchSize?: number; registry?: EventRegistry; onProgress?: (events: number) => void; gateTimeoutMs?: number } = {},
): Promise<RebuildResult> => {
  // Every event committed before the rebuild starts must be in the model it swaps in. The tail's gate
  // is cluster-wide, so a write transaction open in any database would otherwise hide the newest
  // events and the rebuild would swap in a model that silently lacks them.
  const head = await headCursor(adminDb);
  const gate = await waitForGate(adminDb, head, { timeoutMs: opts.gateTimeoutMs ?? 60_000 });
  if (!gate.passed) {
    throw new EventStoreError(
      CODES.TAIL_GATE_BLOCKED,
      `rebuild of ${projection.name} refused: ${gate.behind} committed event(s) are still hidden behind an open transaction (gate ${gate.gate}) after ${gate.waitedMs} ms; end the long transaction and run it again`,
      undefined,
      { projection: projection.name, behind: gate.behind, gate: gate.gate, head, waitedMs: gate.waitedMs },
    );
  }
  const batchSize = opts.batchSize ?? 5000;
  const registry = opts.registry ?? defaultRegistry;
  const fresh = `${projection.table}__rb_${Date.now().toString(36)}`;
  const log = logger.child({ component: 'rebuild', projection: projection.name, table: fresh });
  // The migrations own the schema: the fresh table is the live one's shape (columns, defaults,
  // constraints, indexes), whatever migration last changed it. Only the rows are rebuilt.
  await sql`CREATE TABLE ${sql.table(fresh)} (LIKE ${sql.table(projection.table)} INCLUDING ALL)`.execute(adminDb);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${sql.table(fresh)} TO ${sql.id(WRITER_ROLE)}`.execute(adminDb);
  let cursor = START;
  let events = 0;
  try {
    // Bulk phase: no lock on the live model; the next page is read while this one is applied.
    const read = (after: Cursor): ReturnType<typeof readAll> => {
      const p = readAll(adminDb, { after, limit: batchSize, types: projection.canHandle, registry });
      // Marked handled: if applying the current page fails first, this one is never awaited.
      p.catch(() => undefined);
      return p;
    };
    let page = read(cursor);
    for (;;) {
      const r = await page;
      if (r.events.length === batchSize) page = read(r.cursor);
      if (r.events.length > 0) {
        await adminDb.transaction().execute((trx) => projection.apply(trx, fresh, r.events));
        events += r.events.length;
        cursor = r.cursor;
        opts.onProgress?.(events);
      }
      if (r.events.length < batchSize) break;
    }
    log.info({ events, cursor }, 'rebuild caught up; swapping');
    // Swap phase: hold the checkpoint so the live projector waits, apply the tail, rename.
    await adminDb.transaction().execute(async (trx) => {
      const cp = await lockCheckpoint(trx, projection.name);
      for (;;) {
        const r = await readAll(trx, { after: cursor, limit: batchSize, types: projection.canHandle, registry, withBehind: true });
        if (r.events.length > 0) {
          await projection.apply(trx, fresh, r.events);
          events += r.events.length;
          cursor = r.cursor;
          opts.onProgress?.(events);
        }
        // A short page is the end once it has seen the head as of the start (sawHead): not under a gate that was low a moment.
        if (r.events.length < batchSize && sawHead(r, head)) break;
      }
      const liveIndexes = await indexesOf(trx, projection.table);
      await sql`DROP TABLE ${sql.table(projection.table)}`.execute(trx);
      await sql`ALTER TABLE ${sql.table(fresh)} RENAME TO ${sql.id(projection.table)}`.execute(trx);
      await keepIndexNames(trx, projection.table, liveIndexes);
      // Keep the live checkpoint if it is further: what it covered beyond `cursor` has no event this model handles.
      const next = compareCursors(cp.cursor, cursor) > 0 ? cp.cursor : cursor;
      await saveCheckpoint(trx, projection.name, { cursor: next, streamSeq: cp.streamSeq });
    });
  } catch (e) {
    log.error({ err: e }, 'rebuild failed; the live read model is untouched');
    await sql`DROP TABLE IF EXISTS ${sql.table(fresh)}`.execute(adminDb);
    throw e;
  }
  log.info({ events, cursor }, 'rebuild swapped in');
  return { events, cursor, table: projection.table, gateWaitMs: gate.waitedMs };
};
