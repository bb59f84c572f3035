import { z } from 'zod';
import { fenSchema, moneySchema } from '../shared/money';
import { opaqueIdSchema, daySchema } from '../shared/ids';
import { ASSET_KINDS, performanceTargetSchema } from './events';
import { optionalText, requiredLine, requiredText } from '../shared/text';

const reason = requiredText(1000);
const bp = z.number().int().min(0).max(10_000);

/**
 * Each step's data after the proposal (whose data is `proposalSchema`), as the workflow takes it
 * (its Update validator checks it again): amounts in fen. The project id and the time are not the
 * caller's to give. People and clients write amounts as strings: STEP_INPUT_SCHEMAS below.
 */
export const STEP_DATA_SCHEMAS = {
  SetPerformanceTarget: z.object({ target: performanceTargetSchema }).strict(),
  ApproveAtTownship: z.object({ opinion: optionalText(1000) }).strict(),
  RejectProject: z.object({ reason }).strict(),
  ApproveAtCounty: z.object({ documentNumber: requiredLine(100) }).strict(),
  PublishNotice: z.object({}).strict(),
  RaiseObjection: z.object({ objectionId: opaqueIdSchema, summary: requiredText(2000) }).strict(),
  EnterLibrary: z.object({}).strict(),
  StartConstruction: z
    .object({
      contractId: opaqueIdSchema,
      contractor: opaqueIdSchema,
      contractAmount: fenSchema,
      advanceBp: bp,
      retentionBp: bp,
      warrantyMonths: z.number().int().min(0).max(120),
    })
    .strict(),
  ReportMilestone: z.object({ milestoneId: opaqueIdSchema, percentCompleteBp: z.number().int().min(1).max(10_000), description: reason }).strict(),
  CompleteProject: z.object({}).strict(),
  AcceptProject: z.object({}).strict(),
  SettleProject: z.object({ settlementAmount: fenSchema }).strict(),
  RecordAuditFinding: z.object({ findingId: opaqueIdSchema, summary: reason, amount: fenSchema.optional() }).strict(),
  RemediateFinding: z.object({ findingId: opaqueIdSchema, remediation: reason }).strict(),
  VerifyRemediation: z.object({ findingId: opaqueIdSchema }).strict(),
  HandOverAsset: z.object({ assetKind: z.enum(ASSET_KINDS), recipient: opaqueIdSchema, resultPublishedOn: daySchema }).strict(),
  CancelProject: z.object({ reason }).strict(),
} as const;

export type StepType = keyof typeof STEP_DATA_SCHEMAS;
export const STEP_TYPES = Object.keys(STEP_DATA_SCHEMAS) as StepType[];
export const stepTypeSchema = z.enum(STEP_TYPES as [StepType, ...StepType[]], { error: `must be one of: ${STEP_TYPES.join(', ')}` });

/**
 * What a caller sends for each step at the boundary (API, CLI): the same data with every amount a
 * string in 元 or 万元 (shared/money.ts moneySchema), parsed to the fen the workflow takes; a JSON
 * number for an amount is refused with how to write it.
 */
export const STEP_INPUT_SCHEMAS = {
  ...STEP_DATA_SCHEMAS,
  StartConstruction: STEP_DATA_SCHEMAS.StartConstruction.extend({ contractAmount: moneySchema }),
  SettleProject: STEP_DATA_SCHEMAS.SettleProject.extend({ settlementAmount: moneySchema }),
  RecordAuditFinding: STEP_DATA_SCHEMAS.RecordAuditFinding.extend({ amount: moneySchema.optional() }),
} as const satisfies Record<StepType, z.ZodType>;
