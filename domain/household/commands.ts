import type { CommandMeta } from '../shared/actor';
import type { Fen } from '../shared/money';
import type { CountyId } from '../reference/counties';
import type { VillageId } from '../village/ids';
import type { HouseholdId } from './ids';
import type { CauseId } from './causes';
import type { Guarantees } from './guarantees';
import type { Member } from './events';
import type { MemberRemovalReason, RemovalReason } from './removal';

type Cmd<T extends string, D> = { type: T; data: D & { householdId: HouseholdId }; meta: CommandMeta };

export type RegisterHousehold = Cmd<
  'RegisterHousehold',
  {
    countyId: CountyId;
    villageId: VillageId;
    registeredYear: number;
    members: Member[];
    /** One per member, in order: infra/personal-data/keys.ts under the deployment's salt, computed by the caller (the domain holds no salt). */
    memberKeys?: readonly string[];
    causes: CauseId[];
    perCapitaIncome: Fen;
    stableIncomeSource: boolean;
    guarantees: Guarantees;
  }
>;
export type UpdateMembers = Cmd<'UpdateMembers', { year: number; members: Member[]; memberKeys?: readonly string[] }>;
export type RecordIncome = Cmd<'RecordIncome', { year: number; perCapitaIncome: Fen; stableIncomeSource: boolean }>;
export type UpdateGuarantees = Cmd<'UpdateGuarantees', { year: number; guarantees: Guarantees }>;
export type AssessForExit = Cmd<'AssessForExit', { year: number }>;
export type AppraiseInVillage = Cmd<'AppraiseInVillage', { agreed: boolean; recordRef: string }>;
export type CheckByWorkTeam = Cmd<'CheckByWorkTeam', { confirmed: boolean; findings: string }>;
export type RecordConsent = Cmd<'RecordConsent', { consents: boolean; recordRef: string }>;
export type WithdrawConsent = Cmd<'WithdrawConsent', { recordRef: string }>;
export type PostExitNotice = Cmd<'PostExitNotice', { endsAt: string }>;
export type RaiseExitObjection = Cmd<'RaiseExitObjection', { objectionId: string; summary: string }>;
export type ResolveExitObjection = Cmd<'ResolveExitObjection', { objectionId: string; outcome: 'upheld' | 'dismissed'; note: string }>;
export type ReviewByTownship = Cmd<'ReviewByTownship', { approved: boolean; note: string }>;
export type AnnounceExit = Cmd<'AnnounceExit', Record<never, never>>;
export type VisitForReturnReview = Cmd<'VisitForReturnReview', { findings: string }>;
export type PostReturnNotice = Cmd<'PostReturnNotice', { endsAt: string }>;
export type DecideReturn = Cmd<'DecideReturn', { returnsToPoverty: boolean; reason: string }>;
/** 动态调整: the village proposes; the township posts the notice; the county decides and announces. */
export type ProposeRemoval = Cmd<'ProposeRemoval', { year: number; reason: RemovalReason; recordRef: string }>;
export type PostRemovalNotice = Cmd<'PostRemovalNotice', { endsAt: string }>;
export type DecideRemoval = Cmd<'DecideRemoval', { approved: boolean; note: string }>;
/** One member leaves a household that stays on the register; named by the ID number on file. */
export type RemoveMember = Cmd<
  'RemoveMember',
  {
    year: number;
    idNumber: string;
    /** infra/personal-data/keys.ts memberKey of idNumber, computed by the caller. */ memberKey?: string;
    reason: MemberRemovalReason;
    recordRef: string;
  }
>;

export type HouseholdCommand =
  | RegisterHousehold
  | UpdateMembers
  | RecordIncome
  | UpdateGuarantees
  | AssessForExit
  | AppraiseInVillage
  | CheckByWorkTeam
  | RecordConsent
  | WithdrawConsent
  | PostExitNotice
  | RaiseExitObjection
  | ResolveExitObjection
  | ReviewByTownship
  | AnnounceExit
  | VisitForReturnReview
  | PostReturnNotice
  | DecideReturn
  | ProposeRemoval
  | PostRemovalNotice
  | DecideRemoval
  | RemoveMember;

export type HouseholdCommandType = HouseholdCommand['type'];

export const HOUSEHOLD_COMMAND_TYPES: readonly HouseholdCommandType[] = [
  'RegisterHousehold',
  'UpdateMembers',
  'RecordIncome',
  'UpdateGuarantees',
  'AssessForExit',
  'AppraiseInVillage',
  'CheckByWorkTeam',
  'RecordConsent',
  'WithdrawConsent',
  'PostExitNotice',
  'RaiseExitObjection',
  'ResolveExitObjection',
  'ReviewByTownship',
  'AnnounceExit',
  'VisitForReturnReview',
  'PostReturnNotice',
  'DecideReturn',
  'ProposeRemoval',
  'PostRemovalNotice',
  'DecideRemoval',
  'RemoveMember',
];
