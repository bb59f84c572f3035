import type { Client } from '@temporalio/client';
import type { Config } from '../../infra/config';
import { createDb } from '../../infra/database';
import { connectTemporal } from '../../infra/temporal-client';
import { CliError } from '../args';
import { runGenerate, runImport, runRecords, runRegister } from './exit-registry';
import { runRound } from './exit-round';
import { runProgress } from './exit-progress';

export const EXIT_USAGE = `  tuopin exit import     --as <user> --role county-official --county <c> --path <file.csv|file.json|dir>
  tuopin exit register   --as <user> --role county-official --county <c> --data <json|@file>
  tuopin exit records    --as <user> --role work-team --county <c> --file <records.json> [--notice-days 5]
  tuopin exit round start --village <id> --year <yyyy> --as <user> --role work-team --county <c> [--notice-days 7]
  tuopin exit round step  --village <id> --year <yyyy> --step <appraise|check|consent|postNotice|object|townshipReview|announce> --as … --role … [--data <json>]
  tuopin exit round status --village <id> --year <yyyy>
  tuopin exit progress   [--county <c>]
  tuopin exit generate   --county <c|city> --out <dir> [--format csv|json] [--seed s] [--scale 1/10]`;

/** `tuopin exit …`: registration, yearly records, exit rounds, progress, the synthetic generator. */
export const runExit = async (verb: string | undefined, rest: string[], cfg: Config, out: (line?: string) => void): Promise<void> => {
  if (verb === 'generate') return runGenerate(rest, out);
  let client: Client | undefined;
  const temporal = async () => (client ??= await connectTemporal(cfg));
  const db = createDb(cfg.DATABASE_URL, { max: 2, applicationName: 'tuopin-cli' });
  try {
    if (verb === 'import') return await runImport(rest, db, cfg, out);
    if (verb === 'register') return await runRegister(rest, db, cfg, out);
    if (verb === 'records') return await runRecords(rest, db, temporal, cfg, out);
    if (verb === 'progress') return await runProgress(rest, db, out);
    if (verb === 'round') return await runRound(rest[0], rest.slice(1), await temporal(), cfg, out);
    throw new CliError('CLI_USAGE', `usage:\n${EXIT_USAGE}`);
  } finally {
    await db.destroy();
    await client?.connection.close();
  }
};
