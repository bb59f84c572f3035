import { Context } from '@temporalio/activity';
import type { DomainError } from '../domain/shared/errors';
import { inSpan } from '../infra/tracing';
import { treasuryAccountOf, type FundActivities, type FundStepResult, type RecordPaymentInput } from './fund-activities';
import type { PaymentActivities } from './payment-activities';

/**
 * What a payment's one activity comes back with: refused before the rail was asked (`behind`: the
 * store holds project events the process has not taken in, so it takes them in and decides again),
 * or paid and recorded (or paid and refused by the books).
 */
export type PaymentStepResult =
  { readonly paid: false; readonly error?: DomainError; readonly behind?: true } | (FundStepResult & { readonly paid: true; readonly transferId: string });

export interface PaymentStepDeps {
  readonly funds: Pick<FundActivities, 'checkPayment' | 'recordPayment'>;
  readonly payments: Pick<PaymentActivities, 'payThroughRail' | 'paymentStatus'>;
}

export const createPaymentStepActivities = ({ funds, payments }: PaymentStepDeps) => ({
  /**
   * A payment in one activity: the check on fresh store state, the rail, and the record on both
   * streams, in that order, once the workflow has decided it. One workflow task schedules it and
   * one takes its answer, where three activities took five (issue 18). It is retried as a whole,
   * and pays once however often that happens: the rail is asked for the payment's status before
   * anything is submitted, and a payment the rail already knows is not judged by the check again
   * (its own record would refuse it) nor submitted again, only recorded; the record's event ids are
   * the step's, so recording twice appends nothing. A refusal by the check comes back before any
   * money moves (`paid: false`). The status and the check (reads only) run side by side: one round
   * trip less per payment; the check's answer is dropped when the rail knows the payment.
   */
  async payAndRecord(input: RecordPaymentInput): Promise<PaymentStepResult> {
    const { request } = input;
    // Spans (no-ops unless tracing is on): where a payment's activity spends its time (bench/payment-probe.ts).
    const [known, check] = await inSpan('tuopin.payment.check', {}, () => Promise.all([payments.paymentStatus(request.paymentId), funds.checkPayment(input)]));
    if (known.state === 'unknown') {
      // A step of the process's own is in the store and not in the process: nothing is paid on a state it has left.
      if (check.projectVersion !== undefined && check.projectVersion !== input.projectVersion) return { paid: false, behind: true };
      if (!check.ok) return { paid: false, error: check.error! };
    } else {
      Context.current().log.info('the rail already knows this payment: recording it without a new check', { paymentId: request.paymentId, state: known.state });
    }
    const status = await inSpan('tuopin.payment.rail', {}, () =>
      payments.payThroughRail(
        {
          idempotencyKey: request.paymentId,
          fromAccount: treasuryAccountOf(request.fundId),
          toAccount: request.payee,
          amount: request.amount,
          memo: `${input.projectId} ${request.milestone}`,
        },
        { correlationId: input.correlationId, causationId: input.causationId },
        known,
      ),
    );
    // The check just read both streams: the record decides on what it kept (reading again only if the append is refused).
    const recorded = await inSpan('tuopin.payment.record', {}, () => funds.recordPayment(input, true));
    return { ...recorded, paid: true, transferId: status.transferId };
  },
});

export type PaymentStepActivities = ReturnType<typeof createPaymentStepActivities>;
