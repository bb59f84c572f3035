import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createDb, type Database } from '../../infra/database';
import { runMigrations, withDatabase, withUser } from '../../infra/migrate';

export interface TestDatabase {
  readonly name: string;
  /** As postgres, the owner: may disable triggers, tamper, rebuild read models. */
  readonly adminUrl: string;
  /** As the application role (tuopin_app): INSERT and SELECT on the store only. */
  readonly appUrl: string;
  readonly adminDb: Kysely<Database>;
  readonly appDb: Kysely<Database>;
  drop(): Promise<void>;
}

const SERVER = process.env.TEST_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const APP_ROLE = 'tuopin_app';

/**
 * A fresh, uniquely named database with every migration applied, so parallel tests and parallel
 * engineers never share state. Call `drop()` in afterAll.
 */
export const createTestDatabase = async (label = 't'): Promise<TestDatabase> => {
  const name = `tuopin_${label.replace(/[^a-z0-9]/g, '').slice(0, 20)}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const server = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: SERVER, max: 1 }) }) });
  try {
    await sql`CREATE DATABASE ${sql.id(name)}`.execute(server);
  } finally {
    await server.destroy();
  }
  const adminUrl = withDatabase(SERVER, name);
  const appUrl = withUser(adminUrl, APP_ROLE);
  await runMigrations(adminUrl, APP_ROLE);
  const adminDb = createDb(adminUrl, { max: 3, applicationName: `test-admin-${name}` });
  const appDb = createDb(appUrl, { max: 5, applicationName: `test-app-${name}` });
  return {
    name,
    adminUrl,
    appUrl,
    adminDb,
    appDb,
    drop: async () => {
      await appDb.destroy();
      await adminDb.destroy();
      const s = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: SERVER, max: 1 }) }) });
      try {
        await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(s);
      } finally {
        await s.destroy();
      }
    },
  };
};
