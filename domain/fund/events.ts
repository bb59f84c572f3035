import { z } from 'zod';
import { defineEvent, type DomainEvent } from '../shared/events';
import { fenSchema } from '../shared/money';
import { opaqueIdSchema, instantSchema } from '../shared/ids';
import { userIdSchema } from '../shared/actor';
import { countyIdSchema } from '../reference/counties';
import { projectCategorySchema, projectIdSchema } from '../project/ids';
import { householdIdSchema } from '../household/ids';
import { benefitRoundIdSchema } from '../benefit/ids';
import { fundIdSchema, fundSourceSchema, paymentKindSchema } from './ids';

const base = { fundId: fundIdSchema, by: userIdSchema, at: instantSchema };
const fundRef = (d: { fundId: string }) => ({ kind: 'fund' as const, id: d.fundId });

/**
 * What an allocation is for: a project, or a benefit round (到户), whose id stands where a project's
 * would. Widened without a new version: every event already stored names a project and still parses.
 */
const targetSchema = z.union([projectIdSchema, benefitRoundIdSchema]);
const targetRef = (id: string) => ({ kind: id.startsWith('br-') ? ('round' as const) : ('project' as const), id });

/** Money reaches a county for a fiscal year (下达), under a document number and an earmark. */
export const FundAppropriated = defineEvent({
  type: 'FundAppropriated',
  version: 1,
  schema: z
    .object({
      ...base,
      source: fundSourceSchema,
      fiscalYear: z.number().int().min(2016).max(2030),
      countyId: countyIdSchema,
      documentNumber: z.string().trim().min(1).max(100),
      amount: fenSchema,
      earmark: z.array(projectCategorySchema).min(1),
    })
    .strict(),
  refs: (d) => [fundRef(d), { kind: 'county', id: d.countyId }],
});

/** Part of the fund is set aside for one project (安排). */
export const FundAllocated = defineEvent({
  type: 'FundAllocated',
  version: 1,
  schema: z.object({ ...base, allocationId: opaqueIdSchema, projectId: targetSchema, category: projectCategorySchema, amount: fenSchema }).strict(),
  refs: (d) => [fundRef(d), targetRef(d.projectId)],
});

/** The unpaid part of an allocation goes back to the fund's available balance. */
export const FundAllocationReleased = defineEvent({
  type: 'FundAllocationReleased',
  version: 1,
  schema: z.object({ ...base, allocationId: opaqueIdSchema, projectId: targetSchema, amount: fenSchema, reason: z.string().min(1).max(500) }).strict(),
  refs: (d) => [fundRef(d), targetRef(d.projectId)],
});

/**
 * The finance bureau pays (拨付) against an allocation; the payment id is the rail's idempotency key.
 * `payee` is the account the money went to; `householdId` the household it was paid for (到户), when
 * it was. Added to version 1 without a new version: optional and additive, so every FundDisbursed
 * already stored still parses as it is and means what it meant (no household named).
 */
export const FundDisbursed = defineEvent({
  type: 'FundDisbursed',
  version: 1,
  schema: z
    .object({
      ...base,
      allocationId: opaqueIdSchema,
      projectId: targetSchema,
      paymentId: opaqueIdSchema,
      milestone: paymentKindSchema,
      payee: opaqueIdSchema,
      householdId: householdIdSchema.optional(),
      amount: fenSchema,
    })
    .strict(),
  refs: (d) => [
    fundRef(d),
    targetRef(d.projectId),
    { kind: 'payment', id: d.paymentId },
    ...(d.householdId === undefined ? [] : [{ kind: 'household' as const, id: d.householdId }]),
  ],
});

/** Unused money goes back up (收回/退回). */
export const FundReturned = defineEvent({
  type: 'FundReturned',
  version: 1,
  schema: z.object({ ...base, amount: fenSchema, reason: z.string().min(1).max(500) }).strict(),
  refs: (d) => [fundRef(d)],
});

export const FundFrozen = defineEvent({
  type: 'FundFrozen',
  version: 1,
  schema: z.object({ ...base, reason: z.string().min(1).max(500) }).strict(),
  refs: (d) => [fundRef(d)],
});

export const FundUnfrozen = defineEvent({
  type: 'FundUnfrozen',
  version: 1,
  schema: z.object({ ...base, reason: z.string().min(1).max(500) }).strict(),
  refs: (d) => [fundRef(d)],
});

export const FUND_EVENTS = [FundAppropriated, FundAllocated, FundAllocationReleased, FundDisbursed, FundReturned, FundFrozen, FundUnfrozen] as const;

type Ev<D extends { type: string; schema: z.ZodType }> = DomainEvent<D['type'], z.output<D['schema']>>;
export type FundAppropriated = Ev<typeof FundAppropriated>;
export type FundAllocated = Ev<typeof FundAllocated>;
export type FundAllocationReleased = Ev<typeof FundAllocationReleased>;
export type FundDisbursed = Ev<typeof FundDisbursed>;
export type FundReturned = Ev<typeof FundReturned>;
export type FundFrozen = Ev<typeof FundFrozen>;
export type FundUnfrozen = Ev<typeof FundUnfrozen>;
export type FundEvent = FundAppropriated | FundAllocated | FundAllocationReleased | FundDisbursed | FundReturned | FundFrozen | FundUnfrozen;
