import { z } from 'zod';
import { objectionIdSchema } from '../shared/ids';
import { defineEvent, type EventDefinition, type EventRef } from '../shared/events';
import { fenSchema } from '../shared/money';
import { userIdSchema } from '../shared/actor';
import { countyIdSchema } from '../reference/counties';
import { policyRefSchema } from '../policy/policy-ref';
import { villageIdSchema } from '../village/ids';
import { householdIdSchema } from './ids';
import { causeSchema } from './causes';
import { guaranteesSchema } from './guarantees';
import { validateResidentId } from './resident-id';
import { MEMBER_REMOVAL_REASONS, REMOVAL_REASONS } from './removal';

const at = z.iso.datetime({ offset: true });
const year = z.number().int().min(2014).max(2030);
const recordRef = z.string().trim().min(1).max(200);
const bilingual = z.object({ zh: z.string(), en: z.string() }).strict();

/** Who did it and when: every step of an exit must be attributable (no paper exits). */
const step = { householdId: householdIdSchema, by: userIdSchema, at };
const hh = (d: { householdId: string }): EventRef[] => [{ kind: 'household', id: d.householdId }];

export const MEMBER_RELATIONS = ['householder', 'spouse', 'child', 'parent', 'grandchild', 'sibling', 'other'] as const;

/** A member as a caller gives one (commands, registry files): the clear ID number. Never in an event. */
export const memberSchema = z
  .object({
    /** The resident ID number: input only. Events hold its member key and masked form (memberRecordSchema). */
    idNumber: z
      .string()
      .length(18)
      .refine((s) => validateResidentId(s).ok && s === s.toUpperCase(), { error: 'must be a valid, normalized resident ID number (GB 11643)' }),
    relation: z.enum(MEMBER_RELATIONS),
  })
  .strict();
export type Member = z.infer<typeof memberSchema>;

export const MEMBER_KEY = /^mk1-[0-9a-f]{64}$/;
/** The region code and the last four characters; the birth date hidden: 410325********111X. */
export const MASKED_ID = /^\d{6}\*{8}\d{3}[\dX]$/;

/**
 * A member as the store records one. The clear number lives encrypted outside the store
 * (infra/personal-data), under a per-household key that can be destroyed (PIPL: deletion, correction),
 * so the immutable chain never holds it.
 */
export const memberRecordSchema = z
  .object({
    /** HMAC of the number under the deployment's salt (infra/personal-data/keys.ts); null only on events written before version 2. */
    memberKey: z.string().regex(MEMBER_KEY).nullable(),
    idMasked: z.string().regex(MASKED_ID, { error: 'must be a masked resident ID number (410325********111X)' }),
    relation: z.enum(MEMBER_RELATIONS),
  })
  .strict();
export type MemberRecord = z.infer<typeof memberRecordSchema>;

export const maskResidentId = (idNumber: string): string => `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`;

/**
 * Version 1 held the clear number. Read through this, no reader sees it: the member key cannot be
 * computed here (no salt in the domain), so it is null; the registry's key index still holds it.
 */
const withoutClearNumbers = (data: unknown): unknown => {
  const d = data as { members: Member[] };
  return { ...d, members: d.members.map((m) => ({ memberKey: null, idMasked: maskResidentId(m.idNumber), relation: m.relation })) };
};

const registeredFields = {
  ...step,
  countyId: countyIdSchema,
  villageId: villageIdSchema,
  registeredYear: year,
  causes: z.array(causeSchema).min(1),
  perCapitaIncome: fenSchema,
  stableIncomeSource: z.boolean(),
  guarantees: guaranteesSchema,
};

/** 建档立卡: the household's file is opened. */
export const HouseholdRegistered = defineEvent({
  type: 'HouseholdRegistered',
  version: 2,
  schema: z.object({ ...registeredFields, members: z.array(memberRecordSchema).min(1) }).strict(),
  past: [{ version: 1, schema: z.object({ ...registeredFields, members: z.array(memberSchema).min(1) }).strict(), upcast: withoutClearNumbers }],
  refs: (d) => [...hh(d), { kind: 'village', id: d.villageId }, { kind: 'county', id: d.countyId }],
});

/** The member list replaced (births, deaths, marriages, moves). */
export const HouseholdMembersUpdated = defineEvent({
  type: 'HouseholdMembersUpdated',
  version: 2,
  schema: z.object({ ...step, year, members: z.array(memberRecordSchema).min(1) }).strict(),
  past: [{ version: 1, schema: z.object({ ...step, year, members: z.array(memberSchema).min(1) }).strict(), upcast: withoutClearNumbers }],
  refs: hh,
});

/** The yearly income record ("records updated every year"). */
export const HouseholdIncomeRecorded = defineEvent({
  type: 'HouseholdIncomeRecorded',
  version: 1,
  schema: z.object({ ...step, year, perCapitaIncome: fenSchema, stableIncomeSource: z.boolean() }).strict(),
  refs: hh,
});

export const HouseholdGuaranteesUpdated = defineEvent({
  type: 'HouseholdGuaranteesUpdated',
  version: 1,
  schema: z.object({ ...step, year, guarantees: guaranteesSchema }).strict(),
  refs: hh,
});

/** The result of comparing the household with the year's standard, with the table version used. */
export const HouseholdAssessedForExit = defineEvent({
  type: 'HouseholdAssessedForExit',
  version: 1,
  schema: z
    .object({
      ...step,
      year,
      eligible: z.boolean(),
      perCapitaIncome: fenSchema,
      threshold: fenSchema,
      policy: policyRefSchema,
      failures: z.array(z.object({ test: z.string(), zh: z.string(), en: z.string() }).strict()),
      explanation: bilingual,
    })
    .strict(),
  refs: hh,
});

/** 民主评议: the village's democratic appraisal, with the meeting record. */
export const HouseholdVillageAppraised = defineEvent({
  type: 'HouseholdVillageAppraised',
  version: 1,
  schema: z.object({ ...step, agreed: z.boolean(), recordRef }).strict(),
  refs: hh,
});

export const HouseholdWorkTeamChecked = defineEvent({
  type: 'HouseholdWorkTeamChecked',
  version: 1,
  schema: z.object({ ...step, confirmed: z.boolean(), findings: z.string().max(2000) }).strict(),
  refs: hh,
});

/** The household's own word, with the signed record. Refusing ends the round: no 被脱贫. */
export const HouseholdConsentRecorded = defineEvent({
  type: 'HouseholdConsentRecorded',
  version: 1,
  schema: z.object({ ...step, consents: z.boolean(), recordRef }).strict(),
  refs: hh,
});

export const HouseholdConsentWithdrawn = defineEvent({
  type: 'HouseholdConsentWithdrawn',
  version: 1,
  schema: z.object({ ...step, recordRef }).strict(),
  refs: hh,
});

export const HouseholdExitNoticePosted = defineEvent({
  type: 'HouseholdExitNoticePosted',
  version: 1,
  schema: z.object({ ...step, endsAt: at, minimumSeconds: z.number().int().positive() }).strict(),
  refs: hh,
});

export const HouseholdExitObjectionRaised = defineEvent({
  type: 'HouseholdExitObjectionRaised',
  version: 1,
  schema: z.object({ ...step, objectionId: objectionIdSchema, summary: z.string().trim().min(1).max(2000) }).strict(),
  refs: hh,
});

export const HouseholdExitObjectionResolved = defineEvent({
  type: 'HouseholdExitObjectionResolved',
  version: 1,
  schema: z.object({ ...step, objectionId: z.string(), outcome: z.enum(['upheld', 'dismissed']), note: z.string().max(2000) }).strict(),
  refs: hh,
});

export const HouseholdTownshipReviewed = defineEvent({
  type: 'HouseholdTownshipReviewed',
  version: 1,
  schema: z.object({ ...step, approved: z.boolean(), note: z.string().max(2000) }).strict(),
  refs: hh,
});

export const EXIT_ROUND_END_REASONS = [
  'village-appraisal-rejected',
  'work-team-not-confirmed',
  'consent-refused',
  'consent-withdrawn',
  'objection-raised',
  'township-rejected',
  'no-longer-eligible',
] as const;

/** The household leaves this year's exit round and stays registered as poor. */
export const HouseholdRemovedFromExitRound = defineEvent({
  type: 'HouseholdRemovedFromExitRound',
  version: 1,
  schema: z.object({ ...step, reason: z.enum(EXIT_ROUND_END_REASONS) }).strict(),
  refs: hh,
});

/** 公告退出: the county announces the exit. The household keeps its policies (脱贫不脱政策). */
export const HouseholdExitAnnounced = defineEvent({
  type: 'HouseholdExitAnnounced',
  version: 1,
  schema: z
    .object({ ...step, countyId: countyIdSchema, villageId: villageIdSchema, year, memberCount: z.number().int().positive(), policy: policyRefSchema, explanation: bilingual })
    .strict(),
  refs: (d) => [...hh(d), { kind: 'village', id: d.villageId }, { kind: 'county', id: d.countyId }],
});

export const RETURN_RISK_REASONS = ['income-below-monitoring-line', 'guarantee-lost'] as const;

export const HouseholdFlaggedForReturnRisk = defineEvent({
  type: 'HouseholdFlaggedForReturnRisk',
  version: 1,
  schema: z
    .object({
      ...step,
      year,
      reasons: z.array(z.enum(RETURN_RISK_REASONS)).min(1),
      perCapitaIncome: fenSchema,
      monitoringThreshold: fenSchema,
      policy: policyRefSchema,
      explanation: bilingual,
    })
    .strict(),
  refs: hh,
});

export const HouseholdReturnReviewVisited = defineEvent({
  type: 'HouseholdReturnReviewVisited',
  version: 1,
  schema: z.object({ ...step, findings: z.string().trim().min(1).max(2000) }).strict(),
  refs: hh,
});

export const HouseholdReturnNoticePosted = defineEvent({
  type: 'HouseholdReturnNoticePosted',
  version: 1,
  schema: z.object({ ...step, endsAt: at, minimumSeconds: z.number().int().positive() }).strict(),
  refs: hh,
});

/** Re-entry: the household is registered as poor again and may go through a new exit round later. */
export const HouseholdReturnedToPoverty = defineEvent({
  type: 'HouseholdReturnedToPoverty',
  version: 1,
  schema: z
    .object({ ...step, countyId: countyIdSchema, villageId: villageIdSchema, memberCount: z.number().int().positive(), reason: z.string().trim().min(1).max(2000) })
    .strict(),
  refs: (d) => [...hh(d), { kind: 'village', id: d.villageId }, { kind: 'county', id: d.countyId }],
});

export const HouseholdReturnRiskCleared = defineEvent({
  type: 'HouseholdReturnRiskCleared',
  version: 1,
  schema: z.object({ ...step, reason: z.string().trim().min(1).max(2000) }).strict(),
  refs: hh,
});

/** 动态调整: the village (work team or 村两委) proposes that a household leave the register, with the reason and the record. */
export const HouseholdRemovalProposed = defineEvent({
  type: 'HouseholdRemovalProposed',
  version: 1,
  schema: z.object({ ...step, year, reason: z.enum(REMOVAL_REASONS), recordRef }).strict(),
  refs: hh,
});

/** The proposed removal is posted for notice (在乡（镇）内公示), by the township. */
export const HouseholdRemovalNoticePosted = defineEvent({
  type: 'HouseholdRemovalNoticePosted',
  version: 1,
  schema: z.object({ ...step, endsAt: at, minimumSeconds: z.number().int().positive() }).strict(),
  refs: hh,
});

/** The county declines a proposed removal (or an objection stood): the household stays on the register. */
export const HouseholdRemovalDeclined = defineEvent({
  type: 'HouseholdRemovalDeclined',
  version: 1,
  schema: z.object({ ...step, note: z.string().max(2000) }).strict(),
  refs: hh,
});

/** 县公告: the household leaves the register. Nothing may be paid to it from then on. */
export const HouseholdRemovedFromRegister = defineEvent({
  type: 'HouseholdRemovedFromRegister',
  version: 1,
  schema: z
    .object({
      ...step,
      countyId: countyIdSchema,
      villageId: villageIdSchema,
      year,
      reason: z.enum(REMOVAL_REASONS),
      memberCount: z.number().int().min(0),
      note: z.string().max(2000),
    })
    .strict(),
  refs: (d) => [...hh(d), { kind: 'village', id: d.villageId }, { kind: 'county', id: d.countyId }],
});

/** One member leaves a household that stays (death, moving away, marriage, wrongly registered). Nothing is paid for them from then on. */
export const HouseholdMemberRemoved = defineEvent({
  type: 'HouseholdMemberRemoved',
  version: 2,
  schema: z
    .object({ ...step, year, memberKey: memberRecordSchema.shape.memberKey, idMasked: memberRecordSchema.shape.idMasked, reason: z.enum(MEMBER_REMOVAL_REASONS), recordRef })
    .strict(),
  past: [
    {
      version: 1,
      schema: z.object({ ...step, year, idNumber: memberSchema.shape.idNumber, reason: z.enum(MEMBER_REMOVAL_REASONS), recordRef }).strict(),
      upcast: (data: unknown) => {
        const { idNumber, ...rest } = data as { idNumber: string };
        return { ...rest, memberKey: null, idMasked: maskResidentId(idNumber) };
      },
    },
  ],
  refs: hh,
});

export const HOUSEHOLD_EVENTS = [
  HouseholdRegistered,
  HouseholdMembersUpdated,
  HouseholdIncomeRecorded,
  HouseholdGuaranteesUpdated,
  HouseholdAssessedForExit,
  HouseholdVillageAppraised,
  HouseholdWorkTeamChecked,
  HouseholdConsentRecorded,
  HouseholdConsentWithdrawn,
  HouseholdExitNoticePosted,
  HouseholdExitObjectionRaised,
  HouseholdExitObjectionResolved,
  HouseholdTownshipReviewed,
  HouseholdRemovedFromExitRound,
  HouseholdExitAnnounced,
  HouseholdFlaggedForReturnRisk,
  HouseholdReturnReviewVisited,
  HouseholdReturnNoticePosted,
  HouseholdReturnedToPoverty,
  HouseholdReturnRiskCleared,
  HouseholdRemovalProposed,
  HouseholdRemovalNoticePosted,
  HouseholdRemovalDeclined,
  HouseholdRemovedFromRegister,
  HouseholdMemberRemoved,
] as const;

type Def = (typeof HOUSEHOLD_EVENTS)[number];
type EventOf<D> = D extends EventDefinition<infer T, infer X> ? { type: T; data: X } : never;
/** The union of household events as deciders emit them. */
export type HouseholdEvent = EventOf<Def>;
export type HouseholdEventType = HouseholdEvent['type'];
export type HouseholdEventData<T extends HouseholdEventType> = Extract<HouseholdEvent, { type: T }>['data'];
