import { z } from 'zod';
import { fenSchema, moneySchema } from '../shared/money';
import { opaqueIdSchema, daySchema } from '../shared/ids';
import { ASSET_KINDS, performanceTargetSchema } from './event-parts';
import { optionalText, requiredLine, requiredText } from '../shared/text';
import { fundIdSchema, milestoneKindSchema } from '../fund/ids';
import { householdIdSchema } from '../household/ids';
import { expenditureKindSchema } from '../policy/expenditure-kinds';

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

/**
 * The two money steps have their own commands (`tuopin project fund|pay`, `POST
 * /projects/:id/funding|payments`): what a caller sends for each, amounts in 元 or 万元.
 */
export const MONEY_STEP_INPUT_SCHEMAS = {
  RecordFunding: z.object({ fundId: fundIdSchema, amount: moneySchema }).strict(),
  RecordPayment: z
    .object({
      fundId: fundIdSchema,
      allocationId: opaqueIdSchema,
      milestone: milestoneKindSchema,
      /** The reported milestone a progress payment pays for. */
      milestoneId: opaqueIdSchema.optional(),
      /** The account paid. */
      payee: opaqueIdSchema,
      /** The household the payment is for (到户), when it is one's. */
      householdId: householdIdSchema.optional(),
      amount: moneySchema,
      use: expenditureKindSchema,
    })
    .strict(),
} as const;

export type GuidedStep = StepType | keyof typeof MONEY_STEP_INPUT_SCHEMAS;
export const GUIDED_INPUT_SCHEMAS: { readonly [K in GuidedStep]: z.ZodType } = { ...STEP_INPUT_SCHEMAS, ...MONEY_STEP_INPUT_SCHEMAS };

type InputOf<K extends GuidedStep> = K extends StepType
  ? z.input<(typeof STEP_INPUT_SCHEMAS)[K]>
  : K extends keyof typeof MONEY_STEP_INPUT_SCHEMAS
    ? z.input<(typeof MONEY_STEP_INPUT_SCHEMAS)[K]>
    : never;

/**
 * One worked example of each step's data, as a person writes it (the 嵩县 road of the README):
 * typed against the schemas above and parsed by them in step-schemas.unit.spec.ts, so an example
 * cannot drift from what the step takes. `tuopin project steps`, `GET /projects/:id/next` and the
 * OpenAPI document's request examples show these.
 */
export const STEP_EXAMPLES: { readonly [K in GuidedStep]: InputOf<K> } = {
  SetPerformanceTarget: { target: { indicators: [{ name: '硬化道路', target: '3', unit: 'km' }], beneficiaryPoorHouseholds: 120, beneficiaryPoorPeople: 410 } },
  ApproveAtTownship: { opinion: '同意，报县扶贫办审批' },
  RejectProject: { reason: '四议两公开记录不全，请补齐后重报' },
  ApproveAtCounty: { documentNumber: '嵩扶贫〔2016〕12号' },
  PublishNotice: {},
  RaiseObjection: { objectionId: 'obj-001', summary: '村民反映线路经过耕地，请核实' },
  EnterLibrary: {},
  RecordFunding: { fundId: 'fund-song-2016-central-01', amount: '63万' },
  StartConstruction: { contractId: 'ctr-song-2016-001', contractor: 'payee-song-road-co-01', contractAmount: '105万', advanceBp: 3000, retentionBp: 300, warrantyMonths: 12 },
  ReportMilestone: { milestoneId: 'ms-1', percentCompleteBp: 5000, description: '路基完成一半' },
  RecordPayment: {
    fundId: 'fund-song-2016-central-01',
    allocationId: 'prj-song-2016-001:a6',
    milestone: 'advance',
    payee: 'payee-song-road-co-01',
    amount: '18.9万',
    use: 'road-works',
  },
  CompleteProject: {},
  AcceptProject: {},
  SettleProject: { settlementAmount: '104万' },
  RecordAuditFinding: { findingId: 'fnd-001', summary: '进度款支付凭证不全', amount: '2万' },
  RemediateFinding: { findingId: 'fnd-001', remediation: '已补齐支付凭证并归档' },
  VerifyRemediation: { findingId: 'fnd-001' },
  HandOverAsset: { assetKind: 'public-benefit', recipient: 'vil-song-chezhen-01', resultPublishedOn: '2017-06-30' },
  CancelProject: { reason: '规划调整，项目取消' },
};
