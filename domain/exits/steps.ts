import { ROLES, type Actor, type Role } from '../shared/actor';
import { domainError, type DomainError } from '../shared/errors';
import type { CountyId } from '../reference/counties';
import { authorize, PERMISSIONS, type Action } from '../access';
import type { NameTable } from '../names/name';
import { zhOf } from '../names/name';
import { fieldZh } from '../names/fields';
import { ROLE_NAMES } from '../names/roles';
import {
  COUNTY_EXIT_PHASE_NAMES,
  COUNTY_EXIT_STEP_NAMES,
  EXIT_ROUND_PHASE_NAMES,
  EXIT_ROUND_STEP_NAMES,
  RETURN_REVIEW_PHASE_NAMES,
  RETURN_REVIEW_STEP_NAMES,
  VILLAGE_EXIT_PHASE_NAMES,
  VILLAGE_EXIT_STEP_NAMES,
  type CountyExitPhaseId,
  type CountyExitStep,
  type ExitRoundPhaseId,
  type ExitRoundStep,
  type ReturnReviewPhaseId,
  type ReturnReviewStep,
  type VillageExitPhaseId,
  type VillageExitStep,
} from '../names/exits';

/**
 * The one source for "who may take which step, when" in the four exit processes (the household
 * exit round, a village's exit, a county's exit, a return-to-poverty review). Each step a person
 * takes is a domain/access action (so PERMISSIONS says who holds it, the API checks it before
 * sending, the deciders check it again) and names the phases of its process it may be taken in.
 * The workflows keep no tables of their own: they ask `stepRefusal` and `nextStep`.
 */
export type ExitRoundPhase = ExitRoundPhaseId;
export type VillageExitPhase = VillageExitPhaseId;
export type CountyExitPhase = CountyExitPhaseId;
export type ReturnReviewPhase = ReturnReviewPhaseId;

export interface StepRule<P extends string> {
  /** What the person taking the step must be allowed to do (domain/access). */
  readonly action: Action;
  /** The process's phases in which the step may be taken. */
  readonly phases: readonly P[];
}

export interface ExitProcessRules<S extends string, P extends string> {
  /** The prefix of the process's own refusal codes (`<code>_WRONG_PHASE`, `<code>_REQUEST_INVALID`). */
  readonly code: string;
  readonly en: string;
  readonly steps: Readonly<Record<S, StepRule<P>>>;
  readonly stepNames: NameTable<S>;
  readonly phaseNames: NameTable<P>;
  /** The step the process waits for in each phase (null: nobody, the workflow's own step or the end). */
  readonly next: Readonly<Record<P, S | null>>;
  /** Phases in which the next step waits for a notice to run out first. */
  readonly afterNotice: readonly P[];
}

export const EXIT_ROUND: ExitProcessRules<ExitRoundStep, ExitRoundPhase> = {
  code: 'EXIT_ROUND',
  en: 'exit round',
  steps: {
    appraise: { action: 'exit-round.appraise', phases: ['village-steps'] },
    check: { action: 'exit-round.check', phases: ['village-steps'] },
    consent: { action: 'exit-round.consent', phases: ['village-steps'] },
    withdrawConsent: { action: 'exit-round.withdraw-consent', phases: ['village-steps', 'in-notice', 'township-review', 'announcing'] },
    postNotice: { action: 'exit-round.post-notice', phases: ['village-steps'] },
    object: { action: 'exit-round.object', phases: ['in-notice'] },
    townshipReview: { action: 'exit-round.township-review', phases: ['township-review'] },
    announce: { action: 'exit-round.announce', phases: ['announcing'] },
  },
  stepNames: EXIT_ROUND_STEP_NAMES,
  phaseNames: EXIT_ROUND_PHASE_NAMES,
  // 'village-steps' is refined by the households' statuses (nextRoundStep).
  next: { assessing: null, 'village-steps': 'appraise', 'in-notice': 'townshipReview', 'township-review': 'townshipReview', announcing: 'announce', announced: null, closed: null },
  afterNotice: ['in-notice'],
};

export const VILLAGE_EXIT: ExitProcessRules<VillageExitStep, VillageExitPhase> = {
  code: 'VILLAGE_EXIT',
  en: 'village exit',
  steps: {
    review: { action: 'village-exit.review', phases: ['awaiting-review'] },
    object: { action: 'village-exit.object', phases: ['in-notice'] },
    announce: { action: 'village-exit.announce', phases: ['awaiting-announcement'] },
  },
  stepNames: VILLAGE_EXIT_STEP_NAMES,
  phaseNames: VILLAGE_EXIT_PHASE_NAMES,
  next: { recording: null, 'awaiting-review': 'review', 'in-notice': 'announce', 'awaiting-announcement': 'announce', exited: null, blocked: null },
  afterNotice: ['in-notice'],
};

export const COUNTY_EXIT: ExitProcessRules<CountyExitStep, CountyExitPhase> = {
  code: 'COUNTY_EXIT',
  en: 'county exit',
  steps: {
    cityPreCheck: { action: 'county-exit.city-pre-check', phases: ['awaiting-city'] },
    provincialCheck: { action: 'county-exit.provincial-check', phases: ['awaiting-province'] },
    object: { action: 'county-exit.object', phases: ['in-notice'] },
    announce: { action: 'county-exit.announce', phases: ['awaiting-announcement'] },
  },
  stepNames: COUNTY_EXIT_STEP_NAMES,
  phaseNames: COUNTY_EXIT_PHASE_NAMES,
  next: {
    applying: null,
    'awaiting-city': 'cityPreCheck',
    'awaiting-province': 'provincialCheck',
    'in-notice': 'announce',
    'awaiting-announcement': 'announce',
    exited: null,
    blocked: null,
  },
  afterNotice: ['in-notice'],
};

export const RETURN_REVIEW: ExitProcessRules<ReturnReviewStep, ReturnReviewPhase> = {
  code: 'RETURN_REVIEW',
  en: 'return review',
  steps: {
    visit: { action: 'return-review.visit', phases: ['awaiting-visit'] },
    postNotice: { action: 'return-review.post-notice', phases: ['visited'] },
    decide: { action: 'return-review.decide', phases: ['visited', 'in-notice', 'awaiting-decision'] },
  },
  stepNames: RETURN_REVIEW_STEP_NAMES,
  phaseNames: RETURN_REVIEW_PHASE_NAMES,
  next: { 'awaiting-visit': 'visit', visited: 'postNotice', 'in-notice': 'decide', 'awaiting-decision': 'decide', returned: null, cleared: null },
  afterNotice: ['in-notice'],
};

/** The roles that hold an action, in the order of ROLES. */
export const holdersOf = (action: Action): Role[] => ROLES.filter((r) => PERMISSIONS[r].includes(action));

/**
 * Whether this actor may take this step of the process now: the access rule (role, county), then
 * the phase. undefined when they may.
 */
export const stepRefusal = <S extends string, P extends string>(
  process: ExitProcessRules<S, P>,
  step: S,
  actor: Actor,
  countyId: CountyId | undefined,
  phase: P,
): DomainError | undefined => {
  const rule = process.steps[step];
  const denied = authorize(actor, rule.action, countyId === undefined ? {} : { countyId });
  if (denied) return denied;
  if (rule.phases.includes(phase)) return undefined;
  return domainError(
    `${process.code}_WRONG_PHASE`,
    `当前处于“${zhOf(process.phaseNames, phase)}”阶段，不能办理“${zhOf(process.stepNames, step)}”`,
    `the ${process.en} is at ${phase}: ${step} cannot be taken now`,
    { phase },
  );
};

/** A step request that did not parse: the process's own code, naming the field. */
export const requestRefusal = (process: { readonly code: string }, field: string, message: string): DomainError =>
  domainError(`${process.code}_REQUEST_INVALID`, `请求无效：${field ? (fieldZh(field.split('.')) ?? field) : '（请求）'}`, `invalid request: ${field || '(request)'}: ${message}`, {
    field,
  });

/** Who a process waits for: the step, who may take it (all roles, and the first as the usual one), in zh and en. */
export interface NextActor {
  readonly step: string;
  readonly stepZh: string;
  readonly action: Action;
  readonly role: Role;
  readonly roleZh: string;
  readonly roles: readonly Role[];
  /** The step may not be taken before this instant (a notice runs until then). */
  readonly notBefore?: string;
}

export const nextActorFor = <S extends string, P extends string>(process: ExitProcessRules<S, P>, step: S | null, phase: P, noticeEndsAt?: string): NextActor | null => {
  if (step === null) return null;
  const action = process.steps[step].action;
  const roles = holdersOf(action);
  const role = roles[0]!;
  return {
    step,
    stepZh: zhOf(process.stepNames, step),
    action,
    role,
    roleZh: zhOf(ROLE_NAMES, role),
    roles,
    ...(noticeEndsAt && process.afterNotice.includes(phase) ? { notBefore: noticeEndsAt } : {}),
  };
};

/** The step a process waits for in its phase (the exit round refines 'village-steps' by its households). */
export const nextStep = <S extends string, P extends string>(process: ExitProcessRules<S, P>, phase: P, noticeEndsAt?: string): NextActor | null =>
  nextActorFor(process, process.next[phase], phase, noticeEndsAt);
