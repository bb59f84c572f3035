import { z } from 'zod';
import { defineEvent, type DomainEvent, type EventRef } from '../shared/events';
import { fenSchema } from '../shared/money';
import { opaqueIdSchema } from '../shared/ids';
import { countyIdSchema } from '../reference/counties';
import { projectIdSchema } from '../project/ids';
import { fundIdSchema } from '../fund/ids';
import { householdIdSchema } from '../household/ids';

/**
 * A project Update refused with a code: nothing else changed, but the attempt is a fact an
 * inspector must be able to see (an over-allocation tried, a settlement asked before acceptance,
 * a payment the rail confirmed and the books refused). Kept in a per-county stream, `refusals-<county>`.
 */
export const CommandRefused = defineEvent({
  type: 'CommandRefused',
  version: 1,
  schema: z
    .object({
      /** `RecordFunding`, `RecordPayment`, or the human step's command type. */
      commandType: z.string().regex(/^[A-Z][A-Za-z]{2,63}$/),
      projectId: projectIdSchema,
      countyId: countyIdSchema,
      fundId: fundIdSchema.optional(),
      allocationId: opaqueIdSchema.optional(),
      milestone: z.string().min(1).max(40).optional(),
      payee: opaqueIdSchema.optional(),
      /** The household a refused payment was for; optional and additive in version 1, so stored refusals read as before. */
      householdId: householdIdSchema.optional(),
      amount: fenSchema.optional(),
      /** The failure's code: the domain rule's, or the process's own (PAYMENT_CONFIRMED_NOT_RECORDED). */
      code: z.string().regex(/^[A-Z][A-Z0-9_]{2,79}$/),
      /** The rule beneath a process failure, when it differs from `code`. */
      ruleCode: z
        .string()
        .regex(/^[A-Z][A-Z0-9_]{2,79}$/)
        .optional(),
      zh: z.string().min(1).max(2000),
      en: z.string().min(1).max(2000),
      /** The client's request id, when it gave one: a repeat records nothing new. */
      requestId: z
        .string()
        .regex(/^[A-Za-z0-9._:-]{1,128}$/)
        .optional(),
    })
    .strict(),
  refs: (d) => [
    { kind: 'project', id: d.projectId },
    ...(d.fundId ? [{ kind: 'fund', id: d.fundId } satisfies EventRef] : []),
    ...(d.householdId ? [{ kind: 'household', id: d.householdId } satisfies EventRef] : []),
    { kind: 'county', id: d.countyId },
  ],
});

export const REFUSAL_EVENTS = [CommandRefused] as const;
export type CommandRefusedData = z.output<typeof CommandRefused.schema>;
export type CommandRefused = DomainEvent<'CommandRefused', CommandRefusedData>;
