import { z } from 'zod';
import { requiredLine, textSchema } from '../shared/text';

/**
 * The parts of the project's events that the workflow's own code needs at run time (the step
 * schemas, the escalation levels), apart from events.ts: a workflow evaluates its modules once for
 * every run it takes into the worker's cache, and the events' schemas are most of that cost, which
 * the workflow does not use (README "Where an approval's and a payment's time goes").
 */

/** 绩效目标: what the money must achieve and for how many registered poor. No target, no library. */
export const performanceTargetSchema = z
  .object({
    indicators: z.array(z.object({ name: requiredLine(100), target: requiredLine(100), unit: textSchema(20) }).strict()).min(1),
    beneficiaryPoorHouseholds: z.number().int().min(0),
    beneficiaryPoorPeople: z.number().int().min(0),
  })
  .strict();
export type PerformanceTarget = z.infer<typeof performanceTargetSchema>;

export const ASSET_KINDS = ['business', 'public-benefit', 'household'] as const;
export const ESCALATION_LEVELS = ['township', 'county', 'city'] as const;
