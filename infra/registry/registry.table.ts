import type { ColumnType, Generated } from 'kysely';

/** The duplicate index: a salted key per registered person, and the household holding them. */
export interface HouseholdMemberKeysTable {
  member_key: string;
  household_id: string;
  registered_at: Generated<Date>;
  /** The claiming import's session lock (register.ts#CLAIM_LOCK_CLASS); null for claims older than it or made by an identification round. */
  claim_lock: ColumnType<number | null, number | null | undefined, number | null>;
}

/** One re-visit of a provincial check's third-party sample, and what it found. */
export interface CountyCheckFindingsTable {
  county_id: string;
  check_id: string;
  sample_id: string;
  /** 'exited' (a household that exited) or 'non-registered' (a rural household never registered). */
  kind: string;
  household_id: string | null;
  finding: string;
  detail: string;
  seed: string;
  recorded_at: Generated<Date>;
}

export interface ExitProgressTable {
  kind: string;
  id: string;
  county_id: string;
  exit_year: number;
  member_count: number;
  returned: boolean;
  last_event_position: ColumnType<string, number | string, number | string>;
}
