import { z } from 'zod';
import { fenSchema } from '../shared/money';
import { opaqueIdSchema } from '../shared/ids';
import { countyIdSchema } from '../reference/counties';
import { projectCategorySchema } from '../project/ids';
import { householdIdSchema } from '../household/ids';
import { fundIdSchema, fundSourceSchema, milestoneKindSchema } from './ids';
import { expenditureKindSchema } from '../policy/expenditure-kinds';
import { requiredLine, requiredText } from '../shared/text';

/**
 * What a caller may send for each fund command, parsed at the boundary (CLI, API) before it
 * reaches a workflow; the actor and the time are not the caller's to give. Allocation and
 * disbursement go through payment/ (decideAllocation, decidePayment), which fill in the project's
 * side, so their requests are there.
 */
const reason = requiredText(500);

export const FUND_COMMAND_DATA_SCHEMAS = {
  AppropriateFund: z
    .object({
      fundId: fundIdSchema,
      source: fundSourceSchema,
      fiscalYear: z.number().int().min(2016).max(2030),
      countyId: countyIdSchema,
      documentNumber: requiredLine(100),
      amount: fenSchema,
      earmark: z.array(projectCategorySchema).min(1),
    })
    .strict(),
  ReleaseAllocation: z.object({ fundId: fundIdSchema, allocationId: opaqueIdSchema, amount: fenSchema.optional(), reason }).strict(),
  ReturnFund: z.object({ fundId: fundIdSchema, amount: fenSchema, reason }).strict(),
  FreezeFund: z.object({ fundId: fundIdSchema, reason }).strict(),
  UnfreezeFund: z.object({ fundId: fundIdSchema, reason }).strict(),
} as const;

export const paymentRequestSchema = z
  .object({
    projectId: z.string().min(1).max(100),
    fundId: fundIdSchema,
    allocationId: opaqueIdSchema,
    paymentId: opaqueIdSchema,
    milestone: milestoneKindSchema,
    milestoneId: opaqueIdSchema.optional(),
    payee: opaqueIdSchema,
    householdId: householdIdSchema.optional(),
    amount: fenSchema,
    use: expenditureKindSchema,
  })
  .strict();
