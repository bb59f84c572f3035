import type { CommandMeta } from '../shared/actor';
import type { CountyId } from '../reference/counties';
import type { ApplicationFile } from './events';

type Cmd<T extends string, D> = { type: T; data: D & { villageId: string; year: number }; meta: CommandMeta };

/** 识别, in the order of the plan's procedure: 农户申请 → 民主评议 → 村公示 → 乡审核 → 乡公示 → 县审定并公告. */
export type OpenIdentificationRound = Cmd<'OpenIdentificationRound', { countyId: CountyId }>;
export type RecordApplication = Cmd<'RecordApplication', { householdId: string; recordRef: string; file: ApplicationFile }>;
export type AppraiseApplications = Cmd<'AppraiseApplications', { agreed: readonly string[]; rejected: readonly string[]; recordRef: string }>;
export type PostIdentificationVillageNotice = Cmd<'PostIdentificationVillageNotice', { endsAt: string }>;
export type RaiseIdentificationObjection = Cmd<'RaiseIdentificationObjection', { householdId: string; objectionId: string; summary: string }>;
export type ReviewIdentificationByTownship = Cmd<'ReviewIdentificationByTownship', { approved: readonly string[]; rejected: readonly string[]; note: string }>;
export type PostIdentificationTownshipNotice = Cmd<'PostIdentificationTownshipNotice', { endsAt: string }>;
export type AnnounceIdentification = Cmd<'AnnounceIdentification', { approved: readonly string[]; rejected: readonly string[]; note: string }>;

export type IdentificationCommand =
  | OpenIdentificationRound
  | RecordApplication
  | AppraiseApplications
  | PostIdentificationVillageNotice
  | RaiseIdentificationObjection
  | ReviewIdentificationByTownship
  | PostIdentificationTownshipNotice
  | AnnounceIdentification;

export const IDENTIFICATION_COMMAND_TYPES: readonly IdentificationCommand['type'][] = [
  'OpenIdentificationRound',
  'RecordApplication',
  'AppraiseApplications',
  'PostIdentificationVillageNotice',
  'RaiseIdentificationObjection',
  'ReviewIdentificationByTownship',
  'PostIdentificationTownshipNotice',
  'AnnounceIdentification',
];
