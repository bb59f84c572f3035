import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  currentUpdateInfo,
} from '@temporalio/workflow';
import type { createProjectActivities } from '../activities/project-activities';
import { decide, evolve, initialState, nextActor, TERMINAL, type ProjectCommand, type ProjectEvent, type ProjectState } from '../domain/project';
import type { DomainError } from '../domain/shared/errors';
import type { Actor } from '../domain/shared/actor';
import {
  projectStatusQuery,
  projectStepUpdate,
  type ProjectLifecycleInput,
  type ProjectStepOutcome,
  type ProjectStepRequest,
} from './project-lifecycle.messages';
import { TuopinCategory, TuopinCounty, TuopinFiscalYear, TuopinStage } from './search-attributes';

const { appendProjectEvents } = proxyActivities<ReturnType<typeof createProjectActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds', nonRetryableErrorTypes: ['DomainRefusal', 'EventStoreInvalid'] },
});

const refusal = (e: DomainError): ApplicationFailure =>
  ApplicationFailure.create({ type: e.code, message: `${e.en} / ${e.zh}`, nonRetryable: true, details: [e] });

/** The workflow's clock: deterministic, replayed from history. */
const now = (): string => new Date().toISOString();

/**
 * One project's process from proposal on. The rules are the domain's decider; this workflow only
 * orders the steps, stamps their time, appends what was decided and waits for the next person.
 */
export async function projectLifecycle(input: ProjectLifecycleInput): Promise<ProjectState> {
  const { workflowId } = workflowInfo();
  let state: ProjectState = initialState();
  let version = 0;
  let lastPosition: number | undefined;
  let step = 0;
  // Steps are applied one at a time: each decides on the state the previous one left.
  let busy = false;

  const apply = async (command: ProjectCommand, stepName: string): Promise<ProjectStepOutcome> => {
    await condition(() => !busy);
    busy = true;
    try {
      const d = decide(command, state);
      if (!d.ok) throw refusal(d.error);
      step += 1;
      const appended = await appendProjectEvents({
        projectId: input.proposal.data.projectId,
        countyId: input.proposal.data.countyId,
        expectedVersion: version === 0 ? 'no-stream' : version,
        step: `${step}:${stepName}`,
        events: d.events,
        actor: command.meta.actor,
        correlationId: input.correlationId,
        causationId: currentUpdateInfo()?.id ?? `${workflowId}/${stepName}`,
        businessDate: command.meta.now.slice(0, 10),
      });
      state = d.events.reduce<ProjectState>((s, e) => evolve(s, e as ProjectEvent), state);
      version = appended.streamVersion;
      lastPosition = appended.positions.at(-1) ?? lastPosition;
      upsertSearchAttributes([{ key: TuopinStage, value: state.status }]);
      return { stage: state.status, streamVersion: version, positions: appended.positions };
    } finally {
      busy = false;
    }
  };

  const toCommand = (req: ProjectStepRequest): ProjectCommand =>
    ({ type: req.type, data: { ...req.data, projectId: input.proposal.data.projectId }, meta: { actor: req.actor as Actor, now: now() } }) as ProjectCommand;

  setHandler(projectStatusQuery, () => {
    const next = nextActor(state);
    return {
      projectId: input.proposal.data.projectId,
      stage: state.status,
      streamVersion: version,
      ...(next ? { nextActor: next } : {}),
      ...(lastPosition !== undefined ? { lastPosition } : {}),
    };
  });

  setHandler(projectStepUpdate, (req) => apply(toCommand(req), req.type), {
    // Synchronous on purpose: an async validator's promise is never awaited, so it could not refuse.
    validator: (req) => {
      const d = decide(toCommand(req), state);
      if (!d.ok) throw refusal(d.error);
    },
  });

  const p = input.proposal.data;
  upsertSearchAttributes([
    { key: TuopinCounty, value: p.countyId },
    { key: TuopinCategory, value: p.category },
    { key: TuopinFiscalYear, value: p.fiscalYear },
  ]);
  await apply({ type: 'ProposeProject', data: p, meta: { actor: input.proposal.actor, now: now() } }, 'proposal');

  await condition(() => state.status !== 'none' && TERMINAL.includes(state.status));
  await condition(allHandlersFinished);
  return state;
}
