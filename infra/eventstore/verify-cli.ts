import { config } from '../config';
import { createDb } from '../database';
import { logger } from '../logger';
import { verify } from './verify';

/**
 * `npx tsx infra/eventstore/verify-cli.ts [database-url]`: recomputes every hash chain and prints
 * the report as JSON; exits 1 if any link is broken, 2 if the check could not run.
 */
const main = async (): Promise<number> => {
  const url = process.argv[2] ?? config().DATABASE_URL;
  const db = createDb(url, { max: 1, applicationName: 'tuopin-verify' });
  try {
    const report = await verify(db);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (!report.ok) logger.error({ firstBroken: report.firstBroken, broken: report.broken }, 'event store verification failed');
    return report.ok ? 0 : 1;
  } finally {
    await db.destroy();
  }
};

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    logger.error({ err: e }, 'verification could not run');
    process.exit(2);
  },
);
