import type { Client, QueryDefinition } from '@temporalio/client';
import { PERMISSIONS, type Action } from '../domain/access';
import { COUNTY_EXIT, nextRoundStep, nextStep, RETURN_REVIEW, VILLAGE_EXIT } from '../domain/exits';
import { COUNTY_SCOPED_ROLES, type Actor, type Role } from '../domain/shared/actor';
import { COMPLAINT_ROLES } from '../domain/complaint/decide';
import { exitRoundStatusQuery, type ExitRoundStatus } from '../workflows/exit-round.messages';
import { villageExitStatusQuery, type VillageExitStatus } from '../workflows/village-exit.messages';
import { countyExitStatusQuery, type CountyExitStatus } from '../workflows/county-exit.messages';
import { returnReviewStatusQuery, type ReturnReviewStatus } from '../workflows/return-review.messages';
import { benefitRoundStatusQuery, type BenefitRoundStatus } from '../workflows/benefit-round.messages';
import { complaintStatusQuery, type ComplaintCaseStatus } from '../workflows/complaint-case.messages';
import { ProcessUnavailable } from './errors';
import { queryLive } from './workflow-unavailable';
import { countyOf } from './exit-workflows';

/** The processes besides projects that wait for people: the exits (household round, village, county, return review), benefit rounds and complaints. */
export const PROCESS_KINDS = ['exit-round', 'village-exit', 'county-exit', 'return-review', 'benefit-round', 'complaint'] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];

/** One running process waiting for a step the asking person's role may take. */
export interface ProcessWork {
  readonly kind: ProcessKind;
  readonly workflowId: string;
  readonly countyId: string | null;
  /** What the process is about, by its ids: the village and year, the county and year, the household and year, or the round. */
  readonly ref: {
    readonly villageId?: string;
    readonly countyId?: string;
    readonly householdId?: string;
    readonly roundId?: string;
    readonly complaintId?: string;
    readonly year?: number;
  };
  readonly phase: string | null;
  /** The step (the process's own step type) and the domain/access action it asks for; null when the process could not answer. */
  readonly step: string | null;
  readonly action: Action | null;
  readonly notBefore: string | null;
  /** A complaint's answer is due by then, and the last level told it is late (督办); other processes keep no deadline. */
  readonly deadlineAt?: string;
  readonly overdueLevel?: 'county' | 'city' | null;
  readonly live: boolean;
}

interface Next {
  readonly step: string;
  readonly action: Action;
  readonly notBefore?: string | undefined;
  readonly deadlineAt?: string;
  readonly overdueLevel?: 'county' | 'city' | null;
  /** Who may take the step now, where the process narrows its action's roles (a complaint: the city only once told). */
  readonly roles?: readonly Role[];
}

/**
 * The step each exit process waits for is the domain's (domain/exits: the step each phase waits
 * for, the exit round's refined by its households' statuses), read from what the status query
 * exposes: the phase, the households' statuses, the notice's end.
 */
const exitRoundNext = (s: ExitRoundStatus): Next | null => nextRoundStep(s.phase, new Map(s.households.map((h) => [h.householdId, h.status])), s.noticeEndsAt);
const villageExitNext = (s: VillageExitStatus): Next | null => nextStep(VILLAGE_EXIT, s.phase, s.noticeEndsAt);
const countyExitNext = (s: CountyExitStatus): Next | null => nextStep(COUNTY_EXIT, s.phase, s.noticeEndsAt);
const returnReviewNext = (s: ReturnReviewStatus): Next | null => nextStep(RETURN_REVIEW, s.phase, s.noticeEndsAt);

/** After its notice the round moves to township review by itself: during the notice nobody's step is due. */
const benefitRoundNext = (s: BenefitRoundStatus): Next | null => {
  const byPhase: Record<BenefitRoundStatus['phase'], Next | null> = {
    drafting: null,
    drafted: { step: 'postNotice', action: 'benefit.post-notice' },
    'in-notice': null,
    'township-review': { step: 'review', action: 'benefit.township-review' },
    'county-approval': { step: 'approve', action: 'benefit.approve' },
    'awaiting-payment': { step: 'disburse', action: 'benefit.disburse' },
    paying: null,
    closed: null,
    rejected: null,
    refused: null,
  };
  return byPhase[s.phase];
};

/** An open complaint waits for the county's answer, and for the city's too once the city has been told (督办). */
const complaintNext = (s: ComplaintCaseStatus): Next | null =>
  s.phase === 'open'
    ? {
        step: 'answer',
        action: 'complaint.answer',
        deadlineAt: s.answerBy,
        overdueLevel: s.escalation,
        roles: s.escalation === 'city' ? COMPLAINT_ROLES.answerAfterCity : COMPLAINT_ROLES.answer,
      }
    : null;

interface KindRule<S extends { phase: string }> {
  readonly workflowType: string;
  readonly prefix: string;
  readonly query: QueryDefinition<S>;
  readonly next: (s: S) => Next | null;
  /** The process's ids from its workflow id (the ids name the county second: vil-<county>-…, hh-<county>-…, br-<county>-…). */
  readonly ref: (rest: string) => ProcessWork['ref'];
}

const withYear = (rest: string) => {
  const m = /^(.*)-(\d{4})$/.exec(rest);
  return m ? { id: m[1]!, year: Number(m[2]) } : { id: rest };
};

type AnyRule = KindRule<{ phase: string }>;
/** One place where each process's status type is forgotten: the rules are used only through `phase`. */
const rule = <S extends { phase: string }>(r: KindRule<S>): AnyRule => r as unknown as AnyRule;
const byYear =
  (key: 'villageId' | 'countyId' | 'householdId') =>
  (rest: string): ProcessWork['ref'] => {
    const { id, year } = withYear(rest);
    return { [key]: id, ...(year ? { year } : {}) };
  };

const RULES: Readonly<Record<ProcessKind, AnyRule>> = {
  'exit-round': rule({ workflowType: 'exitRound', prefix: 'exit-round-', query: exitRoundStatusQuery, next: exitRoundNext, ref: byYear('villageId') }),
  'village-exit': rule({ workflowType: 'villageExit', prefix: 'village-exit-', query: villageExitStatusQuery, next: villageExitNext, ref: byYear('villageId') }),
  'county-exit': rule({ workflowType: 'countyExit', prefix: 'county-exit-', query: countyExitStatusQuery, next: countyExitNext, ref: byYear('countyId') }),
  'return-review': rule({ workflowType: 'returnReview', prefix: 'return-review-', query: returnReviewStatusQuery, next: returnReviewNext, ref: byYear('householdId') }),
  'benefit-round': rule({ workflowType: 'benefitRound', prefix: 'benefit-round-', query: benefitRoundStatusQuery, next: benefitRoundNext, ref: (r) => ({ roundId: r }) }),
  complaint: rule({ workflowType: 'complaintCase', prefix: 'complaint-', query: complaintStatusQuery, next: complaintNext, ref: (r) => ({ complaintId: r }) }),
};

/** The action prefix of each kind's steps (domain/access): a role holding none of them is never asked about that kind. */
const ACTION_PREFIX: Readonly<Record<ProcessKind, string>> = {
  'exit-round': 'exit-round.',
  'village-exit': 'village-exit.',
  'county-exit': 'county-exit.',
  'return-review': 'return-review.',
  'benefit-round': 'benefit.',
  complaint: 'complaint.answer',
};

const countyOfRef = (ref: ProcessWork['ref']): string | null =>
  ref.countyId ??
  (ref.villageId
    ? countyOf(ref.villageId)
    : ref.householdId
      ? countyOf(ref.householdId)
      : ref.roundId
        ? countyOf(ref.roundId)
        : ref.complaintId
          ? countyOf(ref.complaintId)
          : null) ??
  null;

/** At most this many running processes are asked for their status per request. */
export const PROCESS_LIMIT = 200;

/**
 * The running exit processes and benefit rounds of the person's county (every county for a
 * prefecture-wide role) whose next step the person's role may take. Found through Temporal's
 * visibility (running workflows of these types on their task queues), then each asked for its live
 * status; the step each phase waits for is read from that status (exitRoundNext … above).
 */
export const processWork = async (
  deps: { readonly client: Client; readonly taskQueue: string; readonly exitTaskQueue: string },
  actor: Actor,
  mapLimited: <T, R>(items: readonly T[], f: (t: T) => Promise<R>) => Promise<R[]>,
): Promise<{ items: ProcessWork[]; truncated: boolean }> => {
  const mine = new Set<Action>(PERMISSIONS[actor.role]);
  const kinds = PROCESS_KINDS.filter((k) => [...mine].some((a) => a.startsWith(ACTION_PREFIX[k]) && a !== 'exit-round.start' && a !== 'return-review.start'));
  if (kinds.length === 0) return { items: [], truncated: false };
  const types = kinds.map((k) => `'${RULES[k].workflowType}'`).join(', ');
  const queues = [...new Set([deps.taskQueue, deps.exitTaskQueue])].map((q) => `'${q.replace(/'/g, '')}'`).join(', ');
  const scoped = COUNTY_SCOPED_ROLES.includes(actor.role) && actor.countyId ? actor.countyId : null;
  const found: { kind: ProcessKind; workflowId: string; ref: ProcessWork['ref']; countyId: string | null }[] = [];
  let truncated = false;
  for await (const w of deps.client.workflow.list({ query: `ExecutionStatus = 'Running' AND WorkflowType IN (${types}) AND TaskQueue IN (${queues})` })) {
    const kind = kinds.find((k) => RULES[k].workflowType === w.type);
    if (!kind || !w.workflowId.startsWith(RULES[kind].prefix)) continue;
    const ref = RULES[kind].ref(w.workflowId.slice(RULES[kind].prefix.length));
    const countyId = countyOfRef(ref);
    if (scoped && countyId !== scoped) continue;
    if (found.length === PROCESS_LIMIT) {
      truncated = true;
      break;
    }
    found.push({ kind, workflowId: w.workflowId, ref, countyId });
  }
  let unavailable = false;
  const checked = await mapLimited(found, async (p): Promise<ProcessWork | null> => {
    let status: { phase: string } | null = null;
    try {
      if (!unavailable) status = await queryLive(deps.client, p.workflowId, RULES[p.kind].query);
    } catch (e) {
      if (!(e instanceof ProcessUnavailable)) throw e;
      unavailable = true;
    }
    // A process that cannot answer now may wait for this person: shown, marked not live.
    if (unavailable) return { ...p, phase: null, step: null, action: null, notBefore: null, live: false };
    if (!status) return null;
    const next = RULES[p.kind].next(status);
    if (!next || !mine.has(next.action) || (next.roles && !next.roles.includes(actor.role))) return null;
    return {
      ...p,
      phase: status.phase,
      step: next.step,
      action: next.action,
      notBefore: next.notBefore ?? null,
      ...(next.deadlineAt ? { deadlineAt: next.deadlineAt, overdueLevel: next.overdueLevel ?? null } : {}),
      live: true,
    };
  });
  return { items: checked.filter((w): w is ProcessWork => w !== null), truncated };
};
