import { z } from 'zod';
import { performanceTargetSchema, subsidyBasisSchema, villageRecordSchema } from '../../domain/project/events';
import { appraisalSchema, projectPlaceSchema } from '../../domain/project/place';
import { errorSchema } from './common';

const fen = z.number().int();

/** ExistingProject (domain/project/state.ts) as the API answers it: amounts in fen, instants ISO-8601. */
const fileSchema = z.object({
  status: z.string(),
  projectId: z.string(),
  countyId: z.string(),
  category: z.string(),
  name: z.string(),
  budget: fen,
  fiscalYear: z.number().int(),
  proposedBy: z.string(),
  place: projectPlaceSchema.optional(),
  villageRecord: villageRecordSchema.optional(),
  appraisal: appraisalSchema.optional(),
  performanceTarget: performanceTargetSchema.optional(),
  subsidyBasis: subsidyBasisSchema.optional(),
  townshipReviewedBy: z.string().optional(),
  approvedBy: z.string().optional(),
  noticeEndsAt: z.string().optional(),
  objections: z.number().int(),
  allocations: z.record(z.string(), z.object({ fundId: z.string(), source: z.string(), amount: fen, paid: fen })),
  funded: fen,
  contract: z
    .object({ contractId: z.string(), contractor: z.string(), amount: fen, advanceBp: z.number().int(), retentionBp: z.number().int(), warrantyMonths: z.number().int() })
    .optional(),
  milestones: z.record(z.string(), z.object({ percentCompleteBp: z.number().int(), paid: z.boolean() })),
  progressBp: z.number().int(),
  paid: fen,
  paidByKind: z.object({ advance: fen, progress: fen, settlement: fen, retention: fen }),
  paymentIds: z.record(z.string(), z.literal(true)),
  acceptedBy: z.string().optional(),
  warrantyEndsAt: z.string().optional(),
  settlementAmount: fen.optional(),
  retentionAmount: fen.optional(),
  findings: z.record(z.string(), z.enum(['open', 'remediated', 'verified'])),
  escalation: z.object({ stage: z.string(), level: z.enum(['township', 'county', 'city']) }).optional(),
});

const offeredPaymentSchema = z.object({
  milestone: z.enum(['advance', 'progress', 'settlement', 'retention']),
  milestoneId: z.string().optional(),
  ok: z.boolean(),
  capFen: fen.optional(),
  paidFen: fen.optional(),
  roomFen: fen.optional(),
  refusal: errorSchema.pick({ code: true, zh: true, en: true, details: true }).optional(),
});

export const projectFileSchema = z.object({
  projectId: z.string(),
  streamVersion: z.number().int(),
  file: fileSchema,
  offered: z.object({ steps: z.array(z.object({ type: z.string(), action: z.string() })) }),
  payments: z.array(offeredPaymentSchema),
  asOf: z.string(),
});
