import { z } from 'zod';
import { countyIdSchema } from '../reference/counties';

/**
 * Who may act. County-scoped roles carry the county they serve; the city office, inspectors,
 * auditors and the administrator act across the prefecture, the province's two across all its
 * counties. `village-committee` is the village's 村两委 (Party branch and villagers' committee): the
 * democratic appraisal (民主评议) is theirs. A poor county's exit (摘帽) is the province's act:
 * `province-poverty-office` (省扶贫办) makes the provincial check (省级核查) and posts the notice,
 * `province-government` (省人民政府) approves the exit and announces it; the city only pre-checks.
 */
export const ROLES = [
  'township-official',
  'county-official',
  'county-finance',
  'city-poverty-office',
  'inspector',
  'auditor',
  'administrator',
  'work-team',
  'village-committee',
  'province-poverty-office',
  'province-government',
] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const COUNTY_SCOPED_ROLES: readonly Role[] = ['township-official', 'county-official', 'county-finance', 'work-team', 'village-committee'];

/**
 * User ids the system itself acts under (deadline escalation, notices): never a person's. No token
 * is issued for one, and no Update may name one (the workflow's own acts are the only ones).
 */
export const SYSTEM_USER = /^system[.]/;

/** An opaque user id: never a name or an ID-card number. */
export const userIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, { error: 'must be 2-64 of a-z 0-9 . _ - (an account id, not a name)' });

export const actorSchema = z
  .object({
    userId: userIdSchema,
    role: roleSchema,
    countyId: countyIdSchema.optional(),
  })
  .strict()
  .refine((a) => !COUNTY_SCOPED_ROLES.includes(a.role) || a.countyId !== undefined, {
    message: 'a county-scoped role needs a countyId',
    path: ['countyId'],
  });
export type Actor = z.infer<typeof actorSchema>;

/**
 * A request's actor assertion: the caller's signed token (a compact JWS) beside the actor it names,
 * checked by the activity that records the decision (infra/tokens/actor-assertion.ts). Its shape only
 * here; whether it is signed, current and for this actor is the activity's check.
 */
export const actorAssertionSchema = z
  .string()
  .max(4096)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, { error: 'must be a signed token (header.payload.signature)' });

/** Every command carries who gives it and when; deciders read no clock. */
export const commandMetaSchema = z
  .object({
    actor: actorSchema,
    /** ISO-8601 instant the command is given at (the workflow's time, not the machine's). */
    now: z.iso.datetime({ offset: true }),
  })
  .strict();
export type CommandMeta = z.infer<typeof commandMetaSchema>;
