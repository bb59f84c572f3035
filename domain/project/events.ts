import { z } from 'zod';
import { defineEvent, type DomainEvent, type EventRef } from '../shared/events';
import { fenSchema } from '../shared/money';
import { opaqueIdSchema, instantSchema, daySchema } from '../shared/ids';
import { userIdSchema } from '../shared/actor';
import { countyIdSchema } from '../reference/counties';
import { fullSubsidyItemIdSchema, subsidyStandardIdSchema } from '../reference/standards';
import { policyVersionSchema } from '../policy/table';
import { fundIdSchema, fundSourceSchema, milestoneKindSchema } from '../fund/ids';
import { householdIdSchema } from '../household/ids';
import { projectIdSchema, projectCategorySchema } from './ids';
import { requiredLine } from '../shared/text';
import { appraisalSchema, projectPlaceSchema } from './place';
import { planItemIdSchema } from '../reference/plan-items';
import { ASSET_KINDS, ESCALATION_LEVELS, performanceTargetSchema } from './event-parts';

export { ASSET_KINDS, ESCALATION_LEVELS, performanceTargetSchema, type PerformanceTarget } from './event-parts';

/**
 * The village's own decision, by 四议两公开: the Party branch proposes, the two committees
 * deliberate, the Party members' meeting reviews, the villagers' representatives resolve, and the
 * resolution is made public. (The second disclosure, of the result, comes at handover.)
 */
export const villageRecordSchema = z
  .object({
    partyBranchProposedOn: daySchema,
    twoCommitteesDeliberatedOn: daySchema,
    partyMembersReviewedOn: daySchema,
    villagersResolvedOn: daySchema,
    resolutionPublishedOn: daySchema,
    /** Where the minutes are filed: a document reference, not a scan. */
    minutesRef: requiredLine(200),
  })
  .strict();
export type VillageRecord = z.infer<typeof villageRecordSchema>;

/**
 * A quantity of work under one subsidy standard (reference/standards.ts): the province pays up to
 * rate × quantity for it, or, for a part that is one of the four 省级全额补助 items, its whole
 * stated cost.
 */
export const subsidyBasisSchema = z
  .object({
    standard: subsidyStandardIdSchema,
    quantity: z.number().int().min(1),
    fullSubsidy: z.object({ item: fullSubsidyItemIdSchema, cost: fenSchema }).strict().optional(),
  })
  .strict();
export type SubsidyBasis = z.infer<typeof subsidyBasisSchema>;

const base = { projectId: projectIdSchema, by: userIdSchema, at: instantSchema };
type Refs = (d: { projectId: string } & Record<string, unknown>) => EventRef[];
const p: Refs = (d) => [{ kind: 'project', id: d.projectId }];
const withIds =
  (...kinds: ('fund' | 'payment')[]): Refs =>
  (d) => [...p(d), ...kinds.map((kind) => ({ kind, id: String(d[`${kind}Id`]) }))];
const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S, refs: Refs = p) =>
  defineEvent({ type, version: 1, schema: z.object({ ...base, ...shape }).strict(), refs: (d) => refs(d as unknown as Parameters<Refs>[0]) });

/** What a proposal carries, without the proposer and the time: the ProposeProject command's data. */
export const proposalSchema = z
  .object({
    projectId: projectIdSchema,
    countyId: countyIdSchema,
    category: projectCategorySchema,
    name: requiredLine(200),
    budget: fenSchema,
    fiscalYear: z.number().int().min(2016).max(2030),
    /** Where the project is carried out; proposals from before places were recorded have none (a village project). */
    place: projectPlaceSchema.optional(),
    /** 四议两公开: required of a village-level project only. */
    villageRecord: villageRecordSchema.optional(),
    /** 行业部门论证: required of a county- or township-level project instead of 四议两公开. */
    appraisal: appraisalSchema.optional(),
    performanceTarget: performanceTargetSchema.optional(),
    /** Every quantity of work the province's share is measured on (a road renovated and widened has two). */
    subsidyBases: z.array(subsidyBasisSchema).min(1).max(20).optional(),
    /** One basis, as proposals were made before several were allowed; read as `subsidyBases: [it]`. */
    subsidyBasis: subsidyBasisSchema.optional(),
    /**
     * The plan sub-item the project carries out (`<category>/<item>[/<part>]`, domain/reference/plan-items.ts),
     * which GET /progress/plan traces to the households paid. Optional in version 1: proposals stored before
     * it carry none and still parse, so no new version or upcaster; they count under their category alone.
     */
    planItem: planItemIdSchema.optional(),
  })
  .strict();

/** A project is put forward: with its village record (四议两公开) if a village's, its department's appraisal if the county's or a township's. */
export const ProjectProposed = defineEvent({
  type: 'ProjectProposed',
  version: 1,
  schema: proposalSchema.extend({ proposedBy: z.string().min(1), proposedAt: instantSchema }).strict(),
  refs: (d) => [
    { kind: 'project', id: d.projectId },
    { kind: 'county', id: d.countyId },
  ],
});
export type ProjectProposedData = z.infer<typeof ProjectProposed.schema>;

export const ProjectPerformanceTargetSet = ev('ProjectPerformanceTargetSet', { target: performanceTargetSchema });
export const ProjectTownshipApproved = ev('ProjectTownshipApproved', { opinion: z.string().max(1000) });
export const ProjectRejected = ev('ProjectRejected', { stage: z.enum(['township', 'county']), reason: z.string().min(1).max(1000) });
export const ProjectCountyApproved = ev('ProjectCountyApproved', { documentNumber: z.string().trim().min(1).max(100) });
export const ProjectNoticePublished = ev('ProjectNoticePublished', { endsAt: instantSchema, policy: policyVersionSchema });
export const ProjectObjectionRaised = ev('ProjectObjectionRaised', { objectionId: opaqueIdSchema, summary: z.string().min(1).max(2000) });
export const ProjectEnteredLibrary = ev('ProjectEnteredLibrary', { policy: policyVersionSchema });
export const ProjectFundingRecorded = ev(
  'ProjectFundingRecorded',
  { fundId: fundIdSchema, allocationId: opaqueIdSchema, source: fundSourceSchema, amount: fenSchema },
  withIds('fund'),
);
export const ProjectFullyFunded = ev('ProjectFullyFunded', { total: fenSchema });
export const ProjectConstructionStarted = ev('ProjectConstructionStarted', {
  contractId: opaqueIdSchema,
  contractor: opaqueIdSchema,
  contractAmount: fenSchema,
  advanceBp: z.number().int().min(0).max(10_000),
  retentionBp: z.number().int().min(0).max(10_000),
  warrantyMonths: z.number().int().min(0).max(120),
  policy: policyVersionSchema,
});
export const ProjectMilestoneReported = ev('ProjectMilestoneReported', {
  milestoneId: opaqueIdSchema,
  percentCompleteBp: z.number().int().min(1).max(10_000),
  description: z.string().min(1).max(1000),
});
/**
 * `householdId`, the household a payment was for (到户), joined version 1 as an optional field: every
 * ProjectPaymentRecorded already stored still parses unchanged, so no new version or upcaster.
 */
export const ProjectPaymentRecorded = ev(
  'ProjectPaymentRecorded',
  {
    paymentId: opaqueIdSchema,
    fundId: fundIdSchema,
    allocationId: opaqueIdSchema,
    milestone: milestoneKindSchema,
    milestoneId: opaqueIdSchema.optional(),
    payee: opaqueIdSchema,
    householdId: householdIdSchema.optional(),
    amount: fenSchema,
    use: z.string().min(1).max(100),
    /** The payment template and the negative list it was checked against. */
    policies: z.array(policyVersionSchema).min(1),
  },
  (d) => [...withIds('fund', 'payment')(d), ...(typeof d.householdId === 'string' ? [{ kind: 'household' as const, id: d.householdId }] : [])],
);
export const ProjectCompleted = ev('ProjectCompleted', {});
export const ProjectAccepted = ev('ProjectAccepted', { warrantyEndsAt: instantSchema });
export const ProjectSettled = ev('ProjectSettled', { settlementAmount: fenSchema, retentionAmount: fenSchema, policy: policyVersionSchema });
export const ProjectAuditFindingRecorded = ev('ProjectAuditFindingRecorded', {
  findingId: opaqueIdSchema,
  summary: z.string().min(1).max(2000),
  amount: fenSchema.optional(),
});
export const ProjectFindingRemediated = ev('ProjectFindingRemediated', { findingId: opaqueIdSchema, remediation: z.string().min(1).max(2000) });
export const ProjectRemediationVerified = ev('ProjectRemediationVerified', { findingId: opaqueIdSchema });
export const ProjectAssetHandedOver = ev('ProjectAssetHandedOver', {
  assetKind: z.enum(ASSET_KINDS),
  recipient: opaqueIdSchema,
  value: fenSchema,
  resultPublishedOn: daySchema,
});
export const ProjectCancelled = ev('ProjectCancelled', {
  reason: z.string().min(1).max(1000),
  releases: z.array(z.object({ fundId: fundIdSchema, allocationId: opaqueIdSchema, amount: fenSchema }).strict()),
});
export const ProjectEscalated = ev('ProjectEscalated', {
  stage: z.string().min(1).max(40),
  level: z.enum(ESCALATION_LEVELS),
  deadlineKind: z.string().min(1).max(40),
});

export const PROJECT_EVENTS = [
  ProjectProposed,
  ProjectPerformanceTargetSet,
  ProjectTownshipApproved,
  ProjectRejected,
  ProjectCountyApproved,
  ProjectNoticePublished,
  ProjectObjectionRaised,
  ProjectEnteredLibrary,
  ProjectFundingRecorded,
  ProjectFullyFunded,
  ProjectConstructionStarted,
  ProjectMilestoneReported,
  ProjectPaymentRecorded,
  ProjectCompleted,
  ProjectAccepted,
  ProjectSettled,
  ProjectAuditFindingRecorded,
  ProjectFindingRemediated,
  ProjectRemediationVerified,
  ProjectAssetHandedOver,
  ProjectCancelled,
  ProjectEscalated,
] as const;

type Def = (typeof PROJECT_EVENTS)[number];
type Of<D> = D extends { type: infer T extends string; schema: infer S extends z.ZodType } ? DomainEvent<T, z.output<S>> : never;
export type ProjectEvent = Of<Def>;
export type ProjectEventOf<T extends ProjectEvent['type']> = Extract<ProjectEvent, { type: T }>;
