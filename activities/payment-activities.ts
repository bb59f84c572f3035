import { ApplicationFailure, Context } from '@temporalio/activity';
import { logger as rootLogger, type Logger } from '../infra/logger';
import { paymentOutcomes, railLatency } from '../infra/metrics';
import {
  parseIdempotencyKey,
  parseInstruction,
  PaymentRailError,
  type ConfirmedPayment,
  type PaymentInstruction,
  type PaymentRail,
  type PaymentStatus,
} from '../infra/payment-rail/rail';

// Workflows import activity modules by type only, and may not import infra/: the port's types are re-exported here.
export type { ConfirmedPayment, PaymentInstruction, PaymentStatus } from '../infra/payment-rail/rail';

/**
 * `ApplicationFailure.type` values a workflow can see from these activities. A rejection's type is
 * the rail's own code (INSUFFICIENT_FUNDS, ACCOUNT_NOT_FOUND, a bank's code…) with details
 * `[{ kind: 'PAYMENT_REJECTED', … }]`, so the workflow can tell "the rail said no" from the rest.
 *
 * Retryable: RAIL_TIMEOUT, RAIL_UNAVAILABLE, PAYMENT_PENDING (the next attempt asks status first).
 * Not retryable: PAYMENT_KEY_REUSED, INSTRUCTION_INVALID, a rejection.
 */
export type PaymentFailureType = 'RAIL_TIMEOUT' | 'RAIL_UNAVAILABLE' | 'PAYMENT_PENDING' | 'PAYMENT_KEY_REUSED' | 'INSTRUCTION_INVALID' | (string & {});

export interface PaymentRejectedDetails {
  readonly kind: 'PAYMENT_REJECTED';
  readonly idempotencyKey: string;
  readonly instructionId: string;
  readonly code: string;
  readonly reason: string;
}

/** One key's answer in a batch: the rail confirmed it, or refused it for good. */
export type BatchPayment =
  | { readonly idempotencyKey: string; readonly ok: true; readonly payment: ConfirmedPayment }
  | { readonly idempotencyKey: string; readonly ok: false; readonly rejected: PaymentRejectedDetails };

/** Ids that let a log line be followed from the workflow to the rail and back; no personal data. */
export interface PaymentTrace {
  readonly correlationId?: string;
  readonly causationId?: string;
}

export interface PaymentActivityDeps {
  readonly rail: PaymentRail;
  /** How long one attempt waits on a pending payment before handing it back to Temporal's retries. */
  readonly pendingWaitMs?: number;
  readonly pendingPollMs?: number;
  readonly logger?: Logger;
}

const asRailFailure = (e: unknown): unknown => {
  if (!(e instanceof PaymentRailError)) return e; // a lost connection and the like: Temporal retries it as is
  const details = [{ code: e.code, ...(e.field ? { field: e.field } : {}), ...e.details }];
  return e.retryable ? ApplicationFailure.retryable(e.message, e.code, ...details) : ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true, details });
};

const rejected = (key: string, s: Extract<PaymentStatus, { state: 'rejected' }>): ApplicationFailure => {
  const details: PaymentRejectedDetails = { kind: 'PAYMENT_REJECTED', idempotencyKey: key, instructionId: s.instructionId, code: s.code, reason: s.reason };
  return ApplicationFailure.create({ type: s.code, message: `payment ${key} rejected by the rail: ${s.code}: ${s.reason}`, nonRetryable: true, details: [details] });
};

const activityLog = (base: Logger, key: string, trace: PaymentTrace | undefined): Logger => {
  const { info } = Context.current();
  return base.child({
    component: 'payment-activities',
    idempotencyKey: key,
    workflowId: info.workflowExecution?.workflowId,
    runId: info.workflowExecution?.runId,
    activityId: info.activityId,
    attempt: info.attempt,
    ...(trace?.correlationId ? { correlationId: trace.correlationId } : {}),
    ...(trace?.causationId ? { causationId: trace.causationId } : {}),
  });
};

/** A rail call, its time observed by call kind. */
const timed = async <T>(call: 'status' | 'submit', f: () => Promise<T>): Promise<T> => {
  const end = railLatency.startTimer({ call });
  try {
    return await f();
  } finally {
    end();
  }
};

export const createPaymentActivities = ({ rail, pendingWaitMs = 5_000, pendingPollMs = 250, logger = rootLogger }: PaymentActivityDeps) => {
  /** Polls a pending payment within this attempt, heartbeating so a cancellation reaches the sleep. */
  const waitWhilePending = async (key: string, first: PaymentStatus, log: Logger): Promise<PaymentStatus> => {
    const ctx = Context.current();
    const until = Date.now() + pendingWaitMs;
    let s = first;
    for (let polls = 1; s.state === 'pending' && Date.now() < until; polls++) {
      ctx.heartbeat({ idempotencyKey: key, polls });
      await ctx.sleep(pendingPollMs);
      s = await rail.status(key);
    }
    if (s.state === 'pending') log.info({ instructionId: s.instructionId }, 'payment still pending; handing back to retry');
    return s;
  };

  return {
    /**
     * Pays once, however often it is retried: asks the rail for the key's status FIRST, and submits
     * only a key the rail has never seen. After RAIL_TIMEOUT the transfer may have gone through;
     * the retry finds it confirmed and returns it instead of paying again.
     *
     * A confirmed key is trusted without comparing content (the port's `status` carries none):
     * the key is derived from workflow id + step, whose instruction the workflow's history fixes.
     */
    async payThroughRail(input: PaymentInstruction, trace?: PaymentTrace, known?: PaymentStatus): Promise<ConfirmedPayment> {
      let instruction: PaymentInstruction;
      try {
        instruction = parseInstruction(input);
      } catch (e) {
        throw asRailFailure(e);
      }
      const key = instruction.idempotencyKey;
      const log = activityLog(logger, key, trace);
      try {
        // `known`: the status the caller asked for this key just before (a payment's one activity), not asked twice; a submit of a key the rail knows answers with its row.
        let s = known ?? (await timed('status', () => rail.status(key)));
        if (s.state === 'unknown') {
          log.info({ amount: instruction.amount, fromAccount: instruction.fromAccount }, 'submitting payment to the rail');
          s = await timed('submit', () => rail.submit(instruction));
        } else {
          log.info({ state: s.state }, 'rail already knows this payment; not submitting again');
        }
        if (s.state === 'pending') s = await waitWhilePending(key, s, log);
        paymentOutcomes.inc({ outcome: s.state === 'unknown' ? 'failed' : s.state });
        switch (s.state) {
          case 'confirmed':
            log.info({ instructionId: s.instructionId, transferId: s.transferId }, 'payment confirmed');
            return s;
          case 'rejected':
            log.warn({ instructionId: s.instructionId, code: s.code }, 'payment rejected by the rail');
            throw rejected(key, s);
          case 'pending':
            throw ApplicationFailure.retryable(`payment ${key} is still pending at the rail`, 'PAYMENT_PENDING', { idempotencyKey: key, instructionId: s.instructionId });
          case 'unknown':
            // Only a broken rail forgets a key it was just given; retrying asks status again.
            throw ApplicationFailure.retryable(`the rail does not know payment ${key} right after accepting it`, 'RAIL_UNAVAILABLE', { idempotencyKey: key });
        }
      } catch (e) {
        if (e instanceof PaymentRailError) {
          paymentOutcomes.inc({ outcome: 'failed' });
          log.warn({ code: e.code, retryable: e.retryable }, 'payment rail call failed');
        }
        throw asRailFailure(e);
      }
    },

    /**
     * `payThroughRail` for a batch (one round's households): the rail is asked every key's status
     * first, in one call, and only the keys it has never seen are submitted, in one batch; a pending
     * one is polled as above. Each key's answer is its own: confirmed, or rejected (the
     * `PAYMENT_REJECTED` details). A timeout, an outage or a payment still pending fails the whole
     * call, retryable: the next attempt asks status again and pays nobody twice.
     */
    async payBatchThroughRail(inputs: readonly PaymentInstruction[], trace?: PaymentTrace): Promise<BatchPayment[]> {
      let instructions: PaymentInstruction[];
      try {
        instructions = inputs.map((i) => parseInstruction(i));
      } catch (e) {
        throw asRailFailure(e);
      }
      if (instructions.length === 0) return [];
      const keys = instructions.map((i) => i.idempotencyKey);
      const log = activityLog(logger, keys[0]!, trace).child({ batch: keys.length });
      try {
        const known = await timed('status', () => rail.statuses(keys));
        const unknown = instructions.filter((_, i) => known[i]!.state === 'unknown');
        const submitted = unknown.length > 0 ? await timed('submit', () => rail.submitBatch(unknown)) : [];
        const answers = new Map(unknown.map((u, i) => [u.idempotencyKey, submitted[i]!]));
        const out = await Promise.all(
          instructions.map(async (ins, i): Promise<BatchPayment> => {
            let s = answers.get(ins.idempotencyKey) ?? known[i]!;
            if (s.state === 'pending') s = await waitWhilePending(ins.idempotencyKey, s, log);
            paymentOutcomes.inc({ outcome: s.state === 'unknown' ? 'failed' : s.state });
            switch (s.state) {
              case 'confirmed':
                return { idempotencyKey: ins.idempotencyKey, ok: true, payment: s };
              case 'rejected':
                return {
                  idempotencyKey: ins.idempotencyKey,
                  ok: false,
                  rejected: { kind: 'PAYMENT_REJECTED', idempotencyKey: ins.idempotencyKey, instructionId: s.instructionId, code: s.code, reason: s.reason },
                };
              case 'pending':
                throw ApplicationFailure.retryable(`payment ${ins.idempotencyKey} is still pending at the rail`, 'PAYMENT_PENDING', {
                  idempotencyKey: ins.idempotencyKey,
                  instructionId: s.instructionId,
                });
              case 'unknown':
                throw ApplicationFailure.retryable(`the rail does not know payment ${ins.idempotencyKey} right after accepting it`, 'RAIL_UNAVAILABLE', {
                  idempotencyKey: ins.idempotencyKey,
                });
            }
          }),
        );
        const rejected = out.filter((o) => !o.ok).length;
        log.info({ submitted: unknown.length, known: keys.length - unknown.length, confirmed: out.length - rejected, rejected }, 'payment batch settled');
        return out;
      } catch (e) {
        if (e instanceof PaymentRailError) {
          paymentOutcomes.inc({ outcome: 'failed' });
          log.warn({ code: e.code, retryable: e.retryable }, 'payment rail batch call failed');
        }
        throw asRailFailure(e);
      }
    },

    /** The rail's answer for a key, for a workflow that must decide before paying (or after a failure). */
    async paymentStatus(idempotencyKey: string): Promise<PaymentStatus> {
      try {
        return await rail.status(parseIdempotencyKey(idempotencyKey));
      } catch (e) {
        throw asRailFailure(e);
      }
    },
  };
};

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;
