import { z } from 'zod';
import { householdIdSchema } from '../../domain/household/ids';
import { villageIdSchema } from '../../domain/village/ids';
import { daySchema, objectionIdSchema } from '../../domain/shared/ids';
import { validateResidentId } from '../../domain/household/resident-id';
import { benefitRoundIdSchema, periodSchema, townshipIdSchema } from '../../domain/benefit/ids';
import { programmeIdSchema } from '../../domain/benefit/programmes';
import { accountNumberSchema } from '../../domain/benefit/account';
import { HOUSING_GRADES, LABOUR_CAPACITIES, SCHOOL_LEVELS, SUPPORT_KINDS, WELFARE_JOBS } from '../../domain/benefit/facts';
import { optionalText, requiredLine, requiredText } from '../../domain/shared/text';
import { requestIdSchema } from './common';
import { moneySchema } from '../../domain/shared/money';

const text = (max: number) => requiredLine(max);
const evidenceRef = text(200);

export const householdParamsSchema = z.object({ id: householdIdSchema }).strict();
export const roundParamsSchema = z.object({ roundId: benefitRoundIdSchema }).strict();

/** A member is named by their resident ID number here, turned into a salted key at once; the number is never stored. */
const idNumber = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .refine((s) => validateResidentId(s).ok, { error: 'must be a valid resident ID number (GB 11643)' });

export const benefitFactBodySchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('memberAttributes'),
      idNumber,
      labourCapacity: z.enum(LABOUR_CAPACITIES),
      disabilityGrade: z.number().int().min(1).max(4).nullable().default(null),
      schooling: z
        .object({ level: z.enum(SCHOOL_LEVELS), schoolYear: z.number().int().min(2014).max(2030), boarding: z.boolean().default(false), evidenceRef })
        .strict()
        .nullable()
        .default(null),
      dibao: z.boolean().default(false),
      extremePoverty: z.enum(SUPPORT_KINDS).nullable().default(null),
      welfareJob: z
        .object({ kind: z.enum(WELFARE_JOBS), since: daySchema, evidenceRef })
        .strict()
        .nullable()
        .default(null),
      training: z
        .object({ course: text(100), completedOn: daySchema, evidenceRef })
        .strict()
        .nullable()
        .default(null),
      requestId: requestIdSchema.optional(),
    })
    .strict(),
  z.object({ type: z.literal('housingGrade'), grade: z.enum(HOUSING_GRADES), assessedOn: daySchema, evidenceRef, requestId: requestIdSchema.optional() }).strict(),
  z.object({ type: z.literal('renovationAccepted'), acceptedOn: daySchema, evidenceRef, requestId: requestIdSchema.optional() }).strict(),
  z
    .object({
      type: z.literal('relocation'),
      planRef: evidenceRef,
      persons: z.number().int().positive(),
      movedOn: daySchema.nullable().default(null),
      requestId: requestIdSchema.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('loan'),
      loanRef: evidenceRef,
      principal: moneySchema,
      annualRateBp: z.number().int().min(0).max(2000),
      months: z.number().int().min(1).max(36),
      year: z.number().int().min(2014).max(2030),
      requestId: requestIdSchema.optional(),
    })
    .strict(),
]);

export const accountBodySchema = z
  .object({
    /** The 一卡通 number as printed; parsed, keyed and masked at once, never stored. */
    accountNumber: z.string().max(40).pipe(accountNumberSchema),
    bank: text(60),
    reason: text(500),
    requestId: requestIdSchema.optional(),
  })
  .strict();

export const factOutcomeSchema = z.object({ householdId: z.string(), type: z.string(), duplicate: z.boolean(), positions: z.array(z.number()), masked: z.string().optional() });

export const startBenefitRoundBodySchema = z
  .object({
    programmeId: programmeIdSchema,
    townshipId: townshipIdSchema,
    villageIds: z.array(villageIdSchema).min(1).max(200),
    period: periodSchema,
    /** The county's own standard per tier, where the programme lets it (above a floor, below a cap): "3600元". */
    standards: z.record(z.string().regex(/^[a-zA-Z-]{1,20}$/), moneySchema).optional(),
    /** 公示 in days; at least 7 (the policy). */
    noticeDays: z.number().int().min(7).max(60).default(7),
    batchSize: z.number().int().min(1).max(1000).optional(),
    requestId: requestIdSchema.optional(),
  })
  .strict();

export const benefitRoundStepBodySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('postNotice'), requestId: requestIdSchema.optional() }).strict(),
  z
    .object({
      type: z.literal('objection'),
      objectionId: objectionIdSchema,
      householdId: householdIdSchema,
      outcome: z.enum(['remove', 'add', 'dismiss']),
      reason: requiredText(2000),
      requestId: requestIdSchema.optional(),
    })
    .strict(),
  z.object({ type: z.literal('review'), approved: z.boolean(), note: optionalText(2000).default(''), requestId: requestIdSchema.optional() }).strict(),
  z.object({ type: z.literal('approve'), approved: z.boolean(), note: optionalText(2000).default(''), requestId: requestIdSchema.optional() }).strict(),
  z
    .object({
      type: z.literal('disburse'),
      fundId: z.string().regex(/^fund-[a-z]+-\d{4}-[a-z0-9-]{2,40}$/, { error: 'must look like fund-<county>-<year>-<serial>' }),
      requestId: requestIdSchema.optional(),
    })
    .strict(),
]);

const summarySchema = z.object({
  stage: z.string(),
  lineCount: z.number(),
  listTotal: z.number(),
  paid: z.number(),
  returned: z.number(),
  counts: z.record(z.string(), z.number()),
  listTotalYuan: z.string(),
  paidYuan: z.string(),
  returnedYuan: z.string(),
});

export const benefitRoundStatusSchema = z.object({
  roundId: z.string(),
  programmeId: z.string(),
  townshipId: z.string(),
  period: z.string(),
  phase: z.string(),
  noticeEndsAt: z.string().optional(),
  summary: summarySchema.optional(),
  excluded: z.number().optional(),
  batchesDone: z.number(),
  workflowId: z.string().optional(),
  runId: z.string().optional(),
  repeated: z.boolean().optional(),
});

export const benefitLedgerSchema = z.object({
  householdId: z.string(),
  paidFen: z.number(),
  returnedFen: z.number(),
  paidYuan: z.string(),
  returnedYuan: z.string(),
  rows: z.array(
    z.object({
      roundId: z.string(),
      programmeId: z.string(),
      programme: z.object({ zh: z.string(), en: z.string() }),
      period: z.string(),
      year: z.number(),
      fundId: z.string(),
      source: z.string(),
      paymentId: z.string(),
      status: z.enum(['paid', 'returned']),
      amountFen: z.number(),
      amountYuan: z.string(),
      ruleId: z.string(),
      policy: z.object({ id: z.string(), version: z.number() }),
      beneficiaries: z.number(),
      account: z.string().nullable(),
      returnCode: z.string().nullable(),
      /** The household's receipt code for a paid row of a closed round (GET /receipts/:code checks it); null otherwise. */
      receiptCode: z.string().nullable(),
      recordedAt: z.string(),
      position: z.number(),
    }),
  ),
});
