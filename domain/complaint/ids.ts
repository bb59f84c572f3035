import { z } from 'zod';

/** cp-<county>-<serial>: one complaint (申诉、投诉举报). Free of personal data: safe as a stream id and a workflow id. */
export const complaintIdSchema = z.string().regex(/^cp-[a-z]+-[a-z0-9]{4,40}$/, { error: 'must look like cp-<county>-<serial>' });
export type ComplaintId = z.infer<typeof complaintIdSchema>;

/**
 * How a complaint came in. The 12317 line, a visit and a letter are recorded by the official who
 * took them; `online` is the public form, filed by anyone without an account through the open
 * endpoint and recorded under the intake's system id.
 */
export const COMPLAINT_CHANNELS = ['hotline-12317', 'visit', 'letter', 'online'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

/** What it is about, as 12317 sorts its cases. */
export const COMPLAINT_CATEGORIES = ['not-paid', 'wrong-amount', 'eligibility', 'diversion', 'conduct', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

/** What the answer found. */
export const COMPLAINT_FINDINGS = ['upheld', 'partly-upheld', 'not-upheld'] as const;
export type ComplaintFinding = (typeof COMPLAINT_FINDINGS)[number];

/** Who is told when the answer is late (督办): the county's leadership, then the city. */
export const COMPLAINT_ESCALATION_LEVELS = ['county', 'city'] as const;
export type ComplaintEscalationLevel = (typeof COMPLAINT_ESCALATION_LEVELS)[number];

/** The intake's own id, under which the public form's complaints are recorded (no token is issued for a system id). */
export const PUBLIC_INTAKE_USER = 'system.public-intake';
