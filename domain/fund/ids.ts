import { z } from 'zod';

/** fund-<county>-<year>-<serial>: readable and free of personal data. */
export const fundIdSchema = z.string().regex(/^fund-[a-z]+-\d{4}-[a-z0-9-]{2,40}$/, { error: 'must look like fund-<county>-<year>-<serial>' });
export type FundId = z.infer<typeof fundIdSchema>;

/** Where the money comes from (DESIGN.md: Money and funds). */
export const FUND_SOURCES = ['central', 'provincial', 'city', 'county', 'integrated-agricultural', 'social', 'credit'] as const;
export const fundSourceSchema = z.enum(FUND_SOURCES, { error: `must be one of: ${FUND_SOURCES.join(', ')}` });
export type FundSource = z.infer<typeof fundSourceSchema>;

/** What a payment is for, in the order a works contract pays out. */
export const MILESTONE_KINDS = ['advance', 'progress', 'settlement', 'retention'] as const;
export const milestoneKindSchema = z.enum(MILESTONE_KINDS);
export type MilestoneKind = z.infer<typeof milestoneKindSchema>;

/** What a disbursement pays: a works milestone, or a benefit paid to a household's own account (到户, domain/benefit). */
export const PAYMENT_KINDS = [...MILESTONE_KINDS, 'benefit'] as const;
export const paymentKindSchema = z.enum(PAYMENT_KINDS);
export type PaymentKind = z.infer<typeof paymentKindSchema>;
