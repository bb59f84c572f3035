import { z } from 'zod';
import { defineEvent, type DomainEvent, type EventRef } from '../shared/events';
import { instantSchema, opaqueIdSchema } from '../shared/ids';
import { userIdSchema } from '../shared/actor';
import { countyIdSchema } from '../reference/counties';
import { householdIdSchema } from '../household/ids';
import { benefitRoundIdSchema } from '../benefit/ids';
import { requiredText } from '../shared/text';
import { COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS, COMPLAINT_ESCALATION_LEVELS, COMPLAINT_FINDINGS, complaintIdSchema } from './ids';

/** What a complaint is about: a round, one payment of a round, or a household's treatment. */
export const complaintSubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('round'), roundId: benefitRoundIdSchema }).strict(),
  z.object({ kind: z.literal('payment'), roundId: benefitRoundIdSchema, paymentId: opaqueIdSchema }).strict(),
  z.object({ kind: z.literal('household'), householdId: householdIdSchema }).strict(),
]);
export type ComplaintSubject = z.infer<typeof complaintSubjectSchema>;

const base = { complaintId: complaintIdSchema, by: userIdSchema, at: instantSchema };
/** The round, payment and household the subject resolves to, on every event of the case: the refs index finds the whole case from any of them. */
const resolved = { roundId: benefitRoundIdSchema.nullable(), paymentId: opaqueIdSchema.nullable(), householdId: householdIdSchema.nullable() };
const refsOf = (d: { complaintId: string; countyId: string; roundId?: string | null; paymentId?: string | null; householdId?: string | null }): EventRef[] => [
  { kind: 'county', id: d.countyId },
  ...(d.roundId ? [{ kind: 'round' as const, id: d.roundId }] : []),
  ...(d.paymentId ? [{ kind: 'payment' as const, id: d.paymentId }] : []),
  ...(d.householdId ? [{ kind: 'household' as const, id: d.householdId }] : []),
];

/**
 * A complaint is filed: the subject, and the round, payment and household it resolves to (so the
 * refs index finds it from any of them), how it came in, and by when it must be answered. The
 * complainant is not recorded: 12317 takes anonymous reports, and a name or phone number would be
 * personal data in an append-only store.
 */
export const ComplaintFiled = defineEvent({
  type: 'ComplaintFiled',
  version: 1,
  schema: z
    .object({
      ...base,
      countyId: countyIdSchema,
      subject: complaintSubjectSchema,
      ...resolved,
      channel: z.enum(COMPLAINT_CHANNELS),
      category: z.enum(COMPLAINT_CATEGORIES),
      summary: requiredText(2000),
      answerBy: instantSchema,
    })
    .strict(),
  refs: refsOf,
});

/** The answer is late: the next level is told (督办), and the case waits on under its eye. */
export const ComplaintEscalated = defineEvent({
  type: 'ComplaintEscalated',
  version: 1,
  schema: z.object({ ...base, countyId: countyIdSchema, ...resolved, level: z.enum(COMPLAINT_ESCALATION_LEVELS), answerBy: instantSchema }).strict(),
  refs: refsOf,
});

/** The answer (答复): what was found and what was done; the case is closed. */
export const ComplaintAnswered = defineEvent({
  type: 'ComplaintAnswered',
  version: 1,
  schema: z.object({ ...base, countyId: countyIdSchema, ...resolved, finding: z.enum(COMPLAINT_FINDINGS), answer: requiredText(2000), late: z.boolean() }).strict(),
  refs: refsOf,
});

export const COMPLAINT_EVENTS = [ComplaintFiled, ComplaintEscalated, ComplaintAnswered] as const;

type Ev<D extends { type: string; schema: z.ZodType }> = DomainEvent<D['type'], z.output<D['schema']>>;
export type ComplaintEvent = Ev<typeof ComplaintFiled> | Ev<typeof ComplaintEscalated> | Ev<typeof ComplaintAnswered>;
export type ComplaintEventOf<T extends ComplaintEvent['type']> = Extract<ComplaintEvent, { type: T }>;
