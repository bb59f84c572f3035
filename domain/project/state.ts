import type { Fen } from '../shared/money';
import type { CountyId } from '../reference/counties';
import type { FundSource } from '../fund/ids';
import type { ProjectCategory } from './ids';
import type { PerformanceTarget, SubsidyBasis, VillageRecord } from './events';
import type { Appraisal, ProjectPlace } from './place';

export interface ProjectAllocation {
  readonly fundId: string;
  readonly source: FundSource;
  readonly amount: Fen;
  readonly paid: Fen;
}

export interface Contract {
  readonly contractId: string;
  readonly contractor: string;
  readonly amount: Fen;
  readonly advanceBp: number;
  readonly retentionBp: number;
  readonly warrantyMonths: number;
}

export interface Milestone {
  readonly percentCompleteBp: number;
  readonly paid: boolean;
}

export type FindingStatus = 'open' | 'remediated' | 'verified';

/** Everything a project accumulates; which parts are meaningful depends on `status`. */
export interface ProjectFile {
  readonly projectId: string;
  readonly countyId: CountyId;
  readonly category: ProjectCategory;
  readonly name: string;
  readonly budget: Fen;
  readonly fiscalYear: number;
  readonly proposedBy: string;
  /** Undefined for proposals recorded before places were: village projects whose village was not named. */
  readonly place?: ProjectPlace;
  readonly villageRecord?: VillageRecord;
  readonly appraisal?: Appraisal;
  readonly performanceTarget?: PerformanceTarget;
  /** The quantities of work the province's share is measured on (empty for categories without standards). */
  readonly subsidyBases: readonly SubsidyBasis[];
  readonly townshipReviewedBy?: string;
  readonly approvedBy?: string;
  readonly noticeEndsAt?: string;
  readonly objections: number;
  readonly allocations: Readonly<Record<string, ProjectAllocation>>;
  readonly funded: Fen;
  readonly contract?: Contract;
  readonly milestones: Readonly<Record<string, Milestone>>;
  /** Highest reported completion, in basis points. */
  readonly progressBp: number;
  readonly paid: Fen;
  readonly paidByKind: Readonly<Record<'advance' | 'progress' | 'settlement' | 'retention', Fen>>;
  readonly paymentIds: Readonly<Record<string, true>>;
  readonly acceptedBy?: string;
  readonly warrantyEndsAt?: string;
  readonly settlementAmount?: Fen;
  readonly retentionAmount?: Fen;
  readonly findings: Readonly<Record<string, FindingStatus>>;
  /** The last escalation of the current stage; a stage change starts afresh. */
  readonly escalation?: { readonly stage: string; readonly level: 'township' | 'county' | 'city' };
}

export const PROJECT_STATUSES = [
  'proposed',
  'township-reviewed',
  'county-approved',
  'in-notice',
  'in-library',
  'funded',
  'under-construction',
  'completed',
  'accepted',
  'settled',
  'closed',
  'rejected',
  'cancelled',
] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export type ProjectState = { readonly status: 'none' } | ({ readonly status: ProjectStatus } & ProjectFile);
export type ExistingProject = Extract<ProjectState, ProjectFile>;

export const initialState = (): ProjectState => ({ status: 'none' });

export const TERMINAL: readonly ProjectStatus[] = ['closed', 'rejected', 'cancelled'];
export const BEFORE_LIBRARY: readonly ProjectStatus[] = ['proposed', 'township-reviewed', 'county-approved', 'in-notice'];
export const CANCELLABLE: readonly ProjectStatus[] = [...BEFORE_LIBRARY, 'in-library', 'funded', 'under-construction'];
export const PAYABLE: readonly ProjectStatus[] = ['under-construction', 'completed', 'accepted', 'settled'];

export const openFindings = (s: ProjectFile): number => Object.values(s.findings).filter((f) => f !== 'verified').length;
