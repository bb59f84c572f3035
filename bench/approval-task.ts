import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startTracing, stopTracing } from '../infra/tracing';
import { startTestStack } from '../test/support/stack';
import { startProject, step, TOWNSHIP } from '../test/support/project-walk';
import { startUpdateFloor } from './floor/update-floor';
import { percentile } from './stats';
import { exitOnError } from './exit-on-error';

/**
 * Where an approval's Update spends its time inside its workflow task, beside the floors' own tasks:
 * approvals (ApproveAtTownship, through the Temporal client, one at a time, each after an accepted
 * and a local-activity floor Update) read back from the histories (the task's scheduled, started and
 * completed times, which the server stamps with this machine's clock) and from OpenTelemetry spans
 * (the append's local activity and its store transaction, the relay's publish and project_summary's
 * apply of the same position). The floor workflow's history gives each floor Update's task the same
 * way, so "the approval's task" and "a no-op local activity's task" are compared hop for hop.
 *
 * `npx tsx bench/approval-task.ts [count]` (default 60). Run it with TEMPORAL_MAX_CACHED_WORKFLOWS
 * above the count, or each approval's task includes its project's replay. Tracing is on here: it
 * adds a tenth to a quarter to an approval (bench/tracing-cost.ts), so compare runs with each other.
 */
type Event = temporal.api.history.v1.IHistoryEvent;
const E = temporal.api.enums.v1.EventType;
const typeOf = (e: Event): number => (typeof e.eventType === 'number' ? e.eventType : (E[e.eventType as unknown as keyof typeof E] as number));
const eventMs = (e: Event): number => Number(e.eventTime!.seconds ?? 0) * 1000 + (e.eventTime!.nanos ?? 0) / 1e6;
const spanMs = (t: readonly [number, number]): number => t[0] * 1000 + t[1] / 1e6;
const now = (): number => performance.timeOrigin + performance.now();
const pause = (n: number) => new Promise((r) => setTimeout(r, n));
const positionsOf = (s: ReadableSpan): number[] =>
  String(s.attributes['tuopin.positions'] ?? '')
    .split(',')
    .filter(Boolean)
    .map(Number);

/** The workflow task that took the Update accepted at `i`: the last one scheduled before it. */
const taskOf = (events: readonly Event[], i: number): { scheduled: number; started: number; completed: number } | undefined => {
  let j = i;
  while (j > 0 && typeOf(events[j]!) !== E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) j--;
  const started = events.slice(j, i).find((e) => typeOf(e) === E.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  const completed = events.slice(j, i).find((e) => typeOf(e) === E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  return started && completed ? { scheduled: eventMs(events[j]!), started: eventMs(started), completed: eventMs(completed) } : undefined;
};

export const runApprovalTask = async (o: { count: number; log: (s: string) => void }): Promise<void> => {
  const exporter = new InMemorySpanExporter();
  // Before the stack: its worker bundles the workflow interceptors and its client carries spans only when tracing is on.
  startTracing('tuopin-approval-task', { exporter });
  const stack = await startTestStack('apprtask');
  const floor = await startUpdateFloor(stack.cfg, stack.client);
  try {
    const handles: WorkflowHandle[] = [];
    for (let i = 0; i < o.count + 1; i += 8) handles.push(...(await Promise.all(Array.from({ length: Math.min(8, o.count + 1 - i) }, () => startProject(stack)))));
    const stageOf = async (id: string) => (await stack.db.appDb.selectFrom('project_summary').select('stage').where('project_id', '=', id).executeTakeFirst())?.stage;
    const idOf = (h: WorkflowHandle) => h.workflowId.replace(/^project-/, '');
    for (const h of handles) while ((await stageOf(idOf(h))) !== 'proposed') await pause(5);
    const sent: { h: WorkflowHandle; t0: number; answered: number; shown: number }[] = [];
    for (const h of handles) {
      await floor.time('accepted');
      await floor.time('local');
      const t0 = now();
      await step(h, { type: 'ApproveAtTownship', data: { opinion: '同意，报县审批' }, actor: TOWNSHIP });
      const answered = now();
      while ((await stageOf(idOf(h))) !== 'township-reviewed') await pause(2);
      sent.push({ h, t0, answered, shown: now() });
    }
    await pause(300);

    const hops = new Map<string, number[]>();
    const add = (k: string, from: number | undefined, to: number | undefined) => {
      if (from !== undefined && to !== undefined) hops.set(k, [...(hops.get(k) ?? []), to - from]);
    };
    const spans = exporter.getFinishedSpans();
    const within = (name: string, from: number, to: number) => spans.find((s) => s.name === name && spanMs(s.startTime) > from && spanMs(s.startTime) < to);
    // The first approval warmed the paths up.
    for (const a of sent.slice(1)) {
      const events = (await a.h.fetchHistory()).events ?? [];
      const accepted = events.findIndex((e) => typeOf(e) === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
      const task = accepted < 0 ? undefined : taskOf(events, accepted);
      if (!task) continue;
      const local = within('RunActivity:appendProjectEvents', a.t0, a.answered);
      const append = within('tuopin.append', a.t0, a.answered);
      const position = append ? positionsOf(append).at(-1) : undefined;
      const carries = (s: ReadableSpan) => position !== undefined && positionsOf(s).includes(position);
      const relay = spans.find((s) => s.name === 'tuopin.relay.publish' && carries(s));
      const applied = spans.find((s) => s.name === 'tuopin.projection.apply' && s.attributes['tuopin.projection'] === 'project_summary' && carries(s));
      add('1 client sends → the task is scheduled', a.t0, task.scheduled);
      add('2 task scheduled → started', task.scheduled, task.started);
      add('3 task started → completed (all of the approval’s work)', task.started, task.completed);
      add('3a  task started → the append’s local activity starts', task.started, local && spanMs(local.startTime));
      add('3b  the local activity (actor check, append)', local && spanMs(local.startTime), local && spanMs(local.endTime));
      add('3c  of which the store’s append', append && spanMs(append.startTime), append && spanMs(append.endTime));
      add('3d  local activity done → task completed', local && spanMs(local.endTime), task.completed);
      add('4 task completed → the client has the answer', task.completed, a.answered);
      add('5 the client’s whole Update', a.t0, a.answered);
      add('6 append done → the relay publishes', append && spanMs(append.endTime), relay && spanMs(relay.startTime));
      add('7 relay publish (JetStream ack)', relay && spanMs(relay.startTime), relay && spanMs(relay.endTime));
      add('8 published → project_summary applies', relay && spanMs(relay.endTime), applied && spanMs(applied.startTime));
      add('9 project_summary apply (transaction)', applied && spanMs(applied.startTime), applied && spanMs(applied.endTime));
      add('10 the client’s answer → the read model shows it (2 ms polls)', a.answered, a.shown);
    }
    const floorEvents = (await stack.client.workflow.getHandle(floor.workflowId).fetchHistory()).events ?? [];
    floorEvents.forEach((e, i) => {
      if (typeOf(e) !== E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) return;
      const name = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
      const task = taskOf(floorEvents, i);
      if (task && (name === 'accepted' || name === 'local')) add(`floor ${name}: task started → completed`, task.started, task.completed);
    });
    o.log(`-- ${sent.length - 1} approvals (ApproveAtTownship through the client), each after one accepted and one local-activity floor Update; p50 / p90 ms`);
    for (const [k, xs] of hops) {
      xs.sort((a, b) => a - b);
      o.log(`${k.padEnd(62)} p50 ${percentile(xs, 50).toFixed(1).padStart(7)}   p90 ${percentile(xs, 90).toFixed(1).padStart(7)}   (${xs.length})`);
    }
  } finally {
    await floor.stop();
    await stack.stop();
    await stopTracing();
  }
};

if (require.main === module) {
  runApprovalTask({ count: Number(process.argv[2] ?? 60), log: (s) => process.stdout.write(`${s}\n`) }).then(() => process.exit(0), exitOnError);
}
