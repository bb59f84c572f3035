import path from 'node:path';

/**
 * The migrations' folder, from the sources (infra/) and from the CLI's bundle (.build/) alike: each
 * is one folder below the checkout. `__dirname/migrations` was .build/migrations in the bundle, so a
 * worker started by `tuopin worker` never read ready (its migrations probe failed with ENOENT).
 */
export const MIGRATIONS_DIR = path.join(__dirname, '..', 'infra', 'migrations');
