import { z } from 'zod';
import { defineEvent } from '../shared/events';
import { fenSchema } from '../shared/money';
import { daySchema, instantSchema } from '../shared/ids';
import { userIdSchema } from '../shared/actor';
import { countyIdSchema } from '../reference/counties';
import { requiredLine } from '../shared/text';
import { integrationChannelSchema } from './channels';

/** One original channel's money moved into the county's integrated pool, in fen. */
export const channelAmountSchema = z.object({ channel: integrationChannelSchema, amountFen: fenSchema }).strict();
export type ChannelAmount = z.infer<typeof channelAmountSchema>;

/**
 * A county's 整合方案 for a year, adopted: the money it takes out of each original channel, and the
 * pool's total, which equals their sum to the fen.
 */
export const IntegrationPlanAdopted = defineEvent({
  type: 'IntegrationPlanAdopted',
  version: 1,
  schema: z
    .object({
      countyId: countyIdSchema,
      year: z.number().int().min(2016).max(2030),
      /** The plan's document number (整合方案文号). */
      documentRef: requiredLine(100),
      adoptedOn: daySchema,
      channels: z.array(channelAmountSchema).min(1).max(50),
      totalFen: fenSchema,
      policy: z.object({ id: z.literal('integration-plan'), version: z.number().int().min(1) }).strict(),
      by: userIdSchema,
      at: instantSchema,
    })
    .strict(),
  refs: (d) => [{ kind: 'county', id: d.countyId }],
});

export const INTEGRATION_EVENTS = [IntegrationPlanAdopted] as const;
export type IntegrationEvent = { type: 'IntegrationPlanAdopted'; data: z.infer<typeof IntegrationPlanAdopted.schema> };
