import { currentUpdateInfo, workflowInfo } from '@temporalio/workflow';
import type { StreamCommandInput, StreamCommandResult } from '../activities/exit-activities';
import type { Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import { now } from './clock';

export interface Step {
  /** The step's number in the run, in the order steps ran. */
  readonly n: number;
  /** `<n>:<name>`: the activity's step, from which the ids of the events it records derive. */
  readonly step: string;
  /** What caused it: the Update that asked for it, or the workflow itself. */
  readonly causationId: string;
}

/**
 * A workflow's steps, numbered as they run: the number keeps every step's event ids apart within
 * the run, and replays give the same numbers because steps run in the same order.
 */
export class StepCounter {
  private n = 0;

  next(name: string): Step {
    this.n += 1;
    return { n: this.n, step: `${this.n}:${name}`, causationId: currentUpdateInfo()?.id ?? `${workflowInfo().workflowId}/${name}` };
  }
}

/** One decision on a village's or a county's stream, as a numbered step of the workflow (the exit activities' applyVillageCommand, applyCountyCommand). */
export const streamCommandStep =
  <C, R>(
    apply: (input: StreamCommandInput<C> & { rules: R }) => Promise<StreamCommandResult>,
    steps: StepCounter,
    context: { readonly rules: R; readonly correlationId: string; readonly countyId: CountyId },
  ) =>
  (command: StreamCommandInput<C>['command'], actor: Actor, name: string): Promise<StreamCommandResult> => {
    const s = steps.next(name);
    return apply({ command, actor, now: now(), step: s.step, causationId: s.causationId, ...context });
  };
