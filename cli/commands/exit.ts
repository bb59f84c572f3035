import type { Client } from '@temporalio/client';
import type { Config } from '../../infra/config';
import { createDb } from '../../infra/database';
import { connectTemporal } from '../../infra/temporal-client';
import { CliError } from '../args';
import { runGenerate, runImport, runRecords, runRegister } from './exit-registry';
import { runRound } from './exit-round';
import { runProgress } from './exit-progress';
import { runVillage } from './exit-village';
import { runCounty } from './exit-county';
import { runReview } from './exit-review';

export const EXIT_USAGE = `  tuopin exit import     --as <user> --role county-official --county <c> --path <file.csv|file.json|dir>
  tuopin exit register   --as <user> --role county-official --county <c> --data <json|@file>
  tuopin exit records    --as <user> --role work-team --county <c> --file <records.json> [--notice-days 5]
  tuopin exit round start --village <id> --year <yyyy> --as <user> --role work-team --county <c> [--notice-days 7]
  tuopin exit round step  --village <id> --year <yyyy> --step <appraise|check|consent|postNotice|object|townshipReview|announce> --as … --role … [--data <json>]
  tuopin exit round status --village <id> --year <yyyy>
  tuopin exit village register --village <id> --as <user> --role county-official --county <c> [--registered-year 2015]
  tuopin exit village start --village <id> --year <yyyy> --rural-population <n> --checklist <json|@file> --as <user> --role township-official --county <c> [--notice-days 7]
  tuopin exit village step  --village <id> --year <yyyy> --step <review|object|announce> --as … --role … [--data <json>]
  tuopin exit village status --village <id> --year <yyyy>
  tuopin exit county start --of <c> --year <yyyy> --rural-population <n> --non-registered-households <n> --city-office <user> --as <user> --role county-official --county <c> [--notice-days 7]
  tuopin exit county step  --of <c> --year <yyyy> --step <cityPreCheck|provincialCheck|object|announce> --as … --role … [--data <json>]
  tuopin exit county status --of <c> --year <yyyy>
  tuopin exit review start --household <id> --year <yyyy> --as <user> --role <work-team|township-official|county-official> --county <c> [--notice-days 5]
  tuopin exit review step  --household <id> --year <yyyy> --step <visit|postNotice|decide> --as … --role … [--data <json>]
  tuopin exit review status --household <id> --year <yyyy>
  tuopin exit progress   [--county <c>] [--year <yyyy>]
  tuopin exit generate   --county <c|city> --out <dir> [--format csv|json] [--seed s] [--scale 1/10]`;

/** `tuopin exit …`: registration, yearly records, exit rounds, village and county exits, return reviews, progress, the synthetic generator. */
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
    if (verb === 'village') return await runVillage(rest[0], rest.slice(1), db, temporal, cfg, out);
    if (verb === 'county') return await runCounty(rest[0], rest.slice(1), await temporal(), cfg, out);
    if (verb === 'review') return await runReview(rest[0], rest.slice(1), await temporal(), cfg, out);
    throw new CliError('CLI_USAGE', `usage:\n${EXIT_USAGE}`);
  } finally {
    await db.destroy();
    await client?.connection.close();
  }
};
