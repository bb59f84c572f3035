import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Context, Info } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { logger as rootLogger, type Logger } from '../infra/logger';
import { stuckStepAttempts } from '../infra/metrics';
import { recordStuckStep, type StuckStepAttempt, type StuckStepKey } from '../infra/operations/stuck-steps';

/**
 * From this attempt on an activity is stuck: an ordinary hiccup (a lost connection, a conflict
 * retried) is over within a few attempts, so a fifth means something needs a person. Retries go
 * on up to the step's bound (workflows/retry-policies.ts); each attempt from here is logged as an
 * error naming the workflow, the activity and the attempt, counted, and recorded in `stuck_steps`,
 * which GET /anomalies lists as `step-stuck`.
 */
export const STUCK_AFTER_ATTEMPTS = 5;

/** Whether this failure ends the step: not retried by its type or flag, or the last attempt its policy allows. */
const endsTheStep = (err: unknown, info: Info): boolean => {
  const max = info.retryPolicy?.maximumAttempts ?? 0;
  if (max > 0 && info.attempt >= max) return true;
  if (err instanceof ApplicationFailure) return err.nonRetryable === true || (info.retryPolicy?.nonRetryableErrorTypes ?? []).includes(err.type ?? '');
  return err instanceof Error && (info.retryPolicy?.nonRetryableErrorTypes ?? []).includes(err.name);
};

/** What the step works on, where its input names it (every store activity's input carries `countyId`). */
const subjectOf = (arg: unknown): Pick<StuckStepKey, 'countyId' | 'projectId' | 'fundId' | 'householdId'> => {
  const o = arg !== null && typeof arg === 'object' ? (arg as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const actor = o.actor !== null && typeof o.actor === 'object' ? (o.actor as Record<string, unknown>) : {};
  return { countyId: text(o.countyId) ?? text(actor.countyId), projectId: text(o.projectId), fundId: text(o.fundId), householdId: text(o.householdId) };
};

const errorOf = (err: unknown): { type: string; message: string } =>
  err instanceof ApplicationFailure
    ? { type: err.type ?? 'ApplicationFailure', message: err.message }
    : err instanceof Error
      ? { type: err.name, message: err.message }
      : { type: typeof err, message: String(err) };

export interface StuckStepDeps {
  /** Where stuck steps are recorded; without it (a unit test) they are only logged and counted. */
  readonly db?: Kysely<Database>;
  readonly logger?: Logger;
}

/**
 * Surfaces a step whose activity keeps failing: from the fifth attempt, and on a failure that
 * ends the step after retries (the bound reached). A step refused at once (a final failure before
 * the fifth attempt) is a refusal its workflow hears, not a stuck step.
 */
export const stuckStepInterceptor =
  ({ db, logger = rootLogger }: StuckStepDeps = {}): ActivityInterceptorsFactory =>
  (ctx: Context) => {
    const inbound: ActivityInboundCallsInterceptor = {
      execute: async (input, next) => {
        const { info } = ctx;
        const stuck = info.attempt >= STUCK_AFTER_ATTEMPTS;
        const wf = info.workflowExecution;
        const where = { workflowId: wf?.workflowId, runId: wf?.runId, activityType: info.activityType, activityId: info.activityId, attempt: info.attempt };
        const maxAttempts = info.retryPolicy?.maximumAttempts ? info.retryPolicy.maximumAttempts : null;
        const record = async (a: Omit<StuckStepAttempt, 'attempt' | 'maxAttempts'>) => {
          if (!db || !wf) return;
          const key: StuckStepKey = { workflowId: wf.workflowId, runId: wf.runId, activityId: info.activityId, activityType: info.activityType, ...subjectOf(input.args[0]) };
          try {
            await recordStuckStep(db, key, { ...a, attempt: info.attempt, maxAttempts });
          } catch (err) {
            // The database refuses even this: the log line and the counter are what is left to see it by.
            logger.error({ ...where, err }, 'stuck step could not be recorded in stuck_steps');
          }
        };
        if (stuck) {
          stuckStepAttempts.inc({ activity: info.activityType });
          logger.error(where, 'step stuck: its activity is still failing');
          await record({ state: 'retrying' });
        }
        try {
          const result = await next(input);
          if (stuck) await record({ state: 'recovered' });
          return result;
        } catch (err) {
          const ends = endsTheStep(err, info);
          if (stuck) logger.error({ ...where, err, ends }, ends ? 'stuck step failed: the step fails' : 'stuck step failed again');
          // The bound reached below the fifth attempt (a short policy) is a stuck step too.
          if (stuck || (ends && maxAttempts !== null && info.attempt >= maxAttempts && info.attempt > 1))
            await record({ state: ends ? 'failed' : 'retrying', error: errorOf(err) });
          throw err;
        }
      },
    };
    return { inbound };
  };
