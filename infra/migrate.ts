import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { FileMigrationProvider, Migrator, type MigrationResult } from 'kysely/migration';
import pg from 'pg';
import { config } from './config';
import { MIGRATIONS_DIR } from './migrations-dir';
import { logger } from './logger';
import { pgError } from './pg-error';

/**
 * Owner-side database setup: create the database, create the application's LOGIN role, run the
 * migrations. Everything here is idempotent and safe to run from several processes at once.
 */

export class MigrationError extends Error {
  readonly code = 'MIGRATION_FAILED';
  constructor(
    message: string,
    readonly migration: string | undefined,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** The group role the migrations grant to; the application's login role is made a member. */
export const WRITER_ROLE = 'tuopin_writer';

const adminDb = (url: string): Kysely<unknown> => new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });

const parseUrl = (url: string): URL => new URL(url.replace(/^postgres(ql)?:/, 'http:'));

/** The database name at the end of a postgres URL. */
export const databaseName = (url: string): string => decodeURIComponent(parseUrl(url).pathname.slice(1));

/** The same server and credentials, another database. */
export const withDatabase = (url: string, database: string): string => url.replace(/\/[A-Za-z0-9_]+(\?.*)?$/, `/${database}$1`);

/** The same server and database, another user (trust auth: no password). */
export const withUser = (url: string, user: string): string => {
  const u = parseUrl(url);
  return `postgres://${encodeURIComponent(user)}@${u.host}${u.pathname}${u.search}`;
};

const isDuplicate = (e: unknown): boolean => {
  const code = pgError(e).code;
  // 42P04 duplicate_database, 42710 duplicate_object, 23505 the catalog's unique index when two race.
  return code === '42P04' || code === '42710' || code === '23505';
};

/** Creates the database named in `adminUrl` if it is missing, connecting to the `postgres` database. */
export const ensureDatabase = async (adminUrl: string): Promise<void> => {
  const name = databaseName(adminUrl);
  const db = adminDb(withDatabase(adminUrl, 'postgres'));
  try {
    const found = await sql<{ one: number }>`SELECT 1 AS one FROM pg_database WHERE datname = ${name}`.execute(db);
    if (found.rows.length > 0) return;
    try {
      await sql`CREATE DATABASE ${sql.id(name)}`.execute(db);
      logger.info({ database: name }, 'database created');
    } catch (e) {
      if (!isDuplicate(e)) throw e;
    }
  } finally {
    await db.destroy();
  }
};

/**
 * Creates the application's LOGIN role if missing and makes it a member of the writer group.
 * Roles are cluster-wide; concurrent test databases race here, so duplicates are expected.
 */
export const ensureAppRole = async (db: Kysely<unknown>, role: string): Promise<void> => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new MigrationError(`application role name "${role}" is not a plain identifier`, undefined);
  for (const [name, statement] of [
    [role, sql`CREATE ROLE ${sql.id(role)} LOGIN`],
    [WRITER_ROLE, sql`CREATE ROLE ${sql.id(WRITER_ROLE)} NOLOGIN`],
  ] as const) {
    const found = await sql<{ one: number }>`SELECT 1 AS one FROM pg_roles WHERE rolname = ${name}`.execute(db);
    if (found.rows.length > 0) continue;
    try {
      await statement.execute(db);
    } catch (e) {
      if (!isDuplicate(e)) throw e;
    }
  }
  // Grant membership and a per-role default; concurrent grants can collide on the catalog row.
  for (let attempt = 0; ; attempt++) {
    try {
      const member = await sql<{ member: boolean }>`SELECT pg_has_role(${role}, ${WRITER_ROLE}, 'MEMBER') AS member`.execute(db);
      if (!member.rows[0]?.member) await sql`GRANT ${sql.id(WRITER_ROLE)} TO ${sql.id(role)}`.execute(db);
      await sql`ALTER ROLE ${sql.id(role)} SET idle_in_transaction_session_timeout = '10s'`.execute(db);
      return;
    } catch (e) {
      const code = pgError(e).code;
      if (attempt < 5 && (code === 'XX000' || code === '23505' || code === '40001')) continue;
      throw e;
    }
  }
};

/** What a migration file exports: Kysely's `up`/`down`, and the tables it rewrote, if any. */
interface MigrationModule {
  up(db: Kysely<unknown>): Promise<void>;
  down?(db: Kysely<unknown>): Promise<void>;
  /**
   * Tables the migration updated row by row: each such row leaves a dead version behind, which
   * every index scan then reads too until a vacuum. VACUUM cannot run inside the migration's
   * transaction, so the run vacuums these once the migrations have committed (autovacuum may be off,
   * or come much later).
   */
  vacuumAfter?: readonly string[];
}

const vacuumAfter = async (db: Kysely<unknown>, results: readonly MigrationResult[], loaded: ReadonlyMap<string, MigrationModule>, database: string): Promise<void> => {
  const tables = new Set(results.filter((r) => r.status === 'Success' && r.direction === 'Up').flatMap((r) => loaded.get(r.migrationName)?.vacuumAfter ?? []));
  for (const table of tables) {
    const started = Date.now();
    await sql`VACUUM (ANALYZE) ${sql.id(table)}`.execute(db);
    logger.info({ database, table, ms: Date.now() - started }, 'vacuumed after the migrations that rewrote it');
  }
};

/**
 * Runs every pending migration as the owner (the user in `adminUrl`), then makes sure the
 * application role (`appRole`, default the user of DATABASE_URL) exists and may use the store.
 */
export const runMigrations = async (adminUrl: string, appRole?: string): Promise<void> => {
  const db = adminDb(adminUrl);
  try {
    const role = appRole ?? parseUrl(config().DATABASE_URL).username;
    await ensureAppRole(db, decodeURIComponent(role));
    /** Each migration's module as the provider loaded it, for what it asks of the run after it (`vacuumAfter`). */
    const loaded = new Map<string, MigrationModule>();
    const migrator = new Migrator({
      db,
      // Several engineers add migrations at once; a database that ran a later-named one first must
      // still take the others. Each migration stands alone, so applying them out of order is safe.
      allowUnorderedMigrations: true,
      provider: new FileMigrationProvider({
        fs,
        path,
        migrationFolder: MIGRATIONS_DIR,
        import: async (file: string) => {
          // require, not import(): jest's CommonJS runtime and tsx both load .ts through it.
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const m = require(file) as MigrationModule;
          loaded.set(path.parse(file).name, m);
          return m;
        },
      }),
    });
    const { error, results } = await migrator.migrateToLatest();
    for (const r of results ?? []) {
      if (r.status === 'Error') logger.error({ migration: r.migrationName, database: databaseName(adminUrl) }, 'migration failed');
      else logger.debug({ migration: r.migrationName, database: databaseName(adminUrl) }, 'migration applied');
    }
    if (!error) {
      await vacuumAfter(db, results ?? [], loaded, databaseName(adminUrl));
      // Readiness checks (infra/health.ts) compare what ran with what the code carries, as the application role.
      await sql`GRANT SELECT ON kysely_migration TO ${sql.id(decodeURIComponent(role))}`.execute(db);
    }
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new MigrationError(`migration ${failed ?? '(setup)'} failed: ${error instanceof Error ? error.message : String(error)}`, failed, error);
    }
  } finally {
    await db.destroy();
  }
};
