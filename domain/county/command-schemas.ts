import { z } from 'zod';
import { objectionIdSchema } from '../shared/ids';
import { countyIdSchema } from '../reference/counties';
import type { CountyCommand } from './commands';
import { optionalText, requiredLine, requiredText } from '../shared/text';
import { sampleBasisSchema, sampleFramesSchema } from './events';

/** What a caller may send for each county command (see household/command-schemas.ts). */
const id = { countyId: countyIdSchema };
const n = z.number().int().nonnegative();

export const COUNTY_COMMAND_DATA_SCHEMAS = {
  ApplyForCountyExit: z
    .object({ ...id, year: z.number().int().min(2016).max(2020), poorRemaining: n, ruralPopulation: n.min(1), poorVillagesExited: n, sampleBasis: sampleBasisSchema.optional() })
    .strict(),
  RecordCityPreCheck: z.object({ ...id, passed: z.boolean(), findings: optionalText(4000) }).strict(),
  RecordProvincialCheck: z
    .object({
      ...id,
      sample: z.object({ seed: requiredLine(200), households: n, evaluator: requiredLine(200) }).strict(),
      wronglyExited: z.object({ found: n, checked: n.min(1) }).strict(),
      missedPoor: z.object({ found: n, checked: n.min(1) }).strict(),
      approval: z.object({ approving: n, asked: n.min(1) }).strict(),
      incomeGrowthBp: z.object({ county: z.number().int(), province: z.number().int() }).strict(),
      servicesAtOrNearProvince: z.boolean(),
      frames: sampleFramesSchema.optional(),
    })
    .strict(),
  PostCountyExitNotice: z.object({ ...id, endsAt: z.iso.datetime({ offset: true }) }).strict(),
  RaiseCountyExitObjection: z.object({ ...id, objectionId: objectionIdSchema, summary: requiredText(2000) }).strict(),
  ResolveCountyExitObjection: z.object({ ...id, objectionId: objectionIdSchema, outcome: z.enum(['upheld', 'dismissed']), note: optionalText(2000) }).strict(),
  AnnounceCountyExit: z.object({ ...id }).strict(),
} as const satisfies { [K in CountyCommand['type']]: z.ZodType<Extract<CountyCommand, { type: K }>['data']> };
