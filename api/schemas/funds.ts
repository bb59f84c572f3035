import { z } from 'zod';
import { moneySchema } from '../../domain/shared/money';
import { FUND_COMMAND_DATA_SCHEMAS, fundIdSchema, fundSourceSchema } from '../../domain/fund';
import { FUND_DIMENSIONS } from '../../services/fund-queries';
import { FLOW_PAGE_MAX } from '../../services/fund-flow';
import { pageQueryShape, requestIdSchema } from './common';
import { countyIdSchema } from '../../domain/reference/counties';
import { integrationChannelSchema } from '../../domain/integration';
import { daySchema } from '../../domain/shared/ids';
import { requiredLine } from '../../domain/shared/text';

export const fundParamsSchema = z.object({ id: fundIdSchema }).strict();

/**
 * A poor county's 整合方案 for a year (统筹整合使用财政涉农资金): the amount taken out of each original
 * channel, typed as people do, and the pool's total, which must equal their sum to the fen.
 */
export const integrationPlanBodySchema = z
  .object({
    countyId: countyIdSchema,
    year: z.number().int().min(2016).max(2020),
    documentNumber: requiredLine(100),
    adoptedOn: daySchema,
    channels: z
      .array(z.object({ channel: integrationChannelSchema, amount: moneySchema }).strict())
      .min(1)
      .max(50),
    total: moneySchema,
    requestId: requestIdSchema.optional(),
  })
  .strict();
export const integrationPlanParamsSchema = z.object({ countyId: countyIdSchema, year: z.coerce.number().int().min(2016).max(2030) }).strict();
export const integrationPlanSchema = z.object({
  countyId: z.string(),
  year: z.number().int(),
  documentRef: z.string(),
  adoptedOn: z.string(),
  channels: z.array(z.object({ channel: z.string(), amountFen: z.number().int() })),
  totalFen: z.number().int(),
  policy: z.object({ id: z.string(), version: z.number().int() }),
  by: z.string(),
  at: z.string(),
  summaryZh: z.string(),
  position: z.number().int(),
  repeated: z.boolean().optional(),
});

/** The domain's appropriation, with the amount typed as people do. A fund is appropriated once: its id is the request's identity. */
export const appropriateBodySchema = FUND_COMMAND_DATA_SCHEMAS.AppropriateFund.omit({ amount: true })
  .extend({ amount: moneySchema, requestId: requestIdSchema.optional() })
  .strict();

/** Freezing and unfreezing say why; the fund is the path's. */
const reason = FUND_COMMAND_DATA_SCHEMAS.FreezeFund.shape.reason;
export const freezeBodySchema = FUND_COMMAND_DATA_SCHEMAS.FreezeFund.omit({ fundId: true }).extend({ reason, requestId: requestIdSchema.optional() }).strict();
export const unfreezeBodySchema = FUND_COMMAND_DATA_SCHEMAS.UnfreezeFund.omit({ fundId: true }).extend({ reason, requestId: requestIdSchema.optional() }).strict();

/** Money going back up (收回/退回), typed as people do. */
export const returnBodySchema = FUND_COMMAND_DATA_SCHEMAS.ReturnFund.omit({ fundId: true, amount: true })
  .extend({ reason, amount: moneySchema, requestId: requestIdSchema.optional() })
  .strict();

export const fundCommandOutcomeSchema = z.object({
  fundId: z.string(),
  eventId: z.string(),
  type: z.string(),
  position: z.number().int(),
  streamVersion: z.number().int(),
  repeated: z.boolean(),
});

export const fundListQuerySchema = z.object({ ...pageQueryShape, source: fundSourceSchema.optional(), after: fundIdSchema.optional() }).strict();

export const fundBalanceSchema = z.object({
  fundId: z.string(),
  source: z.string(),
  countyId: z.string(),
  fiscalYear: z.number().int(),
  documentNumber: z.string(),
  appropriatedFen: z.number().int(),
  availableFen: z.number().int(),
  allocatedUnpaidFen: z.number().int(),
  paidFen: z.number().int(),
  returnedFen: z.number().int(),
  frozen: z.boolean(),
  lastEventPosition: z.number().int(),
});

/** `by=source,county,year` (any of them, each once, in any order); default all three. */
export const fundDimensionsSchema = z
  .string()
  .max(40)
  .transform((v) => v.split(','))
  .pipe(
    z
      .array(z.enum(FUND_DIMENSIONS))
      .min(1)
      .refine((a) => new Set(a).size === a.length, 'names a dimension twice'),
  );

export const fundTotalsQuerySchema = z
  .object({ county: pageQueryShape.county, year: pageQueryShape.year, source: fundSourceSchema.optional(), by: fundDimensionsSchema.default(['source', 'county', 'year']) })
  .strict();

const sumsShape = {
  funds: z.number().int(),
  appropriatedFen: z.number().int(),
  availableFen: z.number().int(),
  allocatedUnpaidFen: z.number().int(),
  paidFen: z.number().int(),
  returnedFen: z.number().int(),
};

export const fundTotalsSchema = z.object({
  groups: z.array(z.object({ source: z.string().optional(), countyId: z.string().optional(), fiscalYear: z.number().int().optional(), ...sumsShape })),
  total: z.object(sumsShape),
});

const fen = z.number().int();
const flowPaymentSchema = z.object({
  paymentId: z.string(),
  milestone: z.string(),
  payee: z.string(),
  householdId: z.string().nullable(),
  amount: fen,
  source: z.string(),
  at: z.string(),
  by: z.string(),
  position: z.number().int(),
});

/** domain/fund/flow.ts's FundFlow: appropriation → allocations → payments → payees, with the sums that must hold. */
export const fundFlowSchema = z.object({
  fundId: z.string(),
  appropriation: z.object({
    source: z.string(),
    fiscalYear: z.number().int(),
    countyId: z.string(),
    documentNumber: z.string(),
    amount: fen,
    by: z.string(),
    at: z.string(),
    position: z.number().int(),
  }),
  allocations: z
    .array(
      z.object({
        allocationId: z.string(),
        projectId: z.string(),
        category: z.string(),
        allocated: fen,
        released: fen,
        paid: fen,
        unpaid: fen,
        payments: z.array(flowPaymentSchema).readonly(),
      }),
    )
    .readonly(),
  returns: z.array(z.object({ amount: fen, reason: z.string(), at: z.string(), position: z.number().int() })).readonly(),
  payees: z
    .array(z.object({ payee: z.string(), amount: fen, payments: z.number().int(), households: z.array(z.string()).readonly(), projects: z.array(z.string()).readonly() }))
    .readonly(),
  totals: z.object({ appropriated: fen, available: fen, allocatedUnpaid: fen, paid: fen, returned: fen }),
  frozen: z.boolean(),
  checks: z.array(z.object({ rule: z.string(), holds: z.boolean(), left: fen, right: fen })).readonly(),
  reconciled: z.boolean(),
  allocationCount: z.number().int(),
  next: z.string().nullable(),
});

/** A page of a fund's flow: at most `limit` allocations (bounded), after the allocation the previous page answered as `next`. */
export const fundFlowQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(FLOW_PAGE_MAX).default(200),
    after: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'must be the allocation id a previous page answered as next' })
      .optional(),
  })
  .strict();
