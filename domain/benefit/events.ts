import { z } from 'zod';
import { defineEvent, type DomainEvent, type EventRef } from '../shared/events';
import { fenSchema } from '../shared/money';
import { instantSchema, opaqueIdSchema, objectionIdSchema } from '../shared/ids';
import { userIdSchema } from '../shared/actor';
import { countyIdSchema } from '../reference/counties';
import { policyVersionSchema } from '../policy/table';
import { householdIdSchema } from '../household/ids';
import { villageIdSchema } from '../village/ids';
import { fundIdSchema, fundSourceSchema } from '../fund/ids';
import { accountKeySchema, benefitRoundIdSchema, memberKeySchema, periodSchema, townshipIdSchema } from './ids';
import { ELIGIBILITY_RULES, programmeIdSchema } from './programmes';

const base = { roundId: benefitRoundIdSchema, by: userIdSchema, at: instantSchema };
const reason = z.string().trim().min(1).max(2000);
const ruleIds = Object.keys(ELIGIBILITY_RULES) as [keyof typeof ELIGIBILITY_RULES, ...(keyof typeof ELIGIBILITY_RULES)[]];
const round = (d: { roundId: string }): EventRef[] => [{ kind: 'round', id: d.roundId }];
const households = (ids: readonly string[]): EventRef[] => ids.map((id) => ({ kind: 'household' as const, id }));

export const beneficiarySchema = z
  .object({
    memberKey: memberKeySchema.nullable(),
    amount: fenSchema,
    facts: z.record(z.string().max(40), z.union([z.string().max(200), z.number(), z.boolean(), z.null()])),
  })
  .strict();

export const benefitLineSchema = z
  .object({
    householdId: householdIdSchema,
    villageId: villageIdSchema,
    amount: fenSchema,
    ruleId: z.enum(ruleIds),
    policy: policyVersionSchema,
    beneficiaries: z.array(beneficiarySchema).min(1),
  })
  .strict();

/** The round's header: what is paid, where, for when, at which standards, under which policy version. */
export const BenefitRoundDrafted = defineEvent({
  type: 'BenefitRoundDrafted',
  version: 1,
  schema: z
    .object({
      ...base,
      programmeId: programmeIdSchema,
      countyId: countyIdSchema,
      townshipId: townshipIdSchema,
      villageIds: z.array(villageIdSchema).min(1),
      period: periodSchema,
      standards: z.record(z.string(), fenSchema),
      policy: policyVersionSchema,
      lineCount: z.number().int().positive(),
      listTotal: fenSchema,
      /** Households considered and left off, with the rule that left them off. */
      excluded: z.array(z.object({ householdId: householdIdSchema, code: z.string() }).strict()),
    })
    .strict(),
  refs: (d) => [...round(d), { kind: 'county', id: d.countyId }, ...d.villageIds.map((id) => ({ kind: 'village' as const, id }))],
});

/** The list itself, in chunks so no event grows with the county. */
export const BenefitLinesListed = defineEvent({
  type: 'BenefitLinesListed',
  version: 1,
  schema: z.object({ ...base, chunk: z.number().int().min(0), lines: z.array(benefitLineSchema).min(1).max(1000) }).strict(),
  refs: (d) => [...round(d), ...households(d.lines.map((l) => l.householdId))],
});

/** 公示: the list is posted in the villages until `endsAt`. */
export const BenefitNoticePosted = defineEvent({
  type: 'BenefitNoticePosted',
  version: 1,
  schema: z.object({ ...base, endsAt: instantSchema, minimumSeconds: z.number().int().positive() }).strict(),
  refs: round,
});

/** An objection upheld: the household leaves the list, with the reason. */
export const BenefitLineRemoved = defineEvent({
  type: 'BenefitLineRemoved',
  version: 1,
  schema: z.object({ ...base, objectionId: objectionIdSchema, householdId: householdIdSchema, amount: fenSchema, reason }).strict(),
  refs: (d) => [...round(d), ...households([d.householdId])],
});

/** An objection upheld: a household left out is added, with the reason and its computed line. */
export const BenefitLineAdded = defineEvent({
  type: 'BenefitLineAdded',
  version: 1,
  schema: z.object({ ...base, objectionId: objectionIdSchema, reason, line: benefitLineSchema }).strict(),
  refs: (d) => [...round(d), ...households([d.line.householdId])],
});

export const BenefitObjectionDismissed = defineEvent({
  type: 'BenefitObjectionDismissed',
  version: 1,
  schema: z.object({ ...base, objectionId: objectionIdSchema, householdId: householdIdSchema, reason }).strict(),
  refs: (d) => [...round(d), ...households([d.householdId])],
});

export const BenefitRoundReviewed = defineEvent({
  type: 'BenefitRoundReviewed',
  version: 1,
  schema: z.object({ ...base, approved: z.boolean(), note: z.string().max(2000), lineCount: z.number().int().min(0), listTotal: fenSchema }).strict(),
  refs: round,
});

export const BenefitRoundApproved = defineEvent({
  type: 'BenefitRoundApproved',
  version: 1,
  schema: z.object({ ...base, approved: z.boolean(), note: z.string().max(2000), lineCount: z.number().int().min(0), listTotal: fenSchema }).strict(),
  refs: round,
});

/** County finance takes the round on: the fund it pays from and the allocation that holds the money. */
export const BenefitDisbursementStarted = defineEvent({
  type: 'BenefitDisbursementStarted',
  version: 1,
  schema: z.object({ ...base, fundId: fundIdSchema, source: fundSourceSchema, allocationId: opaqueIdSchema, listTotal: fenSchema }).strict(),
  refs: (d) => [...round(d), { kind: 'fund', id: d.fundId }],
});

export const paidItemSchema = z
  .object({ householdId: householdIdSchema, paymentId: opaqueIdSchema, accountKey: accountKeySchema, amount: fenSchema, transferId: z.string().min(1).max(200) })
  .strict();

/** Payments the rail confirmed, one batch; each is also a FundDisbursed on the fund's stream. */
export const BenefitPaymentsRecorded = defineEvent({
  type: 'BenefitPaymentsRecorded',
  version: 1,
  schema: z.object({ ...base, fundId: fundIdSchema, batch: z.string().min(1).max(100), payments: z.array(paidItemSchema).min(1).max(1000) }).strict(),
  refs: (d) => [
    ...round(d),
    { kind: 'fund', id: d.fundId },
    ...households(d.payments.map((p) => p.householdId)),
    ...d.payments.map((p) => ({ kind: 'payment' as const, id: p.paymentId })),
  ],
});

export const returnedItemSchema = z
  .object({
    householdId: householdIdSchema,
    paymentId: opaqueIdSchema,
    amount: fenSchema,
    code: z.string().min(1).max(100),
    reason: z.string().max(500),
    attempts: z.number().int().positive(),
  })
  .strict();

/** Transfers the rail refused for good (a closed account…): the money stays with the fund and the household is flagged. */
export const BenefitPaymentsReturned = defineEvent({
  type: 'BenefitPaymentsReturned',
  version: 1,
  schema: z.object({ ...base, fundId: fundIdSchema, batch: z.string().min(1).max(100), returned: z.array(returnedItemSchema).min(1).max(1000) }).strict(),
  refs: (d) => [
    ...round(d),
    { kind: 'fund', id: d.fundId },
    ...households(d.returned.map((p) => p.householdId)),
    ...d.returned.map((p) => ({ kind: 'payment' as const, id: p.paymentId })),
  ],
});

/** List total = paid + returned, to the fen. */
export const BenefitRoundClosed = defineEvent({
  type: 'BenefitRoundClosed',
  version: 1,
  schema: z
    .object({
      ...base,
      listTotal: fenSchema,
      paid: fenSchema,
      returned: fenSchema,
      paidCount: z.number().int().min(0),
      returnedCount: z.number().int().min(0),
      fundId: fundIdSchema.nullable(),
    })
    .strict(),
  refs: (d) => [...round(d), ...(d.fundId ? [{ kind: 'fund' as const, id: d.fundId }] : [])],
});

/**
 * 公示 of the paid list's Merkle root with the village notice (infra/receipts/merkle.ts says how it is
 * computed): each household checks its own payment against it with its receipt code.
 */
export const BenefitReceiptsPublished = defineEvent({
  type: 'BenefitReceiptsPublished',
  version: 1,
  schema: z.object({ ...base, root: z.string().regex(/^[0-9a-f]{64}$/), leafCount: z.number().int().min(0), paid: fenSchema, algorithm: z.string().min(1).max(200) }).strict(),
  refs: round,
});

export const BENEFIT_ROUND_EVENTS = [
  BenefitRoundDrafted,
  BenefitLinesListed,
  BenefitNoticePosted,
  BenefitLineRemoved,
  BenefitLineAdded,
  BenefitObjectionDismissed,
  BenefitRoundReviewed,
  BenefitRoundApproved,
  BenefitDisbursementStarted,
  BenefitPaymentsRecorded,
  BenefitPaymentsReturned,
  BenefitRoundClosed,
  BenefitReceiptsPublished,
] as const;

type Ev<D extends { type: string; schema: z.ZodType }> = DomainEvent<D['type'], z.output<D['schema']>>;
export type BenefitRoundEvent = { [K in keyof typeof BENEFIT_ROUND_EVENTS & `${number}`]: Ev<(typeof BENEFIT_ROUND_EVENTS)[K]> }[keyof typeof BENEFIT_ROUND_EVENTS & `${number}`];
export type BenefitRoundEventOf<T extends BenefitRoundEvent['type']> = Extract<BenefitRoundEvent, { type: T }>;
