import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { config } from '../infra/config';
import { createDb, type Database } from '../infra/database';
import { appendToStreams } from '../infra/eventstore/append';
import { ensureDatabase, runMigrations, withDatabase, withUser } from '../infra/migrate';
import { bundle, noiseFund, TRAIL_FUND, type FundSpec } from './audit-fixtures';
import { line, measured, seconds, type Measured } from './stats';

/**
 * A store of about `events` events kept between runs in a database of its own (never the main
 * one): filled once through the real append API, then reused. A run that finds the database
 * without its completion mark (an interrupted fill) drops it and fills it again. AUDIT_BENCH_DB
 * names another database: a copy of the store (CREATE DATABASE … TEMPLATE) for code whose
 * migrations change it, measured beside a base worktree that keeps the original.
 */

export interface AuditStore {
  readonly appUrl: string;
  readonly adminDb: Kysely<Database>;
  readonly appDb: Kysely<Database>;
  readonly events: number;
  /** The fill's figures, or null when the store was reused. */
  readonly setup: Measured | null;
  close(): Promise<void>;
}

const WRITERS = 4;
const PROJECTS_PER_FUND = 20;
const PROJECTS_PER_APPEND = 10;
/** Changes when the fixtures do, so an old store is not mistaken for the current one. */
const FIXTURE = 'audit-trail-v1';

const ownerDb = (url: string): Kysely<unknown> => new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
const serverDb = (adminUrl: string): Kysely<unknown> => ownerDb(withDatabase(adminUrl, 'postgres'));

const dbName = (events: number): string =>
  process.env.AUDIT_BENCH_DB ?? `tuopin_bench_audit_${events >= 1_000_000 && events % 1_000_000 === 0 ? `${events / 1_000_000}m` : `${Math.round(events / 1000)}k`}`;

const isComplete = async (adminUrl: string, name: string): Promise<'complete' | 'partial' | 'missing'> => {
  const s = serverDb(adminUrl);
  try {
    const found = await sql<{ one: number }>`SELECT 1 AS one FROM pg_database WHERE datname = ${name}`.execute(s);
    if (found.rows.length === 0) return 'missing';
  } finally {
    await s.destroy();
  }
  const db = ownerDb(adminUrl);
  try {
    const table = await sql<{ t: string | null }>`SELECT to_regclass('bench_fixture')::text AS t`.execute(db);
    if (!table.rows[0]?.t) return 'partial';
    const { rows } = await sql<{ fixture: string }>`SELECT fixture FROM bench_fixture`.execute(db);
    return rows[0]?.fixture === FIXTURE ? 'complete' : 'partial';
  } finally {
    await db.destroy();
  }
};

const dropDatabase = async (adminUrl: string, name: string): Promise<void> => {
  const s = serverDb(adminUrl);
  try {
    await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(s);
  } finally {
    await s.destroy();
  }
};

interface Task {
  fund: FundSpec;
  from: number;
  to: number;
}

/** Each fund belongs to one writer (its appends are in order, at exact versions); the trail fund's are spread through writer 0's. */
const plan = (events: number): Task[][] => {
  const perNoiseProject = 8 + 4 + 1 + 4; // 8 lifecycle events and 4 payments on the project's stream; the allocation and 4 disbursements on the fund's
  const trailEvents = TRAIL_FUND.projects * (8 + 2 * TRAIL_FUND.payments + 1) + 1;
  const funds = Math.max(1, Math.ceil((events - trailEvents) / (PROJECTS_PER_FUND * perNoiseProject + 1)));
  const queues: Task[][] = Array.from({ length: WRITERS }, () => []);
  for (let k = 0; k < funds; k++) {
    const f = noiseFund(k, PROJECTS_PER_FUND);
    for (let p = 0; p < f.projects; p += PROJECTS_PER_APPEND) queues[k % WRITERS]!.push({ fund: f, from: p, to: Math.min(f.projects, p + PROJECTS_PER_APPEND) });
  }
  const trail: Task[] = [];
  for (let p = 0; p < TRAIL_FUND.projects; p += PROJECTS_PER_APPEND) trail.push({ fund: TRAIL_FUND, from: p, to: Math.min(TRAIL_FUND.projects, p + PROJECTS_PER_APPEND) });
  const q0 = queues[0]!;
  const gap = Math.max(1, Math.floor(q0.length / trail.length));
  trail.forEach((t, i) => q0.splice(Math.min(q0.length, i * (gap + 1) + gap), 0, t));
  return queues;
};

const fill = async (appDb: Kysely<Database>, events: number, log: (s: string) => void): Promise<Measured> => {
  const queues = plan(events);
  const total = queues.flat().reduce((n, t) => n + (t.to - t.from), 0);
  log(
    `   filling: ${WRITERS} writers, ${PROJECTS_PER_APPEND} whole projects and their fund's events per append (one multi-stream append), ${total.toLocaleString('en-US')} projects`,
  );
  const versions = new Map<string, number>();
  let written = 0;
  let appends = 0;
  let nextReport = events / 10;
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  await Promise.all(
    queues.map(async (q) => {
      for (const t of q) {
        const b = bundle(t.fund, t.from, t.to, versions.get(t.fund.fundId) ?? 0);
        const t0 = process.hrtime.bigint();
        const r = await appendToStreams(appDb, b.appends);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        versions.set(t.fund.fundId, r.streamVersions[`fund-${t.fund.fundId}`]!);
        written += b.events;
        appends++;
        if (written >= nextReport) {
          nextReport += events / 10;
          log(`   ${written.toLocaleString('en-US').padStart(10)} events, ${Math.round(written / seconds(start)).toLocaleString('en-US')} ev/s`);
        }
      }
    }),
  );
  const m = measured(`fill: append ~${Math.round(written / appends)} events per append (${WRITERS} writers)`, written, seconds(start), latencies);
  return m;
};

export const openAuditStore = async (events: number, log: (s: string) => void): Promise<AuditStore> => {
  const cfg = config();
  const name = dbName(events);
  const adminUrl = withDatabase(cfg.DATABASE_ADMIN_URL, name);
  const appRole = new URL(cfg.DATABASE_URL.replace(/^postgres(ql)?:/, 'http:')).username;
  const appUrl = withUser(adminUrl, appRole);
  const state = await isComplete(adminUrl, name);
  if (state === 'partial') {
    log(`   ${name} holds an unfinished fill: dropping it`);
    await dropDatabase(adminUrl, name);
  }
  await ensureDatabase(adminUrl);
  // Every run: migrations added since the fill are applied, as on a real store.
  await runMigrations(adminUrl, appRole);
  const adminDb = createDb(adminUrl, { max: 2, applicationName: 'bench-audit-admin' });
  const appDb = createDb(appUrl, { max: WRITERS + 4, applicationName: 'bench-audit-app' });
  let setup: Measured | null = null;
  if (state !== 'complete') {
    log(`   ${name}: filling a store of ~${events.toLocaleString('en-US')} events (once; later runs reuse it)`);
    setup = await fill(appDb, events, log);
    log(line(setup));
    const t0 = process.hrtime.bigint();
    await sql`VACUUM ANALYZE events`.execute(adminDb);
    await sql`VACUUM ANALYZE refs`.execute(adminDb);
    await sql`VACUUM ANALYZE streams`.execute(adminDb);
    log(`   VACUUM ANALYZE after the fill: ${seconds(t0).toFixed(1)} s`);
    await sql`CREATE TABLE bench_fixture (fixture text NOT NULL, events bigint NOT NULL, fill_seconds double precision NOT NULL, filled_at timestamptz NOT NULL DEFAULT now())`.execute(
      adminDb,
    );
    await sql`INSERT INTO bench_fixture (fixture, events, fill_seconds) VALUES (${FIXTURE}, ${setup.events}, ${setup.seconds})`.execute(adminDb);
  }
  const { rows } = await sql<{ n: string; fill_seconds: number; filled_at: Date }>`
    SELECT (SELECT count(*) FROM events) AS n, fill_seconds, filled_at FROM bench_fixture`.execute(adminDb);
  const r = rows[0]!;
  if (!setup) log(`   ${name}: reused (${Number(r.n).toLocaleString('en-US')} events, filled ${r.filled_at.toISOString()} in ${r.fill_seconds.toFixed(0)} s)`);
  return {
    appUrl,
    adminDb,
    appDb,
    events: Number(r.n),
    setup,
    close: async () => {
      await appDb.destroy();
      await adminDb.destroy();
    },
  };
};
