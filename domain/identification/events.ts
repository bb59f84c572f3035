import { z } from 'zod';
import { objectionIdSchema } from '../shared/ids';
import { defineEvent, type EventDefinition, type EventRef } from '../shared/events';
import { fenSchema } from '../shared/money';
import { userIdSchema } from '../shared/actor';
import { countyIdSchema } from '../reference/counties';
import { villageIdSchema } from '../village/ids';
import { householdIdSchema } from '../household/ids';
import { causeSchema } from '../household/causes';
import { guaranteesSchema } from '../household/guarantees';
import { memberRecordSchema } from '../household/events';

const at = z.iso.datetime({ offset: true });
const year = z.number().int().min(2014).max(2030);
const recordRef = z.string().trim().min(1).max(200);
const ids = z.array(householdIdSchema);
/** Every event of a round names its village and year: the stream is the round's (identification-<village>-<year>). */
const step = { villageId: villageIdSchema, year, by: userIdSchema, at };
const village = (d: { villageId: string }): EventRef[] => [{ kind: 'village', id: d.villageId }];
const households = (list: readonly string[]): EventRef[] => list.map((id) => ({ kind: 'household' as const, id }));

export const IDENTIFICATION_OUT_REASONS = ['appraisal-rejected', 'objection-raised', 'township-rejected', 'county-rejected'] as const;

/**
 * What the household's file will hold once registered: the same fields as HouseholdRegistered, its
 * members by key and masked number (the clear numbers wait in the encrypted table, infra/personal-data).
 */
export const applicationFileSchema = z
  .object({
    causes: z.array(causeSchema).min(1),
    perCapitaIncome: fenSchema,
    stableIncomeSource: z.boolean(),
    guarantees: guaranteesSchema,
    members: z.array(memberRecordSchema).min(1),
  })
  .strict();
export type ApplicationFile = z.infer<typeof applicationFileSchema>;

/** 识别: the year's identification round of one village is opened (the township or the work team). */
export const IdentificationRoundOpened = defineEvent({
  type: 'IdentificationRoundOpened',
  version: 1,
  schema: z.object({ ...step, countyId: countyIdSchema }).strict(),
  refs: (d) => [...village(d), { kind: 'county', id: d.countyId }],
});

/** 农户申请: a household's application, with its signed form, taken into the round. Not yet registered. */
export const IdentificationApplicationRecorded = defineEvent({
  type: 'IdentificationApplicationRecorded',
  version: 1,
  schema: z.object({ ...step, householdId: householdIdSchema, recordRef, file: applicationFileSchema }).strict(),
  refs: (d) => [...village(d), ...households([d.householdId])],
});

/** 民主评议: the 村两委's democratic appraisal of the applications, with the meeting record. */
export const IdentificationAppraised = defineEvent({
  type: 'IdentificationAppraised',
  version: 1,
  schema: z.object({ ...step, agreed: ids, rejected: ids, recordRef }).strict(),
  refs: (d) => [...village(d), ...households([...d.agreed, ...d.rejected])],
});

/** 村公示 (在乡（镇）内公示): the appraised list posted by the township. */
export const IdentificationVillageNoticePosted = defineEvent({
  type: 'IdentificationVillageNoticePosted',
  version: 1,
  schema: z.object({ ...step, householdIds: ids.min(1), endsAt: at, minimumSeconds: z.number().int().positive() }).strict(),
  refs: (d) => [...village(d), ...households(d.householdIds)],
});

/** An objection during either notice: the household leaves this year's round (it may apply again). */
export const IdentificationObjectionRaised = defineEvent({
  type: 'IdentificationObjectionRaised',
  version: 1,
  schema: z
    .object({
      ...step,
      householdId: householdIdSchema,
      objectionId: objectionIdSchema,
      summary: z.string().trim().min(1).max(2000),
      notice: z.enum(['village', 'township']),
    })
    .strict(),
  refs: (d) => [...village(d), ...households([d.householdId])],
});

/** 乡审核: the township reviews the list after the village notice. */
export const IdentificationTownshipReviewed = defineEvent({
  type: 'IdentificationTownshipReviewed',
  version: 1,
  schema: z.object({ ...step, approved: ids, rejected: ids, note: z.string().max(2000) }).strict(),
  refs: (d) => [...village(d), ...households([...d.approved, ...d.rejected])],
});

/** 乡审核公示: the township's approved list posted for notice. */
export const IdentificationTownshipNoticePosted = defineEvent({
  type: 'IdentificationTownshipNoticePosted',
  version: 1,
  schema: z.object({ ...step, householdIds: ids.min(1), endsAt: at, minimumSeconds: z.number().int().positive() }).strict(),
  refs: (d) => [...village(d), ...households(d.householdIds)],
});

/**
 * 县审定并公告: the county decides and announces. The approved households are then registered
 * (建档立卡: HouseholdRegistered on each household's stream, from its application's file).
 */
export const IdentificationAnnounced = defineEvent({
  type: 'IdentificationAnnounced',
  version: 1,
  schema: z.object({ ...step, countyId: countyIdSchema, approved: ids, rejected: ids, note: z.string().max(2000) }).strict(),
  refs: (d) => [...village(d), { kind: 'county', id: d.countyId }, ...households([...d.approved, ...d.rejected])],
});

export const IDENTIFICATION_EVENTS = [
  IdentificationRoundOpened,
  IdentificationApplicationRecorded,
  IdentificationAppraised,
  IdentificationVillageNoticePosted,
  IdentificationObjectionRaised,
  IdentificationTownshipReviewed,
  IdentificationTownshipNoticePosted,
  IdentificationAnnounced,
] as const;

type Def = (typeof IDENTIFICATION_EVENTS)[number];
type EventOf<D> = D extends EventDefinition<infer T, infer X> ? { type: T; data: X } : never;
export type IdentificationEvent = EventOf<Def>;
export type IdentificationEventType = IdentificationEvent['type'];
export type IdentificationEventData<T extends IdentificationEventType> = Extract<IdentificationEvent, { type: T }>['data'];
