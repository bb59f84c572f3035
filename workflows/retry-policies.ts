import type { RetryPolicy } from '@temporalio/common';

/**
 * How often a step's activity is tried before the step fails: bounded, so no step retries for
 * ever while it holds its process's step lock. A final store error (EventStoreInvalid: bad input,
 * text the database refuses) is not retried at all; what is retried is what may heal (a lost
 * connection, a database restarting). 100 attempts at most 10 s apart is about 16 minutes.
 */
export const STORE_STEP_MAX_ATTEMPTS = 100;

/** The rail: 60 attempts at most 30 s apart, about half an hour; its status is asked before each submit. */
export const RAIL_MAX_ATTEMPTS = 60;

/** Retries of an activity on the store; `final` names the failure types never retried. */
export const storeRetry = (final: readonly string[]): RetryPolicy => ({
  initialInterval: '500 ms',
  maximumInterval: '10 seconds',
  maximumAttempts: STORE_STEP_MAX_ATTEMPTS,
  nonRetryableErrorTypes: [...final],
});

export const railRetry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: RAIL_MAX_ATTEMPTS };

/** A local activity that only reads: a few tries within the workflow task, then the step hears the failure. */
export const readRetry: RetryPolicy = { initialInterval: '200 ms', maximumInterval: '5 seconds', maximumAttempts: 10 };
