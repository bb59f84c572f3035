import { z } from 'zod';
import { PROJECT_LEVELS } from '../../domain/project/place';
import { moneySchema } from '../../domain/shared/money';
import { proposalSchema, subsidyBasisSchema } from '../../domain/project/events';
import { projectCategorySchema, projectIdSchema } from '../../domain/project/ids';
import { MONEY_STEP_INPUT_SCHEMAS, STEP_INPUT_SCHEMAS, STEP_TYPES } from '../../domain/project/step-schemas';
import { roleSchema } from '../../domain/shared/actor';
import { pageQueryShape, requestIdSchema } from './common';
import { deadlinesInputSchema } from '../../domain/project/deadline-input';

export const projectParamsSchema = z.object({ id: projectIdSchema }).strict();

/** A subsidy basis as people write it: a 省级全额补助 part's cost in 元 or 万元. */
const subsidyBasisBodySchema = subsidyBasisSchema.extend({ fullSubsidy: subsidyBasisSchema.shape.fullSubsidy.unwrap().extend({ cost: moneySchema }).optional() });

/** The proposal is the domain's own schema; the id may be left to the server and every amount typed as people do. */
export const proposeBodySchema = proposalSchema
  .omit({ projectId: true, budget: true, subsidyBases: true, subsidyBasis: true })
  .extend({
    projectId: projectIdSchema.optional(),
    budget: moneySchema,
    subsidyBases: z.array(subsidyBasisBodySchema).min(1).max(20).optional(),
    subsidyBasis: subsidyBasisBodySchema.optional(),
    deadlines: deadlinesInputSchema.optional(),
    requestId: requestIdSchema.optional(),
  })
  .strict();

/** One variant per human step, each with the domain's data schema for it. */
const stepVariants = STEP_TYPES.map((t) => z.object({ type: z.literal(t), data: STEP_INPUT_SCHEMAS[t], requestId: requestIdSchema.optional() }).strict());
export const stepBodySchema = z.discriminatedUnion('type', stepVariants as [(typeof stepVariants)[number], ...(typeof stepVariants)[number][]]);

/** Cancellation is a step like the others, with its own route: the workflow then releases what the funds set aside and did not pay. */
export const cancelBodySchema = STEP_INPUT_SCHEMAS.CancelProject.extend({ requestId: requestIdSchema.optional() }).strict();

/** The money steps' data (domain/project/step-schemas.ts). No requestId: the Idempotency-Key header is required (requiredIdempotencyHeadersSchema). */
export const fundingBodySchema = MONEY_STEP_INPUT_SCHEMAS.RecordFunding;
export const paymentBodySchema = MONEY_STEP_INPUT_SCHEMAS.RecordPayment;

export const projectListQuerySchema = z
  .object({
    ...pageQueryShape,
    category: projectCategorySchema.optional(),
    stage: z
      .string()
      .regex(/^[a-z-]{1,40}$/, { error: 'must be a stage name' })
      .optional(),
    /** Only projects waiting for this role: what an official has to act on. */
    nextRole: roleSchema.optional(),
    /** Keyset cursor: the last project id of the previous page. */
    after: projectIdSchema.optional(),
  })
  .strict();

export const projectSummarySchema = z.object({
  projectId: z.string(),
  countyId: z.string(),
  category: z.string(),
  name: z.string(),
  budgetFen: z.number().int(),
  fiscalYear: z.number().int(),
  stage: z.string(),
  proposedBy: z.string(),
  lastEventPosition: z.number().int(),
  /** Who must act next at the project's stage; null once it is closed, rejected or cancelled. */
  nextActor: z.object({ role: roleSchema, countyId: z.string().optional() }).nullable(),
  /** 实施地点: county, township or village; proposals recorded before places were read as village projects with no village named. */
  place: z.object({ level: z.enum(PROJECT_LEVELS), townshipId: z.string().optional(), villageId: z.string().optional() }),
});

const yuan = z.string().meta({ description: 'an amount in 元, as people read it ("1,050,000.00元")' });
/** Who a project waits for, in zh beside the ids (services/project-status.ts, services/project-next.ts). */
export const projectNextActorSchema = z.object({
  roles: z.array(roleSchema).readonly(),
  rolesZh: z.string(),
  action: z.string(),
  actionZh: z.string(),
  deadlineKind: z.string(),
  deadlineZh: z.string(),
  notBy: z.string().optional(),
  notBefore: z.string().optional(),
});

/** services/project-status.ts: the workflow's live status, stage and next actor in zh beside their ids, amounts in 元 beside fen. */
export const projectStatusSchema = z.object({
  projectId: z.string(),
  stage: z.string(),
  stageZh: z.string(),
  streamVersion: z.number().int(),
  nextActor: projectNextActorSchema.optional(),
  deadlineAt: z.string().optional(),
  overdue: z.object({ level: z.string(), levelZh: z.string(), deadlineKind: z.string(), deadlineZh: z.string() }).optional(),
  lastPosition: z.number().int().optional(),
  budget: yuan.optional(),
  budgetFen: z.number().int().optional(),
  funded: yuan.optional(),
  fundedFen: z.number().int().optional(),
  paid: yuan.optional(),
  paidFen: z.number().int().optional(),
  runs: z.number().int(),
});

/** What a proposal answers: the project and its workflow run; `repeated` when the same proposal was already started. */
export const proposalOutcomeSchema = z.object({ projectId: z.string(), workflowId: z.string(), runId: z.string(), repeated: z.boolean() });

/** What a step answers (ProjectStepOutcome): the stage after it, the stream's version and the store positions it appended, in order. */
export const stepOutcomeSchema = z.object({ stage: z.string(), streamVersion: z.number().int(), positions: z.array(z.number().int()) });
/** A fund's share recorded (ProjectFundOutcome): the allocation id, derived from the project and the step. */
export const fundingOutcomeSchema = stepOutcomeSchema.extend({ allocationId: z.string() });
/** A milestone paid (ProjectPayOutcome): the payment id, also the rail's idempotency key, and the rail's transfer. */
export const paymentOutcomeSchema = stepOutcomeSchema.extend({ paymentId: z.string(), transferId: z.string() });
