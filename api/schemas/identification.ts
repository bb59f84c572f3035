import { z } from 'zod';
import { NOTICE_DAYS } from '../../domain/policy/exit-thresholds';
import { REMOVAL_REASONS, MEMBER_REMOVAL_REASONS } from '../../domain/household/removal';
import { memberSchema } from '../../domain/household/events';
import type { IdentificationPhase } from '../../domain/identification/steps';
import { requiredLine, optionalText } from '../../domain/shared/text';
import { identificationStepSchema } from '../../workflows/identification.messages';
import type { IdentificationView } from '../../services/identification';
import { householdBodySchema } from './registry';
import { requestIdSchema } from './common';
import { householdInCountySchema, noticeDays, pathYear, phasesOf, stepsOf, villageInCountySchema, viewShape } from './exits';

const planYear = z.number().int().min(2016).max(2020);

export const startIdentificationBodySchema = z
  .object({ villageId: villageInCountySchema, year: planYear, noticeDays: noticeDays(NOTICE_DAYS.identification.value), requestId: requestIdSchema.optional() })
  .strict();
export const identificationParamsSchema = z.object({ villageId: villageInCountySchema, year: pathYear }).strict();

/** 农户申请: the household's file as a registry row holds it, without county, village and year (the round's), with its signed form. */
export const applicationBodySchema = householdBodySchema
  .omit({ countyId: true, villageId: true, registeredYear: true })
  .extend({ recordRef: requiredLine(200) })
  .strict();

/** The steps after the application (which has its own route: its ID numbers go to the encrypted table first). */
export const identificationStepBodySchema = stepsOf(identificationStepSchema.options.filter((o) => o.shape.type.value !== 'apply'));

export const identificationStatusSchema = z.object({
  villageId: z.string(),
  year: z.number().int(),
  phase: phasesOf<IdentificationPhase>()(['applying', 'village-notice', 'township-review', 'township-notice', 'county-review', 'announced', 'closed']),
  noticeEndsAt: z.string().optional(),
  households: z.array(z.object({ householdId: z.string(), status: z.string(), statusZh: z.string(), reason: z.string().optional(), reasonZh: z.string().optional() })).readonly(),
  registered: z.array(z.string()).readonly(),
  ...viewShape,
}) satisfies z.ZodType<IdentificationView>;

/** 动态调整: a household's removal and a member's, each with its reason and record. */
export const removalParamsSchema = z.object({ id: householdInCountySchema }).strict();
export const proposeRemovalBodySchema = z
  .object({ year: z.number().int().min(2014).max(2030), reason: z.enum(REMOVAL_REASONS), recordRef: requiredLine(200), requestId: requestIdSchema.optional() })
  .strict();
export const removalNoticeBodySchema = z.object({ noticeDays: noticeDays(NOTICE_DAYS.removal.value), requestId: requestIdSchema.optional() }).strict();
export const removalDecisionBodySchema = z.object({ approved: z.boolean(), note: optionalText(2000).default(''), requestId: requestIdSchema.optional() }).strict();
export const removeMemberBodySchema = z
  .object({
    year: z.number().int().min(2014).max(2030),
    idNumber: memberSchema.shape.idNumber,
    reason: z.enum(MEMBER_REMOVAL_REASONS),
    recordRef: requiredLine(200),
    requestId: requestIdSchema.optional(),
  })
  .strict();
export const removalOutcomeSchema = z.object({
  householdId: z.string(),
  status: z.string(),
  events: z.array(z.string()).readonly(),
  positions: z.array(z.number().int()).readonly(),
  repeated: z.boolean(),
});
