import { z } from 'zod';
import { fundIdSchema } from '../../domain/fund/ids';
import { projectIdSchema } from '../../domain/project/ids';
import { householdIdSchema } from '../../domain/household/ids';
import { paymentIdSchema } from '../../domain/payment/ids';
import { benefitRoundIdSchema } from '../../domain/benefit/ids';
import { householdIdSchema as hhId } from '../../domain/household/ids';

/** A benefit payment's id is its round's and its household's (`<round id>:<household id>`: one per household per round). */
const benefitPaymentIdSchema = z.string().refine((s) => {
  const i = s.lastIndexOf(':');
  return benefitRoundIdSchema.safeParse(s.slice(0, i)).success && hhId.safeParse(s.slice(i + 1)).success;
});
const ID_SCHEMAS = { fund: fundIdSchema, project: projectIdSchema, household: householdIdSchema, payment: z.union([paymentIdSchema, benefitPaymentIdSchema]), round: benefitRoundIdSchema } as const;

/** The id is checked by its kind's own schema, so a fund's trail cannot be asked for with a project's id. */
export const auditParamsSchema = z
  .object({ kind: z.enum(['fund', 'project', 'household', 'payment', 'round']), id: z.string().max(100) })
  .strict()
  .superRefine((p, ctx) => {
    const r = ID_SCHEMAS[p.kind].safeParse(p.id);
    if (!r.success) ctx.addIssue({ code: 'custom', path: ['id'], message: r.error.issues[0]?.message ?? 'is not an id of this kind' });
  });

export const auditQuerySchema = z.object({ format: z.enum(['json', 'csv']).default('json') }).strict();

export const auditEntrySchema = z.object({
  position: z.number().int(),
  streamId: z.string(),
  streamVersion: z.number().int(),
  eventId: z.string(),
  type: z.string(),
  countyId: z.string().nullable(),
  userId: z.string(),
  role: z.string(),
  policyVersion: z.string().nullable(),
  businessDate: z.string(),
  recordedAt: z.string(),
  workflowId: z.string().nullable(),
  runId: z.string().nullable(),
  data: z.unknown(),
  proof: z.object({ status: z.enum(['verified', 'broken']), hash: z.string(), reason: z.string().optional() }),
});
