import { z } from 'zod';
import { objectionIdSchema } from '../shared/ids';
import { countyIdSchema } from '../reference/counties';
import { villageIdSchema } from './ids';
import { checklistItemSchema, CHECK_RESULTS } from './checklist';
import type { VillageCommand } from './commands';
import { optionalText, requiredLine, requiredText } from '../shared/text';

/** What a caller may send for each village command (see household/command-schemas.ts). */
const id = { villageId: villageIdSchema };
const year = z.number().int().min(2014).max(2030);
const count = z.number().int().nonnegative();

export const VILLAGE_COMMAND_DATA_SCHEMAS = {
  RegisterPoorVillage: z.object({ ...id, countyId: countyIdSchema, registeredYear: year }).strict(),
  RecordVillageIncidence: z.object({ ...id, year, poorRemaining: count, population: count.min(1) }).strict(),
  CheckVillageItem: z.object({ ...id, item: checklistItemSchema, result: z.enum(CHECK_RESULTS), evidenceRef: requiredLine(200) }).strict(),
  ApplyForVillageExit: z.object({ ...id, year }).strict(),
  ReviewVillageExit: z.object({ ...id, approved: z.boolean(), note: optionalText(2000) }).strict(),
  PostVillageExitNotice: z.object({ ...id, endsAt: z.iso.datetime({ offset: true }) }).strict(),
  RaiseVillageExitObjection: z.object({ ...id, objectionId: objectionIdSchema, summary: requiredText(2000) }).strict(),
  ResolveVillageExitObjection: z.object({ ...id, objectionId: objectionIdSchema, outcome: z.enum(['upheld', 'dismissed']), note: optionalText(2000) }).strict(),
  AnnounceVillageExit: z.object({ ...id }).strict(),
} as const satisfies { [K in VillageCommand['type']]: z.ZodType<Extract<VillageCommand, { type: K }>['data']> };
