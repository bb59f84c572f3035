import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { WorkflowHandle } from '@temporalio/client';
import { startTracing, stopTracing } from '../infra/tracing';
import { startTestStack, type TestStack } from '../test/support/stack';
import { startTestApi } from '../test/support/api';
import { appropriate, fundFrom, pay, startConstruction, startProject, toLibrary, TOWNSHIP } from '../test/support/project-walk';
import { startUpdateFloor } from './floor/update-floor';
import { percentile } from './stats';
import { exitOnError } from './exit-on-error';

/**
 * Where an approval's and a payment's time goes, hop by hop, from OpenTelemetry spans
 * (infra/tracing.ts, with an in-memory exporter): the API's request, the client's Update, the
 * activities the workflow runs, the store's append, the relay's publish and the projector's apply
 * that carry the same store positions, and the moment project_summary shows the stage (polled
 * every 2 ms). Back to back, as bench/api-approval.ts and bench/project-lifecycle.ts send them.
 * Prints each hop's p50 and p90 in ms, beside the floors measured in the same run (bench/floor).
 *
 * `npx tsx bench/trace-steps.ts [count]` (default 60 of each). The workflow's own spans are left
 * out: their clock is the workflow's (the task's start), not the machine's.
 */
const now = (): number => performance.timeOrigin + performance.now();
const ms = (t: readonly [number, number]): number => t[0] * 1000 + t[1] / 1e6;
const pause = (n: number) => new Promise((r) => setTimeout(r, n));

type Hop = [label: string, from: number | undefined, to: number | undefined];

const report = (title: string, rows: Hop[][], log: (s: string) => void): void => {
  log(`-- ${title}: ${rows.length} traced`);
  for (let i = 0; i < (rows[0]?.length ?? 0); i++) {
    const label = rows[0]![i]![0];
    const xs = rows.flatMap((r) => (r[i]![1] !== undefined && r[i]![2] !== undefined ? [r[i]![2]! - r[i]![1]!] : [])).sort((a, b) => a - b);
    log(`${label.padEnd(58)} p50 ${percentile(xs, 50).toFixed(1).padStart(7)} ms   p90 ${percentile(xs, 90).toFixed(1).padStart(7)} ms   (${xs.length})`);
  }
};

const positionsOf = (s: ReadableSpan): number[] =>
  String(s.attributes['tuopin.positions'] ?? '')
    .split(',')
    .filter(Boolean)
    .map(Number);

export const runTraceSteps = async (o: { count: number; log: (s: string) => void }): Promise<void> => {
  const { log } = o;
  const exporter = new InMemorySpanExporter();
  // Before the stack: its worker bundles the workflow interceptors and its client carries spans only when tracing is on.
  startTracing('tuopin-trace', { exporter });
  const stack: TestStack = await startTestStack('trace');
  const api = await startTestApi(stack);
  const address = await api.app.listen({ host: '127.0.0.1', port: 0 });
  const floor = await startUpdateFloor(stack.cfg, stack.client);
  try {
    const spans = () => exporter.getFinishedSpans();
    const inTrace = (traceId: string, name: string) => spans().find((s) => s.spanContext().traceId === traceId && s.name === name);
    const relayed = (position: number | undefined) => spans().find((s) => s.name === 'tuopin.relay.publish' && position !== undefined && positionsOf(s).includes(position));
    const applied = (position: number | undefined) =>
      spans().find(
        (s) => s.name === 'tuopin.projection.apply' && s.attributes['tuopin.projection'] === 'project_summary' && position !== undefined && positionsOf(s).includes(position),
      );

    // Floors, for scale.
    const floors = { accepted: [] as number[], activity: [] as number[] };
    for (let i = 0; i < o.count; i++) {
      floors.accepted.push(await floor.time('accepted'));
      floors.activity.push(await floor.time('activity'));
    }
    for (const [k, xs] of Object.entries(floors)) {
      xs.sort((a, b) => a - b);
      log(`floor: ${k.padEnd(51)} p50 ${percentile(xs, 50).toFixed(1).padStart(7)} ms   p90 ${percentile(xs, 90).toFixed(1).padStart(7)} ms`);
    }

    // Approvals through the API, back to back.
    const handles: WorkflowHandle[] = [];
    for (let i = 0; i < o.count + 1; i += 8) handles.push(...(await Promise.all(Array.from({ length: Math.min(8, o.count + 1 - i) }, () => startProject(stack)))));
    const authorization = (await api.bearer(TOWNSHIP)).authorization;
    const stageOf = async (id: string) => (await stack.db.appDb.selectFrom('project_summary').select('stage').where('project_id', '=', id).executeTakeFirst())?.stage;
    const approvals: { id: string; shownAt: number }[] = [];
    for (const h of handles) {
      const id = h.workflowId.replace(/^project-/, '');
      while ((await stageOf(id)) !== 'proposed') await pause(5);
      const r = await fetch(`${address}/projects/${id}/steps`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'ApproveAtTownship', data: { opinion: '同意，报县审批' } }),
      });
      if (r.status !== 200) throw new Error(`approval answered ${r.status}: ${await r.text()}`);
      while ((await stageOf(id)) !== 'township-reviewed') await pause(2);
      approvals.push({ id, shownAt: now() });
    }
    await pause(500);
    const rows: Hop[][] = [];
    for (const a of approvals.slice(1)) {
      // Back to back: this approval's request is the last one that started before its stage showed.
      const request = spans()
        .filter((s) => s.name === 'POST /projects/:id/steps' && ms(s.startTime) < a.shownAt)
        .sort((x, y) => ms(y.startTime) - ms(x.startTime))[0];
      if (!request) continue;
      const t = request.spanContext().traceId;
      const update = inTrace(t, 'StartWorkflowUpdate:projectStep');
      const activity = inTrace(t, 'RunActivity:appendProjectEvents');
      const append = inTrace(t, 'tuopin.append');
      const position = append ? positionsOf(append).at(-1) : undefined;
      const relay = relayed(position);
      const projection = applied(position);
      rows.push([
        ['request → the client sends the Update (API: auth, parse, checks)', ms(request.startTime), update && ms(update.startTime)],
        ['Update sent → the append activity runs (server, workflow task, dispatch)', update && ms(update.startTime), activity && ms(activity.startTime)],
        ['activity start → append starts (actor assertion)', activity && ms(activity.startTime), append && ms(append.startTime)],
        ['append (store transaction)', append && ms(append.startTime), append && ms(append.endTime)],
        ['append done → activity done', append && ms(append.endTime), activity && ms(activity.endTime)],
        ['activity done → Update answered (server, workflow task, result)', activity && ms(activity.endTime), update && ms(update.endTime)],
        ['Update answered → HTTP answer', update && ms(update.endTime), ms(request.endTime)],
        ['append done → relay published it (LISTEN, tail, JetStream)', append && ms(append.endTime), relay && ms(relay.endTime)],
        ['relay published → project_summary applied it', relay && ms(relay.endTime), projection && ms(projection.endTime)],
        ['request → HTTP answer', ms(request.startTime), ms(request.endTime)],
        ['request → project_summary shows it (2 ms polls)', ms(request.startTime), a.shownAt],
      ]);
    }
    report('approval (ApproveAtTownship) over HTTP', rows, log);

    // Payments through the client, back to back.
    const fundId = `fund-song-2016-trace-${Date.now().toString(36)}`;
    await appropriate(stack.db.appDb, fundId, 'central', 300 * 1_000_000);
    const h = await startProject(stack);
    await toLibrary(h);
    const a = await fundFrom(h, fundId, 105 * 1_000_000);
    await startConstruction(h);
    const payRows: Hop[][] = [];
    for (let i = 0; i < o.count + 1; i++) {
      exporter.reset();
      await pay(h, { fundId, allocationId: a.allocationId, milestone: 'advance', amount: 1_000 });
      if (i === 0) continue;
      await pause(20);
      const update = spans().find((s) => s.name === 'StartWorkflowUpdate:projectPay');
      if (!update) continue;
      const t = update.spanContext().traceId;
      const check = inTrace(t, 'RunActivity:checkPayment');
      const rail = inTrace(t, 'RunActivity:payThroughRail');
      const record = inTrace(t, 'RunActivity:recordPayment');
      const whole = inTrace(t, 'RunActivity:payAndRecord');
      payRows.push([
        ['Update sent → check (local activity) starts', ms(update.startTime), check && ms(check.startTime)],
        ['check (reads project and fund)', check && ms(check.startTime), check && ms(check.endTime)],
        ['check done → rail activity starts', check && ms(check.endTime), (rail ?? whole) && ms((rail ?? whole)!.startTime)],
        ['rail activity', rail && ms(rail.startTime), rail && ms(rail.endTime)],
        ['rail done → record activity starts (workflow task, dispatch)', rail && ms(rail.endTime), record && ms(record.startTime)],
        ['record activity (two-stream append)', record && ms(record.startTime), record && ms(record.endTime)],
        ['Update sent → the payment activity starts (workflow task, eager dispatch)', ms(update.startTime), whole && ms(whole.startTime)],
        ['check, rail and record in one activity', whole && ms(whole.startTime), whole && ms(whole.endTime)],
        ['last activity done → Update answered', (record ?? whole) && ms((record ?? whole)!.endTime), ms(update.endTime)],
        ['Update sent → answered', ms(update.startTime), ms(update.endTime)],
      ]);
    }
    report('payment (advance, 1,000 fen)', payRows, log);
  } finally {
    await floor.stop();
    await api.app.close();
    await stack.stop();
    await stopTracing();
  }
};

if (require.main === module) {
  runTraceSteps({ count: Number(process.argv[2] ?? 60), log: (s) => process.stdout.write(`${s}\n`) }).then(() => process.exit(0), exitOnError);
}
