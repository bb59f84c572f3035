import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { config } from '../infra/config';
import { createDb, type Database } from '../infra/database';
import { ensureDatabase, runMigrations, withDatabase, withUser } from '../infra/migrate';

export interface BenchDatabase {
  /** The database's name (its backends' datname). */
  name: string;
  adminUrl: string;
  appUrl: string;
  adminDb: Kysely<Database>;
  appDb: Kysely<Database>;
  drop(): Promise<void>;
}

/** A throwaway database on the configured server, so a bench never touches real data. */
export const createBenchDatabase = async (writers: number): Promise<BenchDatabase> => {
  const name = `tuopin_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const adminUrl = withDatabase(config().DATABASE_ADMIN_URL, name);
  const appRole = new URL(config().DATABASE_URL.replace(/^postgres(ql)?:/, 'http:')).username;
  const appUrl = withUser(adminUrl, appRole);
  await ensureDatabase(adminUrl);
  await runMigrations(adminUrl, appRole);
  const adminDb = createDb(adminUrl, { max: 2, applicationName: 'bench-admin' });
  const appDb = createDb(appUrl, { max: writers + 2, applicationName: 'bench-app' });
  return {
    name,
    adminUrl,
    appUrl,
    adminDb,
    appDb,
    drop: async () => {
      await appDb.destroy();
      await adminDb.destroy();
      const s = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: withDatabase(adminUrl, 'postgres'), max: 1 }) }) });
      try {
        await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(s);
      } finally {
        await s.destroy();
      }
    },
  };
};

/** An empty database beside the bench's for a peer store (Emmett), dropped after the run. */
export const createPeerDatabase = async (adminUrl: string): Promise<{ name: string; url: string; drop(): Promise<void> }> => {
  const name = `tuopin_bench_emmett_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const url = withDatabase(adminUrl, name);
  await ensureDatabase(url);
  return {
    name,
    url,
    drop: async () => {
      const s = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: withDatabase(adminUrl, 'postgres'), max: 1 }) }) });
      try {
        // Emmett keeps a pool of its own besides the one it is given, which its close() leaves open; a
        // connection of it killed by FORCE is an unhandled 'error' event that ends this process. Its idle
        // connections close after pg's 10 s idle timeout: wait for that (at most 12 s) before forcing.
        for (let waited = 0; waited < 12_000; waited += 250) {
          const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = ${name}`.execute(s);
          if (Number(rows[0]?.n) === 0) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(s);
      } finally {
        await s.destroy();
      }
    },
  };
};
