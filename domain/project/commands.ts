import type { CommandMeta } from '../shared/actor';
import type { Fen } from '../shared/money';
import type { CountyId } from '../reference/counties';
import type { FundSource, MilestoneKind } from '../fund/ids';
import type { ProjectCategory } from './ids';
import type { PerformanceTarget, SubsidyBasis, VillageRecord } from './events';
import type { Appraisal, ProjectPlace } from './place';

interface Cmd<T extends string, D> {
  readonly type: T;
  readonly data: { projectId: string } & D;
  readonly meta: CommandMeta;
}

/** The proposer is the command's actor. */
export type ProposeProject = Cmd<
  'ProposeProject',
  {
    countyId: CountyId;
    category: ProjectCategory;
    name: string;
    budget: Fen;
    fiscalYear: number;
    /** Absent: a village project, as every proposal was before places were recorded. */
    place?: ProjectPlace;
    villageRecord?: VillageRecord;
    appraisal?: Appraisal;
    performanceTarget?: PerformanceTarget;
    subsidyBases?: SubsidyBasis[];
    /** One basis, as proposals recorded before several were allowed carry it. */
    subsidyBasis?: SubsidyBasis;
    /** The plan sub-item (domain/reference/plan-items.ts) the project carries out. */
    planItem?: string;
  }
>;
export type SetPerformanceTarget = Cmd<'SetPerformanceTarget', { target: PerformanceTarget }>;
export type ApproveAtTownship = Cmd<'ApproveAtTownship', { opinion: string }>;
/** Rejected at whichever review the project is waiting for (township or county). */
export type RejectProject = Cmd<'RejectProject', { reason: string }>;
export type ApproveAtCounty = Cmd<'ApproveAtCounty', { documentNumber: string }>;
export type PublishNotice = Cmd<'PublishNotice', object>;
export type RaiseObjection = Cmd<'RaiseObjection', { objectionId: string; summary: string }>;
export type EnterLibrary = Cmd<'EnterLibrary', object>;
/** Records an allocation the fund has made (see payment/allocation.ts, which decides both sides). */
export type RecordFunding = Cmd<'RecordFunding', { fundId: string; allocationId: string; source: FundSource; amount: Fen }>;
export type StartConstruction = Cmd<
  'StartConstruction',
  { contractId: string; contractor: string; contractAmount: Fen; advanceBp: number; retentionBp: number; warrantyMonths: number }
>;
export type ReportMilestone = Cmd<'ReportMilestone', { milestoneId: string; percentCompleteBp: number; description: string }>;
/**
 * `use` is what the money pays for; a use on the negative list is refused. `payee` is the account
 * paid; `householdId` the household the payment is for (到户), when it is one's.
 */
export type RecordPayment = Cmd<
  'RecordPayment',
  { paymentId: string; fundId: string; allocationId: string; milestone: MilestoneKind; milestoneId?: string; payee: string; householdId?: string; amount: Fen; use: string }
>;
export type CompleteProject = Cmd<'CompleteProject', object>;
export type AcceptProject = Cmd<'AcceptProject', object>;
export type SettleProject = Cmd<'SettleProject', { settlementAmount: Fen }>;
export type RecordAuditFinding = Cmd<'RecordAuditFinding', { findingId: string; summary: string; amount?: Fen }>;
export type RemediateFinding = Cmd<'RemediateFinding', { findingId: string; remediation: string }>;
export type VerifyRemediation = Cmd<'VerifyRemediation', { findingId: string }>;
export type HandOverAsset = Cmd<'HandOverAsset', { assetKind: 'business' | 'public-benefit' | 'household'; recipient: string; resultPublishedOn: string }>;
export type CancelProject = Cmd<'CancelProject', { reason: string }>;
/** Recorded by the workflow when a stage's deadline passes: township, then county, then city. */
export type EscalateProject = Cmd<'EscalateProject', { level: 'township' | 'county' | 'city'; deadlineKind: string }>;

export type ProjectCommand =
  | ProposeProject
  | SetPerformanceTarget
  | ApproveAtTownship
  | RejectProject
  | ApproveAtCounty
  | PublishNotice
  | RaiseObjection
  | EnterLibrary
  | RecordFunding
  | StartConstruction
  | ReportMilestone
  | RecordPayment
  | CompleteProject
  | AcceptProject
  | SettleProject
  | RecordAuditFinding
  | RemediateFinding
  | VerifyRemediation
  | HandOverAsset
  | CancelProject
  | EscalateProject;
