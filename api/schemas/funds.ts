import { z } from 'zod';
import { FUND_COMMAND_DATA_SCHEMAS, fundIdSchema, fundSourceSchema } from '../../domain/fund';
import { amountSchema, pageQueryShape, requestIdSchema } from './common';

export const fundParamsSchema = z.object({ id: fundIdSchema }).strict();

/** The domain's appropriation, with the amount typed as people do. A fund is appropriated once: its id is the request's identity. */
export const appropriateBodySchema = FUND_COMMAND_DATA_SCHEMAS.AppropriateFund.omit({ amount: true })
  .extend({ amount: amountSchema, requestId: requestIdSchema.optional() })
  .strict();

export const fundListQuerySchema = z
  .object({ ...pageQueryShape, source: fundSourceSchema.optional(), after: fundIdSchema.optional() })
  .strict();

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
