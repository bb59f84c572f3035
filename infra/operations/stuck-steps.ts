import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import type { StuckStepState } from './stuck-steps.table';

/** Which step of which process, and what it works on (read from the activity's input, where it names them). */
export interface StuckStepKey {
  readonly workflowId: string;
  readonly runId: string;
  readonly activityId: string;
  readonly activityType: string;
  readonly countyId: string | null;
  readonly projectId: string | null;
  readonly fundId: string | null;
  readonly householdId: string | null;
}

export interface StuckStepAttempt {
  readonly state: StuckStepState;
  readonly attempt: number;
  readonly maxAttempts: number | null;
  readonly error?: { readonly type: string; readonly message: string } | undefined;
}

/** An error message kept on the row: enough to see what failed, bounded. */
const bounded = (s: string): string => (s.length > 500 ? `${s.slice(0, 499)}…` : s);

/**
 * Records an attempt of a stuck step: the first one inserts the row (placed at the store's head
 * then), later ones move its attempt count, state and last error. A plain statement on the
 * worker's pool, outside the append that keeps failing, so it goes in whatever that append hits
 * (only a database that accepts nothing at all stops it, and then the log line and the counter
 * still say so).
 */
export const recordStuckStep = async (db: Kysely<Database>, key: StuckStepKey, a: StuckStepAttempt): Promise<void> => {
  const error = a.error ? { type: bounded(a.error.type), message: bounded(a.error.message) } : undefined;
  await sql`
    INSERT INTO stuck_steps (workflow_id, run_id, activity_id, activity_type, county_id, project_id, fund_id, household_id,
                             state, attempts, max_attempts, error_type, error_message, position)
    VALUES (${key.workflowId}, ${key.runId}, ${key.activityId}, ${key.activityType}, ${key.countyId}, ${key.projectId}, ${key.fundId}, ${key.householdId},
            ${a.state}, ${a.attempt}, ${a.maxAttempts}, ${error?.type ?? null}, ${error?.message ?? null},
            (SELECT coalesce(max(position), 0) FROM events))
    ON CONFLICT (workflow_id, run_id, activity_id) DO UPDATE SET
      state = EXCLUDED.state,
      attempts = greatest(stuck_steps.attempts, EXCLUDED.attempts),
      max_attempts = EXCLUDED.max_attempts,
      error_type = coalesce(EXCLUDED.error_type, stuck_steps.error_type),
      error_message = coalesce(EXCLUDED.error_message, stuck_steps.error_message),
      last_at = now()`.execute(db);
};
