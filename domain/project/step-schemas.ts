import { z } from 'zod';
import { fenSchema } from '../shared/money';
import { opaqueIdSchema, daySchema } from '../shared/ids';
import { ASSET_KINDS, performanceTargetSchema } from './events';
import { optionalText, requiredLine, requiredText } from '../shared/text';

const reason = requiredText(1000);
const bp = z.number().int().min(0).max(10_000);

/**
 * What a caller may send for each step after the proposal (whose data is `proposalSchema`), parsed
 * at the boundary (CLI, API) before it reaches a workflow. The project id and the time are not the
 * caller's to give.
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
