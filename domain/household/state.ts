import type { Fen } from '../shared/money';
import type { CountyId } from '../reference/counties';
import type { PolicyRef } from '../policy/policy-ref';
import { MONITORING } from '../policy/monitoring';
import type { VillageId } from '../village/ids';
import type { HouseholdId } from './ids';
import type { CauseId } from './causes';
import type { Guarantees } from './guarantees';
import type { RemovalReason } from './removal';

/** What stays true about a registered household whatever step it is at. */
export interface HouseholdFile {
  readonly householdId: HouseholdId;
  readonly countyId: CountyId;
  readonly villageId: VillageId;
  readonly registeredYear: number;
  readonly memberCount: number;
  /** The ID numbers on file, so a member's removal names someone who is there. Never leaves the domain. */
  /** Each member's key (infra/personal-data/keys.ts); null for members recorded before events held keys. */
  readonly memberKeys: readonly (string | null)[];
  readonly causes: readonly CauseId[];
  readonly income: { readonly year: number; readonly perCapita: Fen; readonly stableIncomeSource: boolean };
  readonly guarantees: Guarantees;
  readonly guaranteesYear: number;
  /** An objection from a notice stays open after the round ends; no new round until it is resolved. */
  readonly openObjectionId: string | null;
  readonly timesExited: number;
  readonly timesReturned: number;
  /** A removal proposed and not yet decided (动态调整), with its notice once posted. */
  readonly pendingRemoval: PendingRemoval | null;
}

export interface PendingRemoval {
  readonly year: number;
  readonly reason: RemovalReason;
  readonly proposedBy: string;
  readonly noticeEndsAt?: string;
}

export interface RemovalRecord {
  readonly year: number;
  readonly reason: RemovalReason;
  readonly removedAt: string;
}

/** The current exit round: what has been done, in order. */
export interface ExitRound {
  readonly year: number;
  readonly policy: PolicyRef;
  readonly explanation: { readonly zh: string; readonly en: string };
  readonly noticeEndsAt?: string;
  /** Who appraised (村两委) and who checked (工作队): each later step must be someone else (separation of duties). */
  readonly appraisedBy?: string;
  readonly checkedBy?: string;
}

export interface ExitRecord {
  readonly year: number;
  readonly policy: PolicyRef;
  readonly explanation: { readonly zh: string; readonly en: string };
  readonly announcedAt: string;
}

/** Steps of an exit round, in the only order they can happen. */
export const ROUND_STATUSES = ['assessed', 'appraised', 'checked', 'consented', 'in-notice', 'township-reviewed'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

export const MONITORING_STATUSES = ['exited', 'flagged', 'return-visited', 'return-notice'] as const;

export type HouseholdState =
  | { readonly status: 'unregistered' }
  | { readonly status: 'poor'; readonly file: HouseholdFile }
  | { readonly status: RoundStatus; readonly file: HouseholdFile; readonly round: ExitRound }
  | { readonly status: 'exited'; readonly file: HouseholdFile; readonly exit: ExitRecord }
  | { readonly status: 'flagged' | 'return-visited'; readonly file: HouseholdFile; readonly exit: ExitRecord }
  | { readonly status: 'return-notice'; readonly file: HouseholdFile; readonly exit: ExitRecord; readonly returnNoticeEndsAt: string }
  /** Off the register (动态调整): no step and no payment for it any more. */
  | { readonly status: 'removed'; readonly file: HouseholdFile; readonly removal: RemovalRecord };

export type HouseholdStatus = HouseholdState['status'];

export const initialState = (): HouseholdState => ({ status: 'unregistered' });

export const isInRound = (s: HouseholdState): s is Extract<HouseholdState, { round: ExitRound }> => (ROUND_STATUSES as readonly string[]).includes(s.status);
export const isMonitored = (s: HouseholdState): s is Extract<HouseholdState, { exit: ExitRecord }> => (MONITORING_STATUSES as readonly string[]).includes(s.status);

/** 脱贫不脱政策: a registered household, exited or not, keeps its policies to the end of the plan. */
export const keepsPolicies = (s: HouseholdState, year: number, untilYear = MONITORING.policiesContinueUntilYear.value): boolean =>
  s.status !== 'unregistered' && s.status !== 'removed' && year <= untilYear;

/** Off the register: the household's removal was announced. Benefits and payments to it are refused. */
export const isRemoved = (s: HouseholdState): s is Extract<HouseholdState, { status: 'removed' }> => s.status === 'removed';

/** Whether a person (by member key) is on the household's file now: not for a removed household, nor for a removed member. */
export const isMemberOnFile = (s: HouseholdState, memberKey: string): boolean => s.status !== 'unregistered' && s.status !== 'removed' && s.file.memberKeys.includes(memberKey);

/** People still counted as poor: registered members of households that have not exited. */
export const poorMembers = (s: HouseholdState): number => (s.status === 'unregistered' || s.status === 'removed' || isMonitored(s) ? 0 : s.file.memberCount);
