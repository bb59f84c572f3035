import { domainError, type DomainError } from '../shared/errors';
import { HOUSEHOLD_STATUS_NAMES, type ExitRoundStep } from '../names/exits';
import { zhOf } from '../names/name';
import { EXIT_ROUND, nextActorFor, type ExitRoundPhase, type NextActor } from './steps';

/**
 * The exit round's rules over its households, pure: which household status each step needs, when
 * the village notice may be posted and the announcement made, and which step the round waits for.
 * The workflow keeps each household's id and status and asks these.
 */

/** The statuses (the household decider's) that each step needs of every household it lists. */
export const ROUND_NEEDS: Readonly<Partial<Record<ExitRoundStep, readonly string[]>>> = {
  appraise: ['assessed'],
  check: ['appraised'],
  consent: ['checked'],
  withdrawConsent: ['consented', 'in-notice', 'township-reviewed'],
  object: ['in-notice'],
  townshipReview: ['in-notice'],
};
/** Still in the round: not yet announced, not taken out. */
export const IN_ROUND: readonly string[] = ['assessed', 'appraised', 'checked', 'consented', 'in-notice', 'township-reviewed'];
/** Waiting for the village's own steps (appraisal, check, consent) before the notice may be posted. */
export const WAITING_FOR_VILLAGE: readonly string[] = ['assessed', 'appraised', 'checked'];

/** A round step as far as these rules care: its type and the households it names. */
export type RoundStepRequest =
  | { readonly type: 'appraise'; readonly agreed: readonly string[]; readonly rejected?: readonly string[] | undefined }
  | { readonly type: 'check'; readonly confirmed: readonly string[]; readonly notConfirmed?: readonly string[] | undefined }
  | { readonly type: 'townshipReview'; readonly approved: readonly string[]; readonly rejected?: readonly string[] | undefined }
  | { readonly type: 'object'; readonly householdId: string }
  | { readonly type: 'consent' | 'withdrawConsent'; readonly householdIds: readonly string[] }
  | { readonly type: 'postNotice' | 'announce' };

export const householdsNamed = (req: RoundStepRequest): readonly string[] => {
  switch (req.type) {
    case 'appraise':
      return [...req.agreed, ...(req.rejected ?? [])];
    case 'check':
      return [...req.confirmed, ...(req.notConfirmed ?? [])];
    case 'townshipReview':
      return [...req.approved, ...(req.rejected ?? [])];
    case 'object':
      return [req.householdId];
    case 'consent':
    case 'withdrawConsent':
      return req.householdIds;
    default:
      return [];
  }
};

const withStatus = (statuses: ReadonlyMap<string, string>, wanted: readonly string[]): number => [...statuses.values()].filter((s) => wanted.includes(s)).length;

/**
 * Whether the households allow the step: every household it names is in the round and at the
 * status the step needs; the notice needs the village steps done and someone consented; the
 * announcement needs someone passed by the township. undefined when they do.
 */
export const roundHouseholdsRefusal = (req: RoundStepRequest, statuses: ReadonlyMap<string, string>): DomainError | undefined => {
  const needs = ROUND_NEEDS[req.type];
  for (const id of householdsNamed(req)) {
    const status = statuses.get(id);
    if (status === undefined) return domainError('EXIT_ROUND_HOUSEHOLD_NOT_IN_ROUND', '该户不在本轮退出名单中', `${id} is not in this round`, { householdId: id });
    if (needs && !needs.includes(status)) {
      return domainError(
        'EXIT_ROUND_HOUSEHOLD_NOT_READY',
        `该户当前为“${zhOf(HOUSEHOLD_STATUS_NAMES, status)}”，不能执行该步骤`,
        `${id} is ${status}: ${req.type} needs ${needs.join(' or ')}`,
        {
          householdId: id,
          status,
        },
      );
    }
  }
  if (req.type === 'postNotice') {
    const waiting = withStatus(statuses, WAITING_FOR_VILLAGE);
    if (waiting > 0)
      return domainError('EXIT_ROUND_STEPS_PENDING', `尚有${waiting}户未完成评议、核实或签字`, `${waiting} household(s) still await appraisal, check or consent`, { waiting });
    if (withStatus(statuses, ['consented']) === 0) return domainError('EXIT_ROUND_NOBODY_CONSENTED', '没有已签字认可的户', 'no household has consented');
  }
  if (req.type === 'announce' && withStatus(statuses, ['township-reviewed']) === 0)
    return domainError('EXIT_ROUND_NOBODY_REVIEWED', '没有经乡镇审核通过的户', 'no household has passed the township review');
  return undefined;
};

/**
 * The step the round waits for. During the village steps it is the earliest step some household
 * still needs (appraisal, then the check, then consent), and the notice once all have passed.
 */
export const nextRoundStep = (phase: ExitRoundPhase, statuses: ReadonlyMap<string, string>, noticeEndsAt?: string): NextActor | null => {
  if (phase !== 'village-steps') return nextActorFor(EXIT_ROUND, EXIT_ROUND.next[phase], phase, noticeEndsAt);
  const has = (s: string) => withStatus(statuses, [s]) > 0;
  const step: ExitRoundStep = has('assessed') ? 'appraise' : has('appraised') ? 'check' : has('checked') ? 'consent' : 'postNotice';
  return nextActorFor(EXIT_ROUND, step, phase, noticeEndsAt);
};
