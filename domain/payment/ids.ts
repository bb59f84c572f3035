import { z } from 'zod';

/**
 * <project id>:p<n>: the n-th payment a project's workflow records (workflows/project-lifecycle.ts
 * paymentIdFor), so a retried payment carries the same id. It names its project, and so its county.
 */
export const paymentIdSchema = z.string().regex(/^prj-[a-z]+-\d{4}-[a-z0-9]{4,32}:p\d{1,9}$/, { error: 'must look like <project id>:p<n> (prj-<county>-<year>-<serial>:p1)' });
export type PaymentId = z.infer<typeof paymentIdSchema>;
