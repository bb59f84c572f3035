import type { ColumnType, Generated } from 'kysely';

type Int8 = ColumnType<string, number | string, number | string>;

/** A step whose activity kept failing (infra/migrations/20261206130000_stuck_steps.ts): an operations row, mutable. */
export interface StuckStepsTable {
  workflow_id: string;
  run_id: string;
  activity_id: string;
  activity_type: string;
  county_id: string | null;
  project_id: string | null;
  fund_id: string | null;
  household_id: string | null;
  /** 'retrying' (still being tried), 'failed' (retries exhausted or a final failure: the step failed), 'recovered' (it succeeded later). */
  state: StuckStepState;
  attempts: number;
  max_attempts: number | null;
  error_type: string | null;
  error_message: string | null;
  first_at: Generated<Date>;
  last_at: Generated<Date>;
  /** The store's head when the step was first seen stuck: its place among the anomalies. */
  position: Int8;
}

export type StuckStepState = 'retrying' | 'failed' | 'recovered';
