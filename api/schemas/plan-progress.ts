import { z } from 'zod';
import { countyIdSchema } from '../../domain/reference/counties';
import { projectCategorySchema } from '../../domain/project/ids';

export const planProgressQuerySchema = z
  .object({
    county: countyIdSchema.optional(),
    year: z.coerce.number().int().min(2016).max(2030).optional(),
    category: projectCategorySchema.optional(),
    /** Also the plan's sub-items nothing has been allocated under. */
    all: z
      .enum(['true', 'false'])
      .transform((s) => s === 'true')
      .optional(),
  })
  .strict();

const planYear = z.object({ year: z.number().int(), allocatedFen: z.number().int(), paidFen: z.number().int(), households: z.number().int() });
export const planProgressSchema = z.object({
  rows: z.array(
    z.object({
      countyId: z.string(),
      county: z.string(),
      category: z.string(),
      categoryZh: z.string(),
      planItem: z.string().nullable().describe('<category>/<item>[/<part>]; null: money under no sub-item'),
      planItemZh: z.string().nullable(),
      planFen: z.number().int().nullable().describe("the plan's amount for the county, 2016–2020 (its share of the city-wide figure)"),
      projects: z.number().int(),
      allocatedFen: z.number().int(),
      paidFen: z.number().int(),
      households: z.number().int(),
      years: z.array(planYear),
    }),
  ),
  totals: z.object({ allocatedFen: z.number().int(), paidFen: z.number().int(), households: z.number().int() }),
});
