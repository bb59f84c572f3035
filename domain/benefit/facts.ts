import type { Fen } from '../shared/money';

/**
 * What the programme rules read about one household: folded from its registry stream (registration,
 * members, exit) and its benefit file (member attributes, housing, relocation, loans, account).
 * Members are named by their salted key only.
 */
export const LABOUR_CAPACITIES = ['full', 'partial', 'none'] as const;
export type LabourCapacity = (typeof LABOUR_CAPACITIES)[number];

export const SCHOOL_LEVELS = ['preschool', 'primary', 'junior', 'senior', 'secondary-vocational', 'tertiary'] as const;
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];

export const SUPPORT_KINDS = ['centralised', 'dispersed'] as const;
export type SupportKind = (typeof SUPPORT_KINDS)[number];

export const WELFARE_JOBS = ['forest-ranger', 'public-welfare'] as const;
export type WelfareJob = (typeof WELFARE_JOBS)[number];

/** 危房等级 (住建部《农村危险房屋鉴定技术导则》): A safe … D whole house dangerous. */
export const HOUSING_GRADES = ['A', 'B', 'C', 'D'] as const;
export type HousingGrade = (typeof HOUSING_GRADES)[number];

export interface Schooling {
  readonly level: SchoolLevel;
  /** The school year (autumn) the enrolment is for: 2018 = the 2018–2019 school year. */
  readonly schoolYear: number;
  readonly boarding: boolean;
  /** 学籍 record: the enrolment evidence. */
  readonly evidenceRef: string;
}

export interface MemberFacts {
  readonly memberKey: string;
  readonly labourCapacity: LabourCapacity;
  /** 残疾等级 1 (most severe) … 4, or null. */
  readonly disabilityGrade: number | null;
  readonly schooling: Schooling | null;
  readonly dibao: boolean;
  readonly extremePoverty: SupportKind | null;
  readonly welfareJob: { readonly kind: WelfareJob; readonly since: string; readonly evidenceRef: string } | null;
  readonly training: { readonly course: string; readonly completedOn: string; readonly evidenceRef: string } | null;
  /** Set when the member left the household's file (death, moved away, wrongly registered). */
  readonly removed: { readonly reason: string; readonly at: string } | null;
}

export interface HouseholdBenefitFacts {
  readonly householdId: string;
  readonly countyId: string;
  readonly villageId: string;
  /** 'removed': the household's file was closed (death of the last member, moved away, 错评清退). */
  readonly standing: 'registered' | 'exited' | 'removed';
  readonly exitYear: number | null;
  readonly members: readonly MemberFacts[];
  readonly housing: { readonly grade: HousingGrade; readonly assessedOn: string; readonly evidenceRef: string } | null;
  /** 危改竣工验收: the renovation was inspected and accepted. */
  readonly renovationAccepted: { readonly acceptedOn: string; readonly evidenceRef: string } | null;
  readonly relocation: { readonly planRef: string; readonly persons: number; readonly movedOn: string | null } | null;
  readonly loan: { readonly loanRef: string; readonly principal: Fen; readonly annualRateBp: number; readonly months: number; readonly year: number } | null;
  /** The 一卡通 account payments go to; masked for people, the key for the rail. */
  readonly account: { readonly accountKey: string; readonly masked: string; readonly setAt: string; readonly changes: number } | null;
}
