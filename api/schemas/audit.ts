import { TRAIL_PAGE_MAX } from '../../services/audit-trail';
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
const ID_SCHEMAS = {
  fund: fundIdSchema,
  project: projectIdSchema,
  household: householdIdSchema,
  payment: z.union([paymentIdSchema, benefitPaymentIdSchema]),
  round: benefitRoundIdSchema,
} as const;

/** The id is checked by its kind's own schema, so a fund's trail cannot be asked for with a project's id. */
export const auditParamsSchema = z
  .object({ kind: z.enum(['fund', 'project', 'household', 'payment', 'round']), id: z.string().max(100) })
  .strict()
  .superRefine((p, ctx) => {
    const r = ID_SCHEMAS[p.kind].safeParse(p.id);
    if (!r.success) ctx.addIssue({ code: 'custom', path: ['id'], message: r.error.issues[0]?.message ?? 'is not an id of this kind' });
  });

/** A page of the trail: at most `limit` entries (bounded), after the cursor the previous page answered as `next`. */
export const auditQuerySchema = z
  .object({
    format: z.enum(['json', 'csv']).default('json'),
    limit: z.coerce.number().int().min(1).max(TRAIL_PAGE_MAX).default(1000),
    after: z
      .string()
      .regex(/^\d{1,20}\.\d{1,19}$/, { error: 'must be the cursor a previous page answered as next' })
      .optional(),
  })
  .strict();

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

/** A ledger is a fund's or a project's: the money movements of a household or one payment are rows of theirs. */
export const ledgerParamsSchema = z
  .object({ kind: z.enum(['fund', 'project']), id: z.string().max(100) })
  .strict()
  .superRefine((p, ctx) => {
    const r = ID_SCHEMAS[p.kind].safeParse(p.id);
    if (!r.success) ctx.addIssue({ code: 'custom', path: ['id'], message: r.error.issues[0]?.message ?? 'is not an id of this kind' });
  });

export const ledgerQuerySchema = z.object({ format: z.enum(['json', 'csv', 'xlsx']).default('json') }).strict();

const ledgerRowShape = {
  position: z.number().int(),
  at: z.string(),
  userId: z.string(),
  role: z.string(),
  projectId: z.string().nullable(),
  payee: z.string().nullable(),
};
export const ledgerSchema = z.object({
  kind: z.string(),
  id: z.string(),
  rows: z.array(
    z.object({
      ...ledgerRowShape,
      type: z.string(),
      item: z.string(),
      amountFen: z.number().int(),
      amount: z.string(),
      fundId: z.string(),
      source: z.string().nullable(),
      projectName: z.string().nullable(),
      householdId: z.string().nullable(),
      milestone: z.string().nullable(),
      basis: z.string().nullable(),
      proof: z.object({ status: z.enum(['verified', 'broken']), hash: z.string(), reason: z.string().optional() }),
    }),
  ),
  refusals: z.array(
    z.object({ ...ledgerRowShape, commandType: z.string(), code: z.string(), zh: z.string(), amountFen: z.number().int().nullable(), fundId: z.string().nullable() }),
  ),
  totals: z.record(z.string(), z.union([z.number().int(), z.string(), z.null()])),
  books: z.array(z.record(z.string(), z.unknown())),
  reconciled: z.boolean(),
  verified: z.boolean(),
});
