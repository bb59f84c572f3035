import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../database';
import { TreasuryLedgerRail } from './treasury-ledger';

export * from './rail';
export { RailSwitches, parseSwitches, RailConfigError, DEFAULT_FAIL_CODE, type RailSwitch, type RailSwitchKind, type SwitchRule } from './switches';
export { TreasuryLedgerRail, LEDGER_REJECTIONS, type TreasuryLedgerOptions } from './treasury-ledger';
export { openAccount, credit, balanceOf, trialBalance, railDb, LedgerError, type CreditInput, type TrialBalance, type RailDb } from './ledger-accounts';
export type { RailTables } from './rail.table';

/** The built-in rail over the application's connection, switched by the configuration (TUOPIN_RAIL_*). */
export const createTreasuryLedgerRail = (db: Kysely<Database>, cfg: Pick<Config, 'TUOPIN_RAIL_SWITCHES' | 'TUOPIN_RAIL_DEADLINE_MS'>): TreasuryLedgerRail =>
  new TreasuryLedgerRail({ db, switches: cfg.TUOPIN_RAIL_SWITCHES, deadlineMs: cfg.TUOPIN_RAIL_DEADLINE_MS });
