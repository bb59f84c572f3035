import type { CountyId } from '../reference/counties';
import { NOTICE_DAYS } from './exit-thresholds';

const DAY = 86_400;

/** The notices an exit, return review or benefit round posts (公示), by what they announce. */
export type NoticeKind = 'householdExit' | 'returnToPoverty' | 'villageExit' | 'countyExit' | 'removal' | 'identification' | 'benefit';

/** 公示 of a benefit round's list: seven days (domain/benefit DEFAULT_BENEFIT_RULES holds the same). */
const BENEFIT_NOTICE_DAYS = 7;

const MIN_SECONDS: Readonly<Record<NoticeKind, number>> = {
  householdExit: NOTICE_DAYS.householdExit.value * DAY,
  returnToPoverty: NOTICE_DAYS.returnToPoverty.value * DAY,
  villageExit: NOTICE_DAYS.villageExit.value * DAY,
  countyExit: NOTICE_DAYS.countyExit.value * DAY,
  removal: NOTICE_DAYS.removal.value * DAY,
  identification: NOTICE_DAYS.identification.value * DAY,
  benefit: BENEFIT_NOTICE_DAYS * DAY,
};

/** How long a process posts its notice, and the shortest its decider accepts. */
export interface NoticeTerms {
  readonly noticeSeconds: number;
  readonly minNoticeSeconds: number;
}

/**
 * The notice terms in force for a county on a day: what an exit, return review or benefit process
 * decides by, taken at its start from these tables and never from whoever starts it. A notice its
 * starter asks to run longer runs longer; a shorter one is not taken. One set for every county
 * today; a county's own would be listed here with its counties and dates. Scaled or lenient terms
 * (tests, `npm run demo`) run only where the namespace is configured for tests or simulation
 * (TUOPIN_SIMULATION_NAMESPACES).
 */
export const noticeTermsInForce = (kind: NoticeKind, _countyId: CountyId, _day: string, asked?: number): NoticeTerms => {
  const min = MIN_SECONDS[kind];
  return { noticeSeconds: Math.max(min, asked ?? 0), minNoticeSeconds: min };
};

/** Notice events and what they announce: each records the shortest notice it was decided under (`minimumSeconds`). */
export const NOTICE_EVENTS: Readonly<Record<string, NoticeKind>> = {
  HouseholdExitNoticePosted: 'householdExit',
  HouseholdReturnNoticePosted: 'returnToPoverty',
  HouseholdRemovalNoticePosted: 'removal',
  VillageExitNoticePosted: 'villageExit',
  CountyExitNoticePosted: 'countyExit',
  IdentificationVillageNoticePosted: 'identification',
  IdentificationTownshipNoticePosted: 'identification',
  BenefitNoticePosted: 'benefit',
};

/** Whether a notice decided under this shortest notice was decided under the terms in force (anomaly `policy-not-in-force` otherwise). */
export const isNoticeInForce = (kind: NoticeKind, minimumSeconds: number): boolean => minimumSeconds >= MIN_SECONDS[kind];

/** The shortest notice in force, in seconds: what an anomaly names beside the one a notice was decided under. */
export const minNoticeInForce = (kind: NoticeKind): number => MIN_SECONDS[kind];
