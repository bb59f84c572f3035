import type { Client } from '@temporalio/client';
import type { Config } from '../../infra/config';
import { createDb } from '../../infra/database';
import { connectTemporal } from '../../infra/temporal-client';
import { usageRefusal } from '../args';
import { runGenerate, runImport, runRecords, runRegister } from './exit-registry';
import { runRound } from './exit-round';
import { runIdentify, runRemove } from './exit-identify';
import { runProgress } from './exit-progress';
import { runVillage } from './exit-village';
import { runCounty } from './exit-county';
import { runReview } from './exit-review';

/** `tuopin exit …`: registration (the 2015 baseline), identification rounds (识别), removals (动态调整), yearly records, exit rounds, village and county exits, return reviews, progress, the synthetic generator. */
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
    if (verb === 'identify') return await runIdentify(rest[0], rest.slice(1), db, temporal, cfg, out);
    if (verb === 'remove') return await runRemove(rest[0], rest.slice(1), db, cfg, out);
    if (verb === 'round') return await runRound(rest[0], rest.slice(1), temporal, cfg, out);
    if (verb === 'village') return await runVillage(rest[0], rest.slice(1), db, temporal, cfg, out);
    if (verb === 'county') return await runCounty(rest[0], rest.slice(1), temporal, cfg, out);
    if (verb === 'review') return await runReview(rest[0], rest.slice(1), temporal, cfg, out);
    throw usageRefusal('tuopin exit');
  } finally {
    await db.destroy();
    await client?.connection.close();
  }
};
