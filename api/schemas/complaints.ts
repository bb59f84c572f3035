import { z } from 'zod';
import { complaintSubjectSchema } from '../../domain/complaint/events';
import { COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS, COMPLAINT_ESCALATION_LEVELS, COMPLAINT_FINDINGS, complaintIdSchema } from '../../domain/complaint/ids';
import { countyIdSchema } from '../../domain/reference/counties';
import { requiredText } from '../../domain/shared/text';
import { requestIdSchema } from './common';

const recorded = COMPLAINT_CHANNELS.filter((c) => c !== 'online') as ['hotline-12317', 'visit', 'letter'];

/** An official records a complaint taken by phone (12317), in person or by letter. */
export const recordComplaintBodySchema = z
  .object({
    subject: complaintSubjectSchema,
    channel: z.enum(recorded),
    category: z.enum(COMPLAINT_CATEGORIES),
    summary: requiredText(2000),
    requestId: requestIdSchema.optional(),
  })
  .strict();

/** The public form: no account, no name, no phone number (12317 takes anonymous reports). */
export const publicComplaintBodySchema = z
  .object({
    subject: complaintSubjectSchema,
    category: z.enum(COMPLAINT_CATEGORIES),
    summary: requiredText(2000),
  })
  .strict();

export const answerComplaintBodySchema = z.object({ finding: z.enum(COMPLAINT_FINDINGS), answer: requiredText(2000), requestId: requestIdSchema.optional() }).strict();

export const complaintParamsSchema = z.object({ complaintId: complaintIdSchema }).strict();

export const complaintsQuerySchema = z
  .object({
    county: countyIdSchema.optional(),
    open: z
      .enum(['true', 'false'])
      .transform((s) => s === 'true')
      .optional(),
  })
  .strict();

export const filedComplaintSchema = z.object({ complaintId: z.string(), countyId: z.string(), answerBy: z.string(), workflowId: z.string(), duplicate: z.boolean() });

export const complaintSchema = z.object({
  complaintId: z.string(),
  status: z.enum(['open', 'answered']),
  countyId: z.string(),
  subject: complaintSubjectSchema,
  roundId: z.string().nullable(),
  paymentId: z.string().nullable(),
  householdId: z.string().nullable(),
  channel: z.enum(COMPLAINT_CHANNELS),
  category: z.enum(COMPLAINT_CATEGORIES),
  summary: z.string(),
  filedBy: z.string(),
  filedAt: z.string(),
  answerBy: z.string(),
  /** The last level told that the answer is late (督办), or null. */
  escalation: z.enum(COMPLAINT_ESCALATION_LEVELS).nullable(),
  overdue: z.boolean(),
  finding: z.enum(COMPLAINT_FINDINGS).optional(),
  answer: z.string().optional(),
  answeredBy: z.string().optional(),
  answeredAt: z.string().optional(),
  late: z.boolean().optional(),
});

/**
 * What anyone holding a complaint's id may read of it (GET /public/complaints/:id): where it stands and
 * the county's answer, never what was complained of, about whom, or by whom (those stay with officials).
 */
export const publicComplaintStatusSchema = complaintSchema.pick({
  complaintId: true,
  status: true,
  countyId: true,
  category: true,
  filedAt: true,
  answerBy: true,
  escalation: true,
  overdue: true,
  finding: true,
  answer: true,
  answeredAt: true,
  late: true,
});

export const complaintListSchema = z.object({ items: z.array(complaintSchema), truncated: z.boolean() });

export const complaintCaseStatusSchema = z.object({
  complaintId: z.string(),
  phase: z.enum(['open', 'answered']),
  answerBy: z.string(),
  escalation: z.enum(COMPLAINT_ESCALATION_LEVELS).nullable(),
});
