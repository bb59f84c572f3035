import { currentUpdateInfo, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import type { StreamCommandInput, StreamCommandResult } from '../activities/exit-activities';
import type { Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import { requestRefusal, stepRefusal, type ExitProcessRules } from '../domain/exits';
import type { OneAtATime } from './one-at-a-time';
import { now } from './clock';
import { refusal } from './refusal';
import { refuseSystemActor } from './actor-assertion';

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
    /** `rules` is read at each step: the run takes its notice terms at its start (workflows/notice-terms.ts). */
    context: { readonly rules: () => R; readonly correlationId: string; readonly countyId: CountyId },
  ) =>
  (command: StreamCommandInput<C>['command'], actor: Actor, name: string, proof: Proof = {}): Promise<StreamCommandResult> => {
    const s = steps.next(name);
    return apply({
      command,
      actor,
      ...proof,
      now: now(),
      step: s.step,
      causationId: s.causationId,
      rules: context.rules(),
      correlationId: context.correlationId,
      countyId: context.countyId,
    });
  };

/** How a step proves its actor to the activity: the request's assertion (asserted), or `proved` for a follow-up of a decision proved earlier in the run. */
export interface Proof {
  readonly assertion?: string;
  readonly proved?: true;
}

/**
 * A follow-up the workflow records under an actor an earlier step of this run proved (the starter,
 * or the Update that set it in motion): the activity does not ask for a token again, which would
 * have expired while a notice ran. Runs recorded before assertions hand nothing.
 */
export const provedEarlier = (): Proof => (patched('actor-assertion') ? { proved: true } : {});

/**
 * A person's step in an exit process, as an Update: `check` parses the request and asks the domain
 * whether this actor may take it in this phase (domain/exits stepRefusal, plus any rule of the
 * process's own), throwing the refusal. The validator runs it so a refused step leaves nothing in
 * history; the handler waits its turn and runs it again, since the process may have moved while it
 * waited, then takes the step. The four exit workflows' Updates all go through here.
 */
export const handleHumanSteps = <Raw, Parsed, Out>(
  update: UpdateDefinition<Out, [Raw]>,
  lock: OneAtATime,
  check: (raw: Raw) => Parsed,
  take: (req: Parsed) => Promise<Out>,
): void => {
  setHandler(
    update,
    async (raw: Raw): Promise<Out> => {
      check(raw);
      return lock.run(async () => take(check(raw)));
    },
    { validator: (raw: Raw) => void check(raw) },
  );
};

/**
 * A request's parse, kept for the Update's later checks: the validator and the handler (before and
 * after its turn) get the same request object, and a round's steps name a village's every household
 * (two of three parses of ~200 ids saved; issue 18 point 5). The parse depends on the request alone;
 * the phase and the households' statuses are checked each time.
 */
const parses = new WeakMap<object, { readonly schema: unknown; readonly result: unknown }>();
const parsedOnce = <R>(schema: z.ZodType<R, unknown>, raw: unknown): ReturnType<z.ZodType<R, unknown>['safeParse']> => {
  if (typeof raw !== 'object' || raw === null) return schema.safeParse(raw);
  const kept = parses.get(raw);
  if (kept?.schema === schema) return kept.result as ReturnType<z.ZodType<R, unknown>['safeParse']>;
  const result = schema.safeParse(raw);
  parses.set(raw, { schema, result });
  return result;
};

/** Parses a step request with its schema and gates it (domain/exits stepRefusal); a refusal is thrown as the workflow's refusal. */
export const checkHumanStep = <S extends string, P extends string, R extends { readonly type: S; readonly actor: Actor }>(
  process: ExitProcessRules<S, P>,
  schema: z.ZodType<R, unknown>,
  raw: unknown,
  countyId: CountyId,
  phase: P,
): R => {
  const r = parsedOnce(schema, raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw refusal(requestRefusal(process, i.path.join('.'), i.message));
  }
  refuseSystemActor(r.data.actor);
  const denied = stepRefusal(process, r.data.type, r.data.actor, countyId, phase);
  if (denied) throw refusal(denied);
  return r.data;
};
