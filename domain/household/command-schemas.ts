import { z } from 'zod';
import { objectionIdSchema } from '../shared/ids';
import { fenSchema } from '../shared/money';
import { countyIdSchema } from '../reference/counties';
import { villageIdSchema } from '../village/ids';
import { householdIdSchema } from './ids';
import { causeSchema } from './causes';
import { guaranteesSchema } from './guarantees';
import { MEMBER_RELATIONS } from './events';
import { MEMBER_REMOVAL_REASONS, REMOVAL_REASONS } from './removal';
import type { HouseholdCommand } from './commands';
import { optionalText, requiredLine, requiredText } from '../shared/text';

/**
 * What a caller may send for each household command, parsed at the boundary (CLI, API, Update
 * validators) before a workflow sees it; the actor and the time are not the caller's to give.
 * ID numbers are checked only for shape here: the decider validates them against the date.
 */
const id = { householdId: householdIdSchema };
const year = z.number().int().min(2014).max(2030);
const text = requiredText(2000);
const ref = requiredLine(200);
const instant = z.iso.datetime({ offset: true });
const members = z
  .array(z.object({ idNumber: z.string().regex(/^\d{17}[\dXx]$/, { error: 'must be 17 digits and a digit or X' }), relation: z.enum(MEMBER_RELATIONS) }).strict())
  .min(1)
  .max(20);

export const HOUSEHOLD_COMMAND_DATA_SCHEMAS = {
  RegisterHousehold: z
    .object({
      ...id,
      countyId: countyIdSchema,
      villageId: villageIdSchema,
      registeredYear: year,
      members,
      causes: z.array(causeSchema).min(1),
      perCapitaIncome: fenSchema,
      stableIncomeSource: z.boolean(),
      guarantees: guaranteesSchema,
    })
    .strict(),
  UpdateMembers: z.object({ ...id, year, members }).strict(),
  RecordIncome: z.object({ ...id, year, perCapitaIncome: fenSchema, stableIncomeSource: z.boolean() }).strict(),
  UpdateGuarantees: z.object({ ...id, year, guarantees: guaranteesSchema }).strict(),
  AssessForExit: z.object({ ...id, year }).strict(),
  AppraiseInVillage: z.object({ ...id, agreed: z.boolean(), recordRef: ref }).strict(),
  CheckByWorkTeam: z.object({ ...id, confirmed: z.boolean(), findings: optionalText(2000) }).strict(),
  RecordConsent: z.object({ ...id, consents: z.boolean(), recordRef: ref }).strict(),
  WithdrawConsent: z.object({ ...id, recordRef: ref }).strict(),
  PostExitNotice: z.object({ ...id, endsAt: instant }).strict(),
  RaiseExitObjection: z.object({ ...id, objectionId: objectionIdSchema, summary: text }).strict(),
  ResolveExitObjection: z.object({ ...id, objectionId: objectionIdSchema, outcome: z.enum(['upheld', 'dismissed']), note: optionalText(2000) }).strict(),
  ReviewByTownship: z.object({ ...id, approved: z.boolean(), note: optionalText(2000) }).strict(),
  AnnounceExit: z.object({ ...id }).strict(),
  VisitForReturnReview: z.object({ ...id, findings: text }).strict(),
  PostReturnNotice: z.object({ ...id, endsAt: instant }).strict(),
  DecideReturn: z.object({ ...id, returnsToPoverty: z.boolean(), reason: text }).strict(),
  ProposeRemoval: z.object({ ...id, year, reason: z.enum(REMOVAL_REASONS), recordRef: ref }).strict(),
  PostRemovalNotice: z.object({ ...id, endsAt: instant }).strict(),
  DecideRemoval: z.object({ ...id, approved: z.boolean(), note: optionalText(2000) }).strict(),
  RemoveMember: z
    .object({ ...id, year, idNumber: z.string().regex(/^\d{17}[\dXx]$/, { error: 'must be 17 digits and a digit or X' }), reason: z.enum(MEMBER_REMOVAL_REASONS), recordRef: ref })
    .strict(),
} as const satisfies { [K in HouseholdCommand['type']]: z.ZodType<Extract<HouseholdCommand, { type: K }>['data']> };
