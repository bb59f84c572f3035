import { z } from 'zod';
import { defineEvent, type DomainEvent, type EventRef } from '../shared/events';
import { daySchema, instantSchema } from '../shared/ids';
import { fenSchema } from '../shared/money';
import { userIdSchema } from '../shared/actor';
import { householdIdSchema } from '../household/ids';
import { accountKeySchema, memberKeySchema } from './ids';
import { HOUSING_GRADES, LABOUR_CAPACITIES, SCHOOL_LEVELS, SUPPORT_KINDS, WELFARE_JOBS } from './facts';

/**
 * The household's benefit file (享受政策档案): the registry facts the programme rules read, on their
 * own stream (`benefitfile-<household id>`) so recording them never races the exit process on the
 * household's stream. Members are named by their salted key; accounts by key and masked form.
 */
const base = { householdId: householdIdSchema, by: userIdSchema, at: instantSchema };
const evidenceRef = z.string().trim().min(1).max(200);
const reason = z.string().trim().min(1).max(500);
const hh = (d: { householdId: string }): EventRef[] => [{ kind: 'household', id: d.householdId }];

export const schoolingSchema = z.object({ level: z.enum(SCHOOL_LEVELS), schoolYear: z.number().int().min(2014).max(2030), boarding: z.boolean(), evidenceRef }).strict();

/** A member's attributes as the work team found them (a snapshot: the newest one counts). */
export const MemberAttributesRecorded = defineEvent({
  type: 'MemberAttributesRecorded',
  version: 1,
  schema: z
    .object({
      ...base,
      memberKey: memberKeySchema,
      labourCapacity: z.enum(LABOUR_CAPACITIES),
      disabilityGrade: z.number().int().min(1).max(4).nullable(),
      schooling: schoolingSchema.nullable(),
      dibao: z.boolean(),
      extremePoverty: z.enum(SUPPORT_KINDS).nullable(),
      welfareJob: z
        .object({ kind: z.enum(WELFARE_JOBS), since: daySchema, evidenceRef })
        .strict()
        .nullable(),
      training: z
        .object({ course: z.string().trim().min(1).max(100), completedOn: daySchema, evidenceRef })
        .strict()
        .nullable(),
    })
    .strict(),
  refs: hh,
});

/** 危房鉴定: the house's safety grade. */
export const HousingGraded = defineEvent({
  type: 'HousingGraded',
  version: 1,
  schema: z.object({ ...base, grade: z.enum(HOUSING_GRADES), assessedOn: daySchema, evidenceRef }).strict(),
  refs: hh,
});

/** 竣工验收: the renovation was inspected and accepted; only now may its subsidy be paid. */
export const HousingRenovationAccepted = defineEvent({
  type: 'HousingRenovationAccepted',
  version: 1,
  schema: z.object({ ...base, acceptedOn: daySchema, evidenceRef }).strict(),
  refs: hh,
});

/** The household is in the relocation plan (易地扶贫搬迁) for so many persons. */
export const RelocationPlanJoined = defineEvent({
  type: 'RelocationPlanJoined',
  version: 1,
  schema: z.object({ ...base, planRef: evidenceRef, persons: z.number().int().positive(), movedOn: daySchema.nullable() }).strict(),
  refs: hh,
});

export const MicrocreditLoanRecorded = defineEvent({
  type: 'MicrocreditLoanRecorded',
  version: 1,
  schema: z
    .object({
      ...base,
      loanRef: evidenceRef,
      principal: fenSchema,
      annualRateBp: z.number().int().min(0).max(2_000),
      months: z.number().int().min(1).max(36),
      year: z.number().int().min(2014).max(2030),
    })
    .strict(),
  refs: hh,
});

/**
 * The 一卡通 account benefits are paid into, set or changed, with who and why: a changed account is
 * the classic diversion route, so the history is kept and a payment soon after a change is flagged.
 * The number itself never enters the store: a salted key (the rail's account id) and a masked form.
 */
export const HouseholdAccountSet = defineEvent({
  type: 'HouseholdAccountSet',
  version: 1,
  schema: z
    .object({
      ...base,
      accountKey: accountKeySchema,
      masked: z.string().regex(/^\d{4}\*{4,11}\d{4}$/, { error: 'must be masked: first 4 and last 4 digits only' }),
      bank: z.string().trim().min(1).max(60),
      previousAccountKey: accountKeySchema.nullable(),
      reason,
    })
    .strict(),
  refs: hh,
});

export const BENEFIT_FILE_EVENTS = [
  MemberAttributesRecorded,
  HousingGraded,
  HousingRenovationAccepted,
  RelocationPlanJoined,
  MicrocreditLoanRecorded,
  HouseholdAccountSet,
] as const;

type Ev<D extends { type: string; schema: z.ZodType }> = DomainEvent<D['type'], z.output<D['schema']>>;
export type BenefitFileEvent = { [K in keyof typeof BENEFIT_FILE_EVENTS & `${number}`]: Ev<(typeof BENEFIT_FILE_EVENTS)[K]> }[keyof typeof BENEFIT_FILE_EVENTS & `${number}`];
