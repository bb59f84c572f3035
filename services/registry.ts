import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { importHouseholdFile, registerHousehold, type ImportInput, type ImportResult } from '../infra/registry/register';
import { recordYearly, type YearlyResult, type YearlyRow } from '../infra/registry/yearly-records';
import { parseImportFile } from '../infra/registry/file-format';
import { loadHouseholds } from '../infra/registry/household-batch';
import type { Actor } from '../domain/shared/actor';
import type { HouseholdState } from '../domain/household';
import { startReturnReview } from './return-reviews';
import type { Started } from './exit-workflows';
import { UpdateRefused } from './errors';

/** 建档立卡 from one village's or county's file, all or nothing (RegistryError names line and field). */
export const importRegistryFile = (db: Kysely<Database>, input: ImportInput): Promise<ImportResult> => importHouseholdFile(db, input);

/**
 * The counties a file's rows say they belong to, for the caller's scope check before the import
 * (a malformed file is refused here as the import would refuse it, naming line and field).
 */
export const countiesOfFile = (name: string, text: string): string[] => [
  ...new Set(
    parseImportFile(name, text)
      .map((r) => (r.value as { countyId?: unknown } | null)?.countyId)
      .filter((c): c is string => typeof c === 'string'),
  ),
];

/** One household through the same checks as a file's rows. */
export const registerOneHousehold = (db: Kysely<Database>, data: unknown, input: { actor: Actor; salt: string; idKey?: Buffer; countyId?: string }): Promise<ImportResult> =>
  registerHousehold(db, data, input);

export interface RecordsOutcome extends YearlyResult {
  /** One return review per flagged household, started (or found started) for the year of its record. */
  readonly reviews: readonly (Started & { readonly householdId: string; readonly year: number })[];
}

/**
 * The year's income and guarantees (records updated every year). A household the monitoring flags
 * gets its return-to-poverty review started at once.
 */
export const recordYearlyRecords = async (
  db: Kysely<Database>,
  client: () => Promise<Client>,
  input: { records: readonly YearlyRow[]; actor: Actor; exitTaskQueue: string; noticeSeconds: number },
): Promise<RecordsOutcome> => {
  const r = await recordYearly(db, input.records, { actor: input.actor });
  const reviews: RecordsOutcome['reviews'][number][] = [];
  if (r.flagged.length === 0) return { ...r, reviews };
  const c = await client();
  for (const householdId of r.flagged) {
    const year = Math.max(...input.records.filter((x) => x.householdId === householdId).map((x) => x.year));
    // A review is one per household and year, whoever's records flagged it: the first start stands.
    const started = await startReturnReview(c, input.exitTaskQueue, { householdId, year, noticeSeconds: input.noticeSeconds }, `records-${householdId}-${year}`).catch(
      (e: unknown) => {
        if (e instanceof UpdateRefused && e.refusal.code === 'EXIT_PROCESS_RUNNING')
          return { workflowId: String(e.refusal.details?.workflowId), runId: String(e.refusal.details?.runId ?? ''), repeated: true };
        throw e;
      },
    );
    reviews.push({ ...started, householdId, year });
  }
  return { ...r, reviews };
};

/** What the register says of a household now: its status and file, never its members' ID numbers (the state holds none). */
export type HouseholdView = Exclude<HouseholdState, { status: 'unregistered' }> & { readonly householdId: string; readonly version: number };

export const householdView = async (db: Kysely<Database>, householdId: string): Promise<HouseholdView | null> => {
  const loaded = (await loadHouseholds(db, [householdId])).get(householdId)!;
  if (loaded.state.status === 'unregistered') return null;
  return { ...loaded.state, householdId, version: loaded.version };
};
