import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Context } from '@temporalio/activity';
import { logger as rootLogger, type Logger } from '../infra/logger';

/**
 * From this attempt on an activity is stuck: an ordinary hiccup (a lost connection, a conflict
 * retried) is over within a few attempts, so a fifth means something needs a person. Retries go
 * on up to the step's bound (workflows/retry-policies.ts); each attempt from here is logged as an
 * error naming the workflow, the activity and the attempt, and counted.
 */
export const STUCK_AFTER_ATTEMPTS = 5;

const stuck = new Map<string, number>();

/** Attempts made by stuck activities in this worker, by activity type: a metric for whoever scrapes it (and the tests). */
export const stuckStepCounts = (): Readonly<Record<string, number>> => Object.fromEntries(stuck);

/** Marks a stuck attempt before it runs, and the failure it ends with (the last one before the bound makes the step fail). */
export const stuckStepInterceptor =
  (logger: Logger = rootLogger): ActivityInterceptorsFactory =>
  (ctx: Context) => {
    const inbound: ActivityInboundCallsInterceptor = {
      execute: async (input, next) => {
        const { info } = ctx;
        if (info.attempt < STUCK_AFTER_ATTEMPTS) return next(input);
        stuck.set(info.activityType, (stuck.get(info.activityType) ?? 0) + 1);
        const where = {
          workflowId: info.workflowExecution?.workflowId,
          runId: info.workflowExecution?.runId,
          activityType: info.activityType,
          activityId: info.activityId,
          attempt: info.attempt,
        };
        logger.error({ ...where, stuckAttempts: stuck.get(info.activityType) }, 'step stuck: its activity is still failing');
        try {
          return await next(input);
        } catch (err) {
          logger.error({ ...where, err }, 'stuck step failed again');
          throw err;
        }
      },
    };
    return { inbound };
  };
