import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import { CODES, EventStoreError } from '../eventstore/errors';
import { headCursor, readAll, sawHead, waitForGate } from '../eventstore/read';
import { START, type Cursor } from '../eventstore/types';
import { PROJECTIONS } from './all';

const PAGE = 5_000;

/**
 * Runs `read` against the read models as they stood at store position `position`. Every projection
 * is replayed from the store into a temporary table of the live table's name and shape on one
 * connection; PostgreSQL looks in the session's temporary schema first, so the very queries the API
 * serves read the past, and nothing the live models hold is touched. The temporary tables go with
 * the connection's `DISCARD TEMP` before it returns to the pool.
 */
export const withReadModelsAt = async <T>(db: Kysely<Database>, position: number, read: (db: Kysely<Database>) => Promise<T>): Promise<T> => {
  // Every event at or before the position must be visible: a transaction still open anywhere on the cluster would hide some (see rebuild).
  const head = await headCursor(db);
  const gate = await waitForGate(db, head, { timeoutMs: 60_000 });
  if (!gate.passed) {
    throw new EventStoreError(
      CODES.TAIL_GATE_BLOCKED,
      `read models at ${position} refused: ${gate.behind} committed event(s) are hidden behind an open transaction (gate ${gate.gate})`,
      undefined,
      { position, behind: gate.behind, gate: gate.gate },
    );
  }
  return db.connection().execute(async (conn) => {
    try {
      for (const p of PROJECTIONS) await sql`CREATE TEMP TABLE ${sql.id(p.table)} (LIKE ${sql.table(`public.${p.table}`)} INCLUDING ALL)`.execute(conn);
      const types = [...new Set(PROJECTIONS.flatMap((p) => p.canHandle))];
      let cursor: Cursor = START;
      for (;;) {
        const page = await readAll(conn, { after: cursor, limit: PAGE, types, withBehind: true });
        // Commit order is not position order: a page may hold later positions before earlier ones, so every page is read and filtered.
        const upTo = page.events.filter((e) => e.position <= position);
        // In list order: a projection that reads another's table (the payment ledger a fund's facts) finds it as of the same page.
        for (const p of PROJECTIONS) {
          const mine = upTo.filter((e) => p.canHandle.includes(e.type));
          if (mine.length > 0) await conn.transaction().execute((trx) => p.apply(trx, p.table, mine));
        }
        // A short page is the end once it has seen the head (sawHead): not under a gate that was low a moment.
        if (page.events.length < PAGE && sawHead(page, head)) break;
        cursor = page.cursor;
      }
      return await read(conn);
    } finally {
      await sql`DISCARD TEMP`.execute(conn);
    }
  });
};

/** The last position recorded before the end of a Beijing calendar day (0 when the store was empty then). */
export const positionAtEndOf = async (db: Kysely<Database>, day: string): Promise<number> => {
  const r = await sql<{ p: string | null }>`SELECT max(position)::text AS p FROM events WHERE recorded_at < (${day}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`.execute(db);
  return Number(r.rows[0]?.p ?? 0);
};
