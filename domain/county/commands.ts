import type { CommandMeta } from '../shared/actor';
import type { CountyId } from '../reference/counties';
import type { ProvincialFindings, SampleFrames } from './exit-tests';

/** What the sample's seed is derived from: the store digest at a position, fixed before the check (domain/county/sample.ts). */
export interface SampleBasis {
  readonly position: number;
  readonly digest: string;
}

type Cmd<T extends string, D> = { type: T; data: D & { countyId: CountyId }; meta: CommandMeta };

/** The counts come from the household and village read models; the plan's baselines from reference data. */
export type ApplyForCountyExit = Cmd<'ApplyForCountyExit', { year: number; poorRemaining: number; ruralPopulation: number; poorVillagesExited: number; sampleBasis?: SampleBasis }>;
export type RecordCityPreCheck = Cmd<'RecordCityPreCheck', { passed: boolean; findings: string }>;
export type RecordProvincialCheck = Cmd<'RecordProvincialCheck', ProvincialFindings & { sample: { seed: string; households: number; evaluator: string }; frames?: SampleFrames }>;
export type PostCountyExitNotice = Cmd<'PostCountyExitNotice', { endsAt: string }>;
export type RaiseCountyExitObjection = Cmd<'RaiseCountyExitObjection', { objectionId: string; summary: string }>;
export type ResolveCountyExitObjection = Cmd<'ResolveCountyExitObjection', { objectionId: string; outcome: 'upheld' | 'dismissed'; note: string }>;
export type AnnounceCountyExit = Cmd<'AnnounceCountyExit', Record<never, never>>;

export type CountyCommand =
  ApplyForCountyExit | RecordCityPreCheck | RecordProvincialCheck | PostCountyExitNotice | RaiseCountyExitObjection | ResolveCountyExitObjection | AnnounceCountyExit;

export const COUNTY_COMMAND_TYPES: readonly CountyCommand['type'][] = [
  'ApplyForCountyExit',
  'RecordCityPreCheck',
  'RecordProvincialCheck',
  'PostCountyExitNotice',
  'RaiseCountyExitObjection',
  'ResolveCountyExitObjection',
  'AnnounceCountyExit',
];
