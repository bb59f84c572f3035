import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pg from 'pg';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { temporal } from '@temporalio/proto';
import { startTracing } from '../infra/tracing';
import { startTestStack } from '../test/support/stack';
import { appropriate, fundFrom, pay, startConstruction, startProject, toLibrary } from '../test/support/project-walk';
import { startUpdateFloor } from './floor/update-floor';
import { percentile } from './stats';
import { addUpdateHops, hopLines, secondTask, type Hop } from './update-hops';
import { exitOnError } from './exit-on-error';

/**
 * Where a payment's time goes (issue 18 point 2), a probe rather than a bench: payments back to
 * back, each after an accepted bare Update (the floor), and for each payment every statement this
 * process sent meanwhile (the activity's and the relay's and projectors', which run in the same
 * process), timed at the client from send to answer, with the waits for a pooled connection; the
 * hops of the payments' Updates and of the floor's, read from their histories; the last payment's
 * history events; and with `--spans` the payment activity's parts (tracing on, in memory:
 * `tuopin.payment.check`, `.rail`, `.record`, the store's append, the relay's and projectors' spans).
 * The window it prints is the payments' stretch on the process's monotonic clock in µs, to cut a
 * `node --cpu-prof` profile to it.
 *
 * With `--activity-floor` the floor is an Update awaiting a no-op regular activity, and the second workflow
 * task of each (the one that answers the Update) is printed beside the payment's, with the main thread's
 * event-loop delay and utilisation over the payments.
 *
 *   npx tsx bench/payment-probe.ts [payments = 60] [--spans] [--activity-floor]
 */
type Sent = { text: string; t0: number; t1: number };
const sent: Sent[] = [];
const poolWaits: number[] = [];
let probing = false;

/** Times `fn`'s promise from call to settlement while probing, into `done`. */
const timed = <F extends (...a: never[]) => unknown>(fn: F, done: (t0: number, args: Parameters<F>) => (t1: number) => void): F =>
  function (this: unknown, ...args: Parameters<F>) {
    const r = fn.apply(this, args);
    if (probing && r instanceof Promise) {
      const end = done(performance.now(), args);
      r.then(
        () => end(performance.now()),
        () => end(performance.now()),
      );
    }
    return r;
  } as F;

const clientProto = pg.Client.prototype as unknown as { query: (...a: never[]) => unknown };
clientProto.query = timed(clientProto.query, (t0, args) => {
  const q = args[0] as unknown;
  const s: Sent = { text: (typeof q === 'string' ? q : ((q as { text?: string } | undefined)?.text ?? '?')).replace(/\s+/g, ' ').slice(0, 90), t0, t1: 0 };
  sent.push(s);
  return (t1) => (s.t1 = t1);
});
const poolProto = pg.Pool.prototype as unknown as { connect: (...a: never[]) => unknown };
poolProto.connect = timed(poolProto.connect, (t0) => (t1) => poolWaits.push(t1 - t0));

const E = temporal.api.enums.v1.EventType;
const p = (xs: readonly number[], q: number) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    q,
  );
const row = (n: number, xs: readonly number[], label: string) =>
  `${String(n).padStart(5)} × p50 ${p(xs, 50).toFixed(2).padStart(6)} p90 ${p(xs, 90).toFixed(2).padStart(6)}  ${label}`;

const eld = monitorEventLoopDelay({ resolution: 1 });
let elu0: ReturnType<typeof performance.eventLoopUtilization> | undefined;
const main = async () => {
  const n = Number(process.argv[2] ?? 60);
  // The floor each payment follows: an accepted bare Update, or (`--activity-floor`) one awaiting a no-op regular activity, whose second task the payment's is compared with.
  const floorKind = process.argv.includes('--activity-floor') ? 'activity' : 'accepted';
  const exporter = new InMemorySpanExporter();
  // Before the stack, as bench/trace-steps.ts does: its worker and client carry spans only when tracing is on.
  if (process.argv.includes('--spans')) startTracing('payment-probe', { exporter });
  const stack = await startTestStack('probe');
  // The floor's workflow id, to read its hops from its history.
  let floorId = '';
  const start = stack.client.workflow.start.bind(stack.client.workflow);
  stack.client.workflow.start = (async (...a: Parameters<typeof start>) => {
    const h = await start(...a);
    floorId ||= h.workflowId;
    return h;
  }) as typeof start;
  const floor = await startUpdateFloor(stack.cfg, stack.client);
  stack.client.workflow.start = start;
  try {
    const fundId = `fund-song-2016-probe-${Date.now().toString(36)}`;
    await appropriate(stack.db.appDb, fundId, 'central', 300 * 1_000_000);
    const h = await startProject(stack);
    await toLibrary(h);
    const a = await fundFrom(h, fundId, 105 * 1_000_000);
    await startConstruction(h);
    const byText = new Map<string, number[]>();
    const spanMs = new Map<string, number[]>();
    const statements: number[] = [];
    const payMs: number[] = [];
    const floorMs: number[] = [];
    const warmUp = 5;
    let from = 0n;
    for (let i = 0; i < n + warmUp; i++) {
      if (i === warmUp) {
        from = process.hrtime.bigint() / 1000n;
        eld.enable();
        elu0 = performance.eventLoopUtilization();
      }
      const f = await floor.time(floorKind);
      sent.length = 0;
      probing = true;
      const t0 = performance.now();
      await pay(h, { fundId, allocationId: a.allocationId, milestone: 'advance', amount: 1_000 });
      const dt = performance.now() - t0;
      // The relay and projectors finish the payment's events before the next floor Update.
      await new Promise((r) => setTimeout(r, 30));
      probing = false;
      const spans = exporter.getFinishedSpans();
      exporter.reset();
      if (i < warmUp) continue;
      payMs.push(dt);
      floorMs.push(f);
      for (const sp of spans.filter((x) => x.name.startsWith('tuopin.'))) {
        spanMs.set(sp.name, [...(spanMs.get(sp.name) ?? []), (sp.endTime[0] - sp.startTime[0]) * 1000 + (sp.endTime[1] - sp.startTime[1]) / 1e6]);
      }
      const mine = sent.filter((q) => q.t0 <= t0 + dt);
      statements.push(mine.length);
      for (const q of mine) byText.set(q.text, [...(byText.get(q.text) ?? []), q.t1 - q.t0]);
    }
    eld.disable();
    const elu = performance.eventLoopUtilization(elu0);
    // The process's main thread (the worker's activities, the relay, the projectors, the SDK's hops to its workflow threads).
    console.log(
      `event loop delay p50 ${(eld.percentile(50) / 1e6).toFixed(2)} p90 ${(eld.percentile(90) / 1e6).toFixed(2)} p99 ${(eld.percentile(99) / 1e6).toFixed(2)} max ${(eld.max / 1e6).toFixed(2)} ms; utilization ${elu.utilization.toFixed(3)} active ${elu.active.toFixed(0)} ms`,
    );
    console.log(`window (µs, monotonic) ${from} ${process.hrtime.bigint() / 1000n}`);
    console.log(
      `payments ${n}: p50 ${p(payMs, 50).toFixed(1)} p99 ${p(payMs, 99).toFixed(1)} ms; ${floorKind} floor p50 ${p(floorMs, 50).toFixed(1)} p99 ${p(floorMs, 99).toFixed(1)} ms`,
    );
    console.log(`statements sent by this process during a payment: p50 ${p(statements, 50)}`);
    for (const [text, xs] of [...byText].sort((x, y) => y[1].length - x[1].length)) console.log(row(xs.length, xs, text));
    console.log(`waits for a pooled connection (${poolWaits.length}): p50 ${p(poolWaits, 50).toFixed(2)} p90 ${p(poolWaits, 90).toFixed(2)} p99 ${p(poolWaits, 99).toFixed(2)} ms`);
    for (const [name, xs] of spanMs) console.log(row(xs.length, xs, `span ${name}`));
    const history = await h.fetchHistory();
    const events = history.events ?? [];
    const last = events.map((e) => e.eventType).lastIndexOf(E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    console.log(
      `the last payment's events: ${events
        .slice(last - 3, last + 12)
        .map((e) => String(E[e.eventType as number]).replace('EVENT_TYPE_', ''))
        .join(' ')}`,
    );
    const hops = new Map<Hop, number[]>();
    addUpdateHops(history, [], hops);
    // The probed payments only: the history also holds the walk's Updates and the warm-up's.
    for (const [k, v] of hops) hops.set(k, v.slice(-n));
    console.log("the payments' Updates, from the project's history:");
    for (const l of hopLines(hops)) console.log(l);
    const floorHops = new Map<Hop, number[]>();
    const fh = await stack.client.workflow.getHandle(floorId).fetchHistory();
    addUpdateHops(fh, [], floorHops);
    for (const [label, hh] of [
      ['payment', history],
      ['floor', fh],
    ] as const) {
      const t = secondTask(hh);
      const k = (xs: number[]) => p(xs.slice(-n), 50).toFixed(1);
      if (t.run.length > 0)
        console.log(`second task, ${label}: activity done → scheduled ${k(t.sched)}, scheduled → started ${k(t.queued)}, started → completed ${k(t.run)} (p50 ms)`);
    }
    console.log(`the ${floorKind} floor's Updates, from its history:`);
    for (const l of hopLines(floorHops)) console.log(l);
  } finally {
    await floor.stop();
    await stack.stop();
  }
};

main().then(() => process.exit(0), exitOnError);
