import type { Client, QueryDefinition } from '@temporalio/client';
import { PERMISSIONS, type Action } from '../domain/access';
import { COUNTY_SCOPED_ROLES, type Actor } from '../domain/shared/actor';
import { exitRoundStatusQuery, type ExitRoundStatus } from '../workflows/exit-round.messages';
import { villageExitStatusQuery, type VillageExitStatus } from '../workflows/village-exit.messages';
import { countyExitStatusQuery, type CountyExitStatus } from '../workflows/county-exit.messages';
import { returnReviewStatusQuery, type ReturnReviewStatus } from '../workflows/return-review.messages';
import { benefitRoundStatusQuery, type BenefitRoundStatus } from '../workflows/benefit-round.messages';
import { ProcessUnavailable } from './errors';
import { queryLive } from './workflow-unavailable';
import { countyOf } from './exit-workflows';

/** The processes besides projects that wait for people: the exits (household round, village, county, return review) and benefit rounds. */
export const PROCESS_KINDS = ['exit-round', 'village-exit', 'county-exit', 'return-review', 'benefit-round'] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];

/** One running process waiting for a step the asking person's role may take. */
export interface ProcessWork {
  readonly kind: ProcessKind;
  readonly workflowId: string;
  readonly countyId: string | null;
  /** What the process is about, by its ids: the village and year, the county and year, the household and year, or the round. */
  readonly ref: { readonly villageId?: string; readonly countyId?: string; readonly householdId?: string; readonly roundId?: string; readonly year?: number };
  readonly phase: string | null;
  /** The step (the process's own step type) and the domain/access action it asks for; null when the process could not answer. */
  readonly step: string | null;
  readonly action: Action | null;
  readonly notBefore: string | null;
  readonly live: boolean;
}

interface Next {
  readonly step: string;
  readonly action: Action;
  readonly notBefore?: string | undefined;
}

type Phase<S extends { phase: string }> = S['phase'];
const after = (noticeEndsAt: string | undefined) => (noticeEndsAt ? { notBefore: noticeEndsAt } : {});

/**
 * The step each phase waits for, from what the processes' status queries expose (phase, the
 * households' statuses, the notice's end). In the exit round's village steps, the next is the
 * earliest step some household still waits for; when none does, the notice is posted.
 */
const exitRoundNext = (s: ExitRoundStatus): Next | null => {
  const waiting = (status: string) => s.households.some((h) => h.status === status);
  const byPhase: Record<Phase<ExitRoundStatus>, Next | null> = {
    assessing: null,
    'village-steps': waiting('assessed')
      ? { step: 'appraise', action: 'exit-round.appraise' }
      : waiting('appraised')
        ? { step: 'check', action: 'exit-round.check' }
        : waiting('checked')
          ? { step: 'consent', action: 'exit-round.consent' }
          : { step: 'postNotice', action: 'exit-round.post-notice' },
    'in-notice': { step: 'townshipReview', action: 'exit-round.township-review', ...after(s.noticeEndsAt) },
    'township-review': { step: 'townshipReview', action: 'exit-round.township-review' },
    announcing: { step: 'announce', action: 'exit-round.announce' },
    announced: null,
    closed: null,
  };
  return byPhase[s.phase];
};

const villageExitNext = (s: VillageExitStatus): Next | null => {
  const byPhase: Record<Phase<VillageExitStatus>, Next | null> = {
    recording: null,
    'awaiting-review': { step: 'review', action: 'village-exit.review' },
    'in-notice': { step: 'announce', action: 'village-exit.announce', ...after(s.noticeEndsAt) },
    'awaiting-announcement': { step: 'announce', action: 'village-exit.announce' },
    exited: null,
    blocked: null,
  };
  return byPhase[s.phase];
};

const countyExitNext = (s: CountyExitStatus): Next | null => {
  const byPhase: Record<Phase<CountyExitStatus>, Next | null> = {
    applying: null,
    'awaiting-city': { step: 'cityPreCheck', action: 'county-exit.city-pre-check' },
    'awaiting-province': { step: 'provincialCheck', action: 'county-exit.provincial-check' },
    'in-notice': { step: 'announce', action: 'county-exit.announce', ...after(s.noticeEndsAt) },
    'awaiting-announcement': { step: 'announce', action: 'county-exit.announce' },
    exited: null,
    blocked: null,
  };
  return byPhase[s.phase];
};

const returnReviewNext = (s: ReturnReviewStatus): Next | null => {
  const byPhase: Record<Phase<ReturnReviewStatus>, Next | null> = {
    'awaiting-visit': { step: 'visit', action: 'return-review.visit' },
    visited: { step: 'postNotice', action: 'return-review.post-notice' },
    'in-notice': { step: 'decide', action: 'return-review.decide', ...after(s.noticeEndsAt) },
    'awaiting-decision': { step: 'decide', action: 'return-review.decide' },
    returned: null,
    cleared: null,
  };
  return byPhase[s.phase];
};

/** After its notice the round moves to township review by itself: during the notice nobody's step is due. */
const benefitRoundNext = (s: BenefitRoundStatus): Next | null => {
  const byPhase: Record<Phase<BenefitRoundStatus>, Next | null> = {
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
};

/** The action prefix of each kind's steps (domain/access): a role holding none of them is never asked about that kind. */
const ACTION_PREFIX: Readonly<Record<ProcessKind, string>> = {
  'exit-round': 'exit-round.',
  'village-exit': 'village-exit.',
  'county-exit': 'county-exit.',
  'return-review': 'return-review.',
  'benefit-round': 'benefit.',
};

const countyOfRef = (ref: ProcessWork['ref']): string | null => ref.countyId ?? (ref.villageId ? countyOf(ref.villageId) : ref.householdId ? countyOf(ref.householdId) : ref.roundId ? countyOf(ref.roundId) : null) ?? null;

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
    if (!next || !mine.has(next.action)) return null;
    return { ...p, phase: status.phase, step: next.step, action: next.action, notBefore: next.notBefore ?? null, live: true };
  });
  return { items: checked.filter((w): w is ProcessWork => w !== null), truncated };
};
