import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createTestDatabase } from '../test/support/database';
import { ensureDatabase, runMigrations, withDatabase } from './migrate';

jest.setTimeout(120_000);

const SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

describe('database setup', () => {
  it('ensureDatabase and runMigrations are idempotent', async () => {
    const name = `tuopin_migrate_${Date.now().toString(36)}`;
    const url = withDatabase(SERVER, name);
    try {
      await ensureDatabase(url);
      await ensureDatabase(url);
      await runMigrations(url, 'tuopin_app');
      await runMigrations(url, 'tuopin_app');
      const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
      try {
        const fns = await sql<{ f: string }>`SELECT oid::regprocedure::text AS f FROM pg_proc WHERE proname LIKE 'tuopin_append%'`.execute(db);
        expect(fns.rows.map((r) => r.f)).toEqual(['tuopin_append_batch(integer[],text[],text[],integer[],text[],text[],integer[],text[],text[],text[])']);
        // A migration that rewrote a table row by row (vacuumAfter) has it vacuumed once the run has committed; the others are left to autovacuum.
        const vacuumed = await sql<{ relname: string; manual: boolean }>`
          SELECT relname, last_vacuum IS NOT NULL AS manual FROM pg_stat_user_tables WHERE relname IN ('chain_checkpoints', 'streams') ORDER BY relname`.execute(db);
        expect(vacuumed.rows).toEqual([
          { relname: 'chain_checkpoints', manual: true },
          { relname: 'streams', manual: false },
        ]);
      } finally {
        await db.destroy();
      }
    } finally {
      const s = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: SERVER, max: 1 }) }) });
      await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(s);
      await s.destroy();
    }
  });

  it('several test databases can be created at once (roles are cluster-wide)', async () => {
    const dbs = await Promise.all([createTestDatabase('conc'), createTestDatabase('conc'), createTestDatabase('conc')]);
    try {
      for (const d of dbs) {
        const r = await sql<{ u: string }>`SELECT current_user AS u`.execute(d.appDb);
        expect(r.rows[0]?.u).toBe('tuopin_app');
      }
    } finally {
      await Promise.all(dbs.map((d) => d.drop()));
    }
  });
});
