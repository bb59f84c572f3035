import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { readAll, verify } from '../infra/eventstore';
import { START, type Cursor } from '../infra/eventstore/types';
import { PROJECTIONS } from '../infra/projections/all';
import { projectorLag } from '../infra/projections/lag';
import { WRITER_ROLE } from '../infra/migrate';
import { reconcileRailWithBooks, type ReconciliationItem } from '../services/rail-reconciliation';
import * as fund from '../domain/fund';
import { formatYuan } from '../domain/shared/money';
import { sleep } from './context';

/**
 * The checks every run ends with; the run fails if one breaks. Each reads the store (or the rail)
 * itself, not what the driver believes happened.
 */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface Verification {
  readonly checks: readonly Check[];
  readonly ok: boolean;
  /** The store position and digest the checks were made at. */
  readonly position: number;
  readonly digest: string;
}

const FUND_TYPES: readonly string[] = fund.FUND_EVENTS.map((e) => e.type);
const n = (x: number) => x.toLocaleString('en-US');

/** Every fund's books folded from its stream, the invariant checked after every event. */
const fundBooks = async (db: Kysely<Database>) => {
  const states = new Map<string, fund.FundState>();
  const broken: string[] = [];
  let events = 0;
  let cursor: Cursor = START;
  for (;;) {
    const page = await readAll(db, { after: cursor, limit: 5_000, types: FUND_TYPES });
    for (const e of page.events) {
      if (!e.streamId.startsWith('fund-')) continue;
      const s = fund.evolve(states.get(e.streamId) ?? fund.initialState(), { type: e.type, data: e.data } as fund.FundEvent);
      states.set(e.streamId, s);
      events += 1;
      if (s.status !== 'none' && !fund.balanced(s) && broken.length < 5) broken.push(`${e.streamId}@${e.position}`);
    }
    if (page.events.length < 5_000) break;
    cursor = page.cursor;
  }
  return { states, broken, events };
};

/** How long a live projector may take to apply the last events before its table is compared. */
const CATCH_UP_MS = 120_000;

/**
 * The live table and one built now from the store hold the same rows, compared once the live
 * projector has applied every event of its types (its checkpoint at the store's head): a projector
 * still behind is reported as behind, by how many events, not as rows that differ.
 */
const sameAsRebuild = async (adminDb: Kysely<Database>, p: (typeof PROJECTIONS)[number]): Promise<{ ok: boolean; rows: number; differing: number; behind: number }> => {
  let behind = await projectorLag(adminDb, p);
  for (const t = Date.now(); behind > 0 && Date.now() - t < CATCH_UP_MS; behind = await projectorLag(adminDb, p)) await sleep(500);
  const fresh = `${p.table}__chk_${Date.now().toString(36)}`;
  // The read model's schema is the migrations' alone: the fresh table copies the live one's.
  await sql`CREATE TABLE ${sql.table(fresh)} (LIKE ${sql.table(p.table)} INCLUDING ALL)`.execute(adminDb);
  await sql`GRANT SELECT ON ${sql.table(fresh)} TO ${sql.id(WRITER_ROLE)}`.execute(adminDb);
  try {
    let cursor: Cursor = START;
    for (;;) {
      const page = await readAll(adminDb, { after: cursor, limit: 5_000, types: p.canHandle });
      if (page.events.length > 0) await adminDb.transaction().execute((trx) => p.apply(trx, fresh, page.events));
      if (page.events.length < 5_000) break;
      cursor = page.cursor;
    }
    // Compared column by column by name: a live table that grew by migrations orders its columns differently.
    const cols = await sql<{ c: string }>`SELECT column_name AS c FROM information_schema.columns WHERE table_name = ${fresh} ORDER BY ordinal_position`.execute(adminDb);
    const list = sql.join(cols.rows.map((r) => sql.id(r.c)));
    const r = await sql<{ d: string }>`
      SELECT ((SELECT count(*) FROM (SELECT ${list} FROM ${sql.table(p.table)} EXCEPT ALL SELECT ${list} FROM ${sql.table(fresh)}) a)
            + (SELECT count(*) FROM (SELECT ${list} FROM ${sql.table(fresh)} EXCEPT ALL SELECT ${list} FROM ${sql.table(p.table)}) b))::text AS d`.execute(adminDb);
    const differing = Number(r.rows[0]!.d);
    const rows = Number((await sql<{ c: string }>`SELECT count(*)::text AS c FROM ${sql.table(fresh)}`.execute(adminDb)).rows[0]!.c);
    return { ok: differing === 0 && behind === 0, rows, differing, behind };
  } finally {
    await sql`DROP TABLE IF EXISTS ${sql.table(fresh)}`.execute(adminDb);
  }
};

export const verifyRun = async (db: Kysely<Database>, adminDb: Kysely<Database>): Promise<Verification> => {
  const checks: Check[] = [];
  const chain = await verify(db);
  checks.push({
    name: '哈希链 hash chains',
    ok: chain.ok,
    detail: chain.ok ? `${n(chain.streams)} streams, ${n(chain.events)} events verified` : `${chain.broken} broken, first ${JSON.stringify(chain.firstBroken)}`,
  });

  const books = await fundBooks(db);
  const funds = [...books.states.values()].filter((s): s is Exclude<fund.FundState, { status: 'none' }> => s.status !== 'none');
  checks.push({
    name: '资金恒等式 fund invariant',
    ok: books.broken.length === 0,
    detail:
      books.broken.length === 0
        ? `${funds.length} funds, held after each of ${n(books.events)} events (appropriated = available + allocated-unpaid + paid + returned)`
        : `broken at ${books.broken.join(', ')}`,
  });

  for (const p of PROJECTIONS) {
    const r = await sameAsRebuild(adminDb, p);
    const behind = r.behind > 0 ? `; its projector still ${n(r.behind)} events behind after ${CATCH_UP_MS / 1000} s` : '';
    checks.push({ name: `读模型 ${p.table} = rebuild`, ok: r.ok, detail: r.ok ? `${n(r.rows)} rows equal` : `${r.differing} rows differ${behind}` });
  }

  // The rail's confirmed transfers and the books' payments: the same keys, the same amounts (the one reconciliation, tuopin rail reconcile).
  const rec = await reconcileRailWithBooks(db, { graceMs: 0 });
  const keys = (xs: readonly ReconciliationItem[]) =>
    xs
      .slice(0, 3)
      .map((x) => x.paymentKey)
      .join(', ') || '-';
  checks.push({
    name: '国库账 = 账簿 rail ledger = books',
    ok: rec.ok,
    detail: rec.ok
      ? `${n(rec.books.payments)} payments, ${formatYuan(rec.books.amountFen)} on both; trial balance sums to 0`
      : `paid not booked: ${keys(rec.paidNotBooked)}; booked not paid: ${keys(rec.bookedNotPaid)}; amounts differ: ${keys(rec.amountsDiffer)}; rail balanced: ${rec.railBalanced}`,
  });
  const head = await sql<{ p: string | null }>`SELECT max(position)::text AS p FROM events`.execute(db);
  return { checks, ok: checks.every((c) => c.ok), position: Number(head.rows[0]!.p ?? 0), digest: chain.digest };
};
