import { z } from 'zod';
import { objectionIdSchema } from '../shared/ids';
import { defineEvent, type EventDefinition } from '../shared/events';
import { userIdSchema } from '../shared/actor';
import { countyIdSchema } from '../reference/counties';
import { policyRefSchema } from '../policy/policy-ref';
import { villageIdSchema } from './ids';
import { checklistItemSchema, CHECK_RESULTS } from './checklist';

const at = z.iso.datetime({ offset: true });
const year = z.number().int().min(2014).max(2030);
const count = z.number().int().nonnegative();
const step = { villageId: villageIdSchema, by: userIdSchema, at };
const v = (d: { villageId: string }) => [{ kind: 'village' as const, id: d.villageId }];

/** One of the plan's 669 poor villages enters the exit programme. */
export const PoorVillageRegistered = defineEvent({
  type: 'PoorVillageRegistered',
  version: 1,
  schema: z.object({ ...step, countyId: countyIdSchema, registeredYear: year }).strict(),
  refs: (d) => [...v(d), { kind: 'county', id: d.countyId }],
});

/** The year's count: poor remaining from the household files, population from the household register. */
export const VillageIncidenceRecorded = defineEvent({
  type: 'VillageIncidenceRecorded',
  version: 1,
  schema: z.object({ ...step, year, poorRemaining: count, population: count.min(1) }).strict(),
  refs: v,
});

export const VillageChecklistItemChecked = defineEvent({
  type: 'VillageChecklistItemChecked',
  version: 1,
  schema: z.object({ ...step, item: checklistItemSchema, result: z.enum(CHECK_RESULTS), evidenceRef: z.string().trim().min(1).max(200) }).strict(),
  refs: v,
});

export const VillageExitApplied = defineEvent({
  type: 'VillageExitApplied',
  version: 1,
  schema: z.object({ ...step, year, poorRemaining: count, population: count.min(1), policy: policyRefSchema }).strict(),
  refs: v,
});

export const VillageExitReviewed = defineEvent({
  type: 'VillageExitReviewed',
  version: 1,
  schema: z.object({ ...step, approved: z.boolean(), note: z.string().max(2000) }).strict(),
  refs: v,
});

export const VillageExitNoticePosted = defineEvent({
  type: 'VillageExitNoticePosted',
  version: 1,
  schema: z.object({ ...step, endsAt: at, minimumSeconds: z.number().int().positive() }).strict(),
  refs: v,
});

export const VillageExitObjectionRaised = defineEvent({
  type: 'VillageExitObjectionRaised',
  version: 1,
  schema: z.object({ ...step, objectionId: objectionIdSchema, summary: z.string().trim().min(1).max(2000) }).strict(),
  refs: v,
});

export const VillageExitObjectionResolved = defineEvent({
  type: 'VillageExitObjectionResolved',
  version: 1,
  schema: z.object({ ...step, objectionId: z.string(), outcome: z.enum(['upheld', 'dismissed']), note: z.string().max(2000) }).strict(),
  refs: v,
});

/** 贫困村退出: the county announces the village out of the poor-village list. */
export const VillageExited = defineEvent({
  type: 'VillageExited',
  version: 1,
  schema: z.object({ ...step, countyId: countyIdSchema, year, poorRemaining: count, population: count.min(1), policy: policyRefSchema }).strict(),
  refs: (d) => [...v(d), { kind: 'county', id: d.countyId }],
});

export const VILLAGE_EVENTS = [
  PoorVillageRegistered,
  VillageIncidenceRecorded,
  VillageChecklistItemChecked,
  VillageExitApplied,
  VillageExitReviewed,
  VillageExitNoticePosted,
  VillageExitObjectionRaised,
  VillageExitObjectionResolved,
  VillageExited,
] as const;

type EventOf<D> = D extends EventDefinition<infer T, infer X> ? { type: T; data: X } : never;
export type VillageEvent = EventOf<(typeof VILLAGE_EVENTS)[number]>;
export type VillageEventData<T extends VillageEvent['type']> = Extract<VillageEvent, { type: T }>['data'];
