import { readdirSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { Database } from './database';
import { MIGRATIONS_DIR } from './migrations-dir';

/**
 * Liveness and readiness. Alive: the process answers (`/healthz`). Ready (`/readyz`): every service
 * this process uses answers within a short time and the database carries every migration this code
 * knows; a load balancer or an orchestrator sends traffic only to a ready process.
 */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail?: string;
}

export interface Readiness {
  readonly ready: boolean;
  readonly checks: readonly Check[];
}

export type Probe = () => Promise<string | void>;

const TIMEOUT_MS = 2_000;

const run = async (name: string, probe: Probe): Promise<Check> => {
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { name, ok: true, ms: Date.now() - t0, ...(detail ? { detail } : {}) };
  } catch (e) {
    return { name, ok: false, ms: Date.now() - t0, detail: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
};

export const readiness = async (probes: Readonly<Record<string, Probe>>): Promise<Readiness> => {
  const checks = await Promise.all(Object.entries(probes).map(([name, probe]) => run(name, probe)));
  return { ready: checks.every((c) => c.ok), checks };
};

/** The migrations this code carries, by name (what kysely records in kysely_migration). */
const knownMigrations = (): string[] =>
  readdirSync(MIGRATIONS_DIR)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.includes('.spec.'))
    .map((f) => f.replace(/\.(ts|js)$/, ''));

/** PostgreSQL answers, and has run every migration this code knows. */
export const postgresProbes = (db: Kysely<Database>): Record<string, Probe> => ({
  postgres: async () => {
    await sql`SELECT 1`.execute(db);
  },
  migrations: async () => {
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
    const applied = new Set(rows.map((r) => r.name));
    const missing = knownMigrations().filter((m) => !applied.has(m));
    if (missing.length > 0) throw new Error(`${missing.length} migration(s) not applied: ${missing.slice(0, 3).join(', ')}`);
    return `${applied.size} applied`;
  },
});

/** The Temporal frontend answers a call (its system info) within the timeout. */
export const temporalProbe = async (connection: { readonly workflowService: { getSystemInfo(r: object): Promise<{ serverVersion?: string | null }> } }): Promise<string> => {
  const info = await connection.workflowService.getSystemInfo({});
  return `server ${info.serverVersion ?? 'unknown'}`;
};

/** NATS is connected and answers a round trip. */
export const natsProbe = async (nc: { isClosed(): boolean; flush(): Promise<void> }): Promise<void> => {
  if (nc.isClosed()) throw new Error('connection closed');
  await nc.flush();
};
