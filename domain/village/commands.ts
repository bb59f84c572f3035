import type { CommandMeta } from '../shared/actor';
import type { CountyId } from '../reference/counties';
import type { VillageId } from './ids';
import type { CheckResult, ChecklistItemId } from './checklist';

type Cmd<T extends string, D> = { type: T; data: D & { villageId: VillageId }; meta: CommandMeta };

export type RegisterPoorVillage = Cmd<'RegisterPoorVillage', { countyId: CountyId; registeredYear: number }>;
export type RecordVillageIncidence = Cmd<'RecordVillageIncidence', { year: number; poorRemaining: number; population: number }>;
export type CheckVillageItem = Cmd<'CheckVillageItem', { item: ChecklistItemId; result: CheckResult; evidenceRef: string }>;
export type ApplyForVillageExit = Cmd<'ApplyForVillageExit', { year: number }>;
export type ReviewVillageExit = Cmd<'ReviewVillageExit', { approved: boolean; note: string }>;
export type PostVillageExitNotice = Cmd<'PostVillageExitNotice', { endsAt: string }>;
export type RaiseVillageExitObjection = Cmd<'RaiseVillageExitObjection', { objectionId: string; summary: string }>;
export type ResolveVillageExitObjection = Cmd<'ResolveVillageExitObjection', { objectionId: string; outcome: 'upheld' | 'dismissed'; note: string }>;
export type AnnounceVillageExit = Cmd<'AnnounceVillageExit', Record<never, never>>;

export type VillageCommand =
  | RegisterPoorVillage
  | RecordVillageIncidence
  | CheckVillageItem
  | ApplyForVillageExit
  | ReviewVillageExit
  | PostVillageExitNotice
  | RaiseVillageExitObjection
  | ResolveVillageExitObjection
  | AnnounceVillageExit;

export const VILLAGE_COMMAND_TYPES: readonly VillageCommand['type'][] = [
  'RegisterPoorVillage',
  'RecordVillageIncidence',
  'CheckVillageItem',
  'ApplyForVillageExit',
  'ReviewVillageExit',
  'PostVillageExitNotice',
  'RaiseVillageExitObjection',
  'ResolveVillageExitObjection',
  'AnnounceVillageExit',
];
