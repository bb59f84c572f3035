import { z } from 'zod';

/**
 * The funding-side rule tables (notice, payment template, negative list) carry where they come
 * from and which version they are; each decision records the version it used so it can be
 * explained after a table is revised. (policy-ref.ts does the same for the exit-side tables.)
 */
export const policyVersionSchema = z.object({ id: z.string().min(1), version: z.number().int().min(1) }).strict();
export type PolicyVersion = z.infer<typeof policyVersionSchema>;

export interface PolicyTable extends PolicyVersion {
  readonly source: string;
  readonly effectiveFrom: string;
  /** false while the rule's document has not been read here (a rule recalled or seen second-hand). */
  readonly verified: boolean;
}

export const policyVersion = (p: PolicyVersion): PolicyVersion => ({ id: p.id, version: p.version });
