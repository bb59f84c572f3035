import { ANOMALY_PAGE_MAX } from '../../services/anomaly-queries';
import { z } from 'zod';
import { fundIdSchema } from '../../domain/fund';
import { householdIdSchema } from '../../domain/household/ids';
import { projectIdSchema } from '../../domain/project/ids';
import { opaqueIdSchema } from '../../domain/shared/ids';
import { countyIdSchema } from '../../domain/reference/counties';
import { ANOMALY_KINDS } from '../../infra/projections/anomalies/kinds';
import { pageQueryShape } from './common';

export const paymentListQuerySchema = z
  .object({
    ...pageQueryShape,
    fund: fundIdSchema.optional(),
    project: projectIdSchema.optional(),
    /** The payee's account. */
    payee: opaqueIdSchema.optional(),
    household: householdIdSchema.optional(),
    /** Keyset cursor: the store position of the previous page's last payment. */
    after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();

export const ledgerPaymentSchema = z.object({
  paymentId: z.string(),
  fundId: z.string(),
  source: z.string(),
  countyId: z.string(),
  fiscalYear: z.number().int(),
  projectId: z.string(),
  allocationId: z.string(),
  milestone: z.string(),
  payeeAccount: z.string(),
  householdId: z.string().nullable(),
  amountFen: z.number().int(),
  businessDate: z.string(),
  recordedAt: z.string(),
  position: z.number().int(),
});

export const paymentPageSchema = z.object({
  items: z.array(ledgerPaymentSchema),
  next: z.string().nullable(),
  totals: z.object({ payments: z.number().int(), amountFen: z.number().int() }),
});

export const anomalyQuerySchema = z
  .object({
    county: countyIdSchema.optional(),
    kind: z.enum(ANOMALY_KINDS, { error: `must be one of: ${ANOMALY_KINDS.join(', ')}` }).optional(),
    /** The day idle money is judged on; today (UTC) when left out. */
    asOf: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).optional(),
    limit: z.coerce.number().int().min(1).max(ANOMALY_PAGE_MAX).default(200),
    after: z
      .string()
      .regex(/^[A-Za-z0-9_-]{4,400}$/, { error: 'must be the cursor a previous page answered as next' })
      .optional(),
  })
  .strict();

export const anomalySchema = z.object({
  anomalyId: z.string(),
  kind: z.enum(ANOMALY_KINDS),
  countyId: z.string(),
  projectId: z.string().nullable(),
  fundId: z.string().nullable(),
  allocationId: z.string().nullable(),
  paymentId: z.string().nullable(),
  householdId: z.string().nullable(),
  payeeAccount: z.string().nullable(),
  amountFen: z.number().int().nullable(),
  code: z.string().nullable(),
  zh: z.string().nullable(),
  en: z.string().nullable(),
  actor: z.object({ userId: z.string(), role: z.string() }).nullable(),
  stage: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  businessDate: z.string(),
  position: z.number().int(),
});

export const anomalyListSchema = z.object({ asOf: z.string(), items: z.array(anomalySchema), next: z.string().nullable() });
