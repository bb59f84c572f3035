// From the modules themselves, not the domain's index: the index brings the events' schemas, which a workflow does not use (domain/project/event-parts.ts).
import { ESCALATION_LEVELS } from '../domain/project/event-parts';
import { nextActor, type DeadlineKind } from '../domain/project/next-actor';
import type { ProjectState } from '../domain/project';

export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export interface PendingDeadline {
  readonly kind: DeadlineKind;
  /** How long from `now` until the wait is overdue. */
  readonly ms: number;
  /** The level the next escalation goes to. */
  readonly level: EscalationLevel;
}

/**
 * The deadline the project is waiting under, if any. A wait that cannot be ended before some
 * instant (the notice period, the warranty) is only overdue that long after it: the public notice
 * runs its full period before its deadline starts. Once the city has been told, there is no one
 * higher, so the wait goes on without a timer.
 */
export const pendingDeadline = (state: ProjectState, deadlines: Partial<Record<DeadlineKind, number>> | undefined, now: number): PendingDeadline | undefined => {
  if (state.status === 'none') return undefined;
  const next = nextActor(state);
  if (!next) return undefined;
  const ms = deadlines?.[next.deadlineKind];
  if (ms === undefined) return undefined;
  const climbed = state.escalation?.stage === state.status ? ESCALATION_LEVELS.indexOf(state.escalation.level) + 1 : 0;
  const level = ESCALATION_LEVELS[climbed];
  if (level === undefined) return undefined;
  const notBefore = next.notBefore ? Math.max(0, Date.parse(next.notBefore) - now) : 0;
  return { kind: next.deadlineKind, ms: notBefore + ms, level };
};
