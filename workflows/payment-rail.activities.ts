import type { Fen } from '../domain/shared/money';

/**
 * The payment activities the project workflow calls, as `activities/payment-activities.ts`
 * (createPaymentActivities) exposes them over the rail port (infra/payment-rail/rail.ts). Workflow
 * code may not import infra/, so the shapes are restated here; types only, nothing is bundled.
 */
export interface PaymentInstruction {
  readonly idempotencyKey: string;
  readonly fromAccount: string;
  readonly toAccount: string;
  readonly amount: Fen;
  readonly memo: string;
}

export type PaymentStatus =
  | { state: 'unknown' }
  | { state: 'pending'; instructionId: string }
  | { state: 'confirmed'; instructionId: string; transferId: string; confirmedAt: string }
  | { state: 'rejected'; instructionId: string; reason: string; code: string };

export interface PaymentRailActivities {
  /** Asks the rail for the key's status first, then submits; a rejection is a non-retryable failure with the rail's code. */
  payThroughRail(instruction: PaymentInstruction): Promise<PaymentStatus>;
  paymentStatus(idempotencyKey: string): Promise<PaymentStatus>;
}
