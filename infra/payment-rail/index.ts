import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../database';
import { parseSwitches, RailConfigError, type SwitchRule } from './switches';
import { TreasuryLedgerRail } from './treasury-ledger';

export * from './rail';
export { RailSwitches, parseSwitches, RailConfigError, DEFAULT_FAIL_CODE, type RailSwitch, type RailSwitchKind, type SwitchRule } from './switches';
export { TreasuryLedgerRail, LEDGER_REJECTIONS, type TreasuryLedgerOptions } from './treasury-ledger';
export { openAccount, credit, balanceOf, trialBalance, railDb, LedgerError, type CreditInput, type TrialBalance, type RailDb } from './ledger-accounts';
export type { RailTables } from './rail.table';

/** The rail's settings, read only by the process that builds the rail (a worker, the rail CLI). */
const envSchema = z.object({
  /** Standing switches for demos, e.g. `timeout*1@^wf-demo-`; see README.md. */
  TUOPIN_RAIL_SWITCHES: z.string().optional(),
  /** How long a caller waits for the rail's answer before RAIL_TIMEOUT. */
  TUOPIN_RAIL_DEADLINE_MS: z.coerce.number().int().min(1).max(600_000).default(2_000),
});

export const railOptionsFromEnv = (env: Record<string, string | undefined> = process.env): { switches: SwitchRule[]; deadlineMs: number } => {
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('TUOPIN_RAIL_') && v !== undefined && v !== ''));
  const r = envSchema.safeParse(present);
  if (!r.success) throw new RailConfigError(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return { switches: parseSwitches(r.data.TUOPIN_RAIL_SWITCHES), deadlineMs: r.data.TUOPIN_RAIL_DEADLINE_MS };
};

/** The built-in rail over the application's connection, switched from the environment. */
export const createTreasuryLedgerRail = (db: Kysely<Database>, env: Record<string, string | undefined> = process.env): TreasuryLedgerRail =>
  new TreasuryLedgerRail({ db, ...railOptionsFromEnv(env) });
