import { z } from 'zod';
import type { Fen } from '../../domain/shared/money';

/**
 * The payment-rail port: what the disbursement workflow's activities need from whatever moves the
 * money (the simulated treasury ledger here, a bank's API elsewhere). See README.md.
 */

export interface PaymentInstruction {
  /** = the payment id, derived from workflow id + step; same key → same transfer. */
  idempotencyKey: string;
  /** The fund's treasury account, e.g. `treasury:fund-song-2016-central-01`. */
  fromAccount: string;
  /** The payee's account (contractor or household), an opaque id. */
  toAccount: string;
  /** Integer fen > 0. */
  amount: Fen;
  /** E.g. project id + milestone; no personal data. */
  memo: string;
}

export type PaymentStatus =
  | { state: 'unknown' } // the rail has never seen this key
  | { state: 'pending'; instructionId: string }
  | { state: 'confirmed'; instructionId: string; transferId: string; confirmedAt: string }
  | { state: 'rejected'; instructionId: string; reason: string; code: string };

export type ConfirmedPayment = Extract<PaymentStatus, { state: 'confirmed' }>;

export interface PaymentRail {
  /**
   * Idempotent by key: a second submit with the same key and the same content returns the current
   * status; different content under the same key throws PAYMENT_KEY_REUSED and changes nothing.
   */
  submit(instruction: PaymentInstruction): Promise<PaymentStatus>;
  status(idempotencyKey: string): Promise<PaymentStatus>;
  /**
   * Many instructions in one call (a bank's 批量代发 file), each idempotent by its key exactly as
   * `submit`; answers in the given order. A timeout or an outage is the whole batch's.
   */
  submitBatch(instructions: readonly PaymentInstruction[]): Promise<PaymentStatus[]>;
  /** `status` of many keys in one call, in the given order. */
  statuses(idempotencyKeys: readonly string[]): Promise<PaymentStatus[]>;
}

export const PAYMENT_RAIL_ERROR_CODES = ['PAYMENT_KEY_REUSED', 'RAIL_TIMEOUT', 'RAIL_UNAVAILABLE', 'INSTRUCTION_INVALID'] as const;
export type PaymentRailErrorCode = (typeof PAYMENT_RAIL_ERROR_CODES)[number];

/**
 * A call the rail did not answer with a status. RAIL_TIMEOUT and RAIL_UNAVAILABLE are transient:
 * after a timeout the transfer may or may not have happened, so ask `status` before trying again.
 * The other two will fail the same way on every attempt.
 */
export class PaymentRailError extends Error {
  constructor(
    readonly code: PaymentRailErrorCode,
    message: string,
    /** For INSTRUCTION_INVALID: the field at fault, e.g. `amount`. */
    readonly field?: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'PaymentRailError';
  }

  get retryable(): boolean {
    return this.code === 'RAIL_TIMEOUT' || this.code === 'RAIL_UNAVAILABLE';
  }
}

/** Same alphabet as event ids: keys are derived from workflow ids and steps, accounts are opaque ids. */
const idSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' })
  .regex(/^[A-Za-z0-9._:/@-]+$/, { error: 'may contain only A-Z a-z 0-9 . _ : / @ -' });

export const idempotencyKeySchema = idSchema;

export const paymentInstructionSchema = z
  .strictObject(
    {
      idempotencyKey: idSchema,
      fromAccount: idSchema,
      toAccount: idSchema,
      amount: z
        .number({ error: 'must be a number of fen' })
        .int({ error: 'must be a whole number of fen' })
        .positive({ error: 'must be more than zero fen' })
        .max(Number.MAX_SAFE_INTEGER, { error: 'is too large to hold exactly' })
        .transform((n) => n as Fen),
      memo: z
        .string({ error: 'must be a string' })
        .min(1, { error: 'must not be empty' })
        .max(500, { error: 'must be at most 500 characters' })
        // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
        .regex(/^[^\u0000-\u001f\u007f]*$/, { error: 'must not contain control characters' })
        // A long run of digits is an ID, phone or bank-card number: personal data has no place in a memo.
        .refine((m) => !/\d{11,}/.test(m), { error: 'must not contain a run of 11 or more digits (no personal data)' }),
    },
    { error: 'must be an object' },
  )
  .refine((i) => i.fromAccount !== i.toAccount, { error: 'must differ from fromAccount', path: ['toAccount'] });

const firstIssue = (error: z.ZodError): { field: string; message: string } => {
  const issue = error.issues[0];
  const field = issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? '(instruction)') : issue && issue.path.length > 0 ? issue.path.join('.') : '(instruction)';
  return { field, message: issue?.message ?? 'invalid' };
};

/** Parses an instruction at the rail's boundary; INSTRUCTION_INVALID names the first field at fault. */
export const parseInstruction = (input: unknown): PaymentInstruction => {
  const r = paymentInstructionSchema.safeParse(input);
  if (r.success) return r.data;
  const { field, message } = firstIssue(r.error);
  throw new PaymentRailError('INSTRUCTION_INVALID', `${field}: ${message}`, field);
};

export const parseIdempotencyKey = (input: unknown): string => {
  const r = idempotencyKeySchema.safeParse(input);
  if (r.success) return r.data;
  throw new PaymentRailError('INSTRUCTION_INVALID', `idempotencyKey: ${firstIssue(r.error).message}`, 'idempotencyKey');
};
