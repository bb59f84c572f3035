import { sql } from 'kysely';
import { readStream } from '../infra/eventstore';
import { freeLoopbackPort, TEMPORAL_SDK_METRICS } from '../infra/temporal-runtime';
import { startTestStack, spawnWorker, type TestStack, type WorkerProcess } from '../test/support/stack';
import { until } from '../test/support/until';
import { APPROVER, appropriate, fundFrom, pay, startConstruction, startProject, step, toLibrary } from '../test/support/project-walk';

jest.setTimeout(240_000);

const WAN = 1_000_000;
/** One GET on the worker's operators' port: status and body, or the connection error. */
const get = async (port: number, path: string): Promise<{ status: number; body: string } | { error: string }> => {
  try {
    const r = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5_000) });
    return { status: r.status, body: await r.text() };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
};

describe('a worker sent SIGTERM in the middle of a payment', () => {
  let stack: TestStack;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    stack = await startTestStack('drain', { inProcessWorker: false });
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await stack?.stop();
  });

  it("serves the SDK's runtime metrics and the last verify; on SIGTERM reads not ready, lets the payment's activity finish and report, publishes what is committed and exits 0; the next worker pays once", async () => {
    const port = await freeLoopbackPort();
    // The rail books the transfer, then keeps the activity waiting 4 s before RAIL_TIMEOUT: the worker is told to stop inside that wait.
    const first = spawnWorker(stack, { WORKER_HTTP_PORT: String(port), TUOPIN_RAIL_SWITCHES: 'timeout*1@:p', TUOPIN_RAIL_DEADLINE_MS: '4000', SHUTDOWN_GRACE_MS: '20000' });
    workers.push(first);
    await until('the worker ready', () => get(port, '/readyz'), { ok: (r) => 'status' in r && r.status === 200, intervalMs: 100 });
    const metricsText = async () => {
      const r = await get(port, '/metrics');
      return 'body' in r ? r.body : '';
    };
    const metrics = await until('the verify at start in /metrics', metricsText, { ok: (m) => /^tuopin_verify_ok\{[^}]*\} 1$/m.test(m), intervalMs: 100 });
    // The core's own metrics, passed on by the worker's /metrics, next to ours; and the verify run at start found every chain whole.
    expect(metrics).toMatch(/^temporal_num_pollers\{[^}]*service="tuopin"[^}]*\} \d+/m);
    expect(metrics).toMatch(/^tuopin_verify_ok\{[^}]*\} 1$/m);
    expect(metrics).toMatch(/^tuopin_store_head_position\{[^}]*\} \d+$/m);

    const fundId = `fund-song-2016-drain-${Date.now().toString(36).slice(-4)}`;
    await appropriate(stack.db.appDb, fundId, 'central', 200 * WAN);
    const h = await startProject(stack);
    const projectId = h.workflowId.replace(/^project-/, '');
    await toLibrary(h);
    const a = await fundFrom(h, fundId, 105 * WAN);
    await startConstruction(h);
    const paying = pay(h, { fundId, allocationId: a.allocationId, milestone: 'advance', amount: 31_500_000 });
    const transfers = () =>
      sql<{ n: string }>`SELECT count(*)::text AS n FROM rail_transfers t JOIN rail_instructions i ON i.instruction_id = t.instruction_id
                         WHERE i.idempotency_key LIKE ${`${projectId}:p%`}`
        .execute(stack.db.appDb)
        .then((r) => Number(r.rows[0]!.n));
    await until('the rail booking the transfer', transfers, { ok: (n) => n > 0, intervalMs: 50 });

    // After real work, every SDK metric the dashboard draws is in the worker's scrape, with the labels it groups by.
    const worked = await get(port, '/metrics');
    const text = 'body' in worked ? worked.body : '';
    const missing = Object.entries(TEMPORAL_SDK_METRICS).flatMap(([name, m]) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}${m.type === 'histogram' ? '_bucket' : ''}{`));
      if (!line) return [`${name}: absent`];
      const labels = [...line.matchAll(/(\w+)="/g)].map((x) => x[1]!);
      return m.labels.filter((l) => !labels.includes(l)).map((l) => `${name}: no label ${l}`);
    });
    expect(missing).toEqual([]);

    first.child.kill('SIGTERM');
    // Draining: still answering, and not ready, naming why.
    const draining = await until('the worker draining', () => get(port, '/readyz'), {
      ok: (r): r is { status: number; body: string } => 'status' in r && r.status === 503,
      intervalMs: 20,
    });
    expect(draining.status).toBe(503);
    expect((JSON.parse(draining.body) as { checks: { name: string; ok: boolean }[] }).checks.find((c) => c.name === 'draining')?.ok).toBe(false);
    expect(await first.exited).toBe(0);

    // The activity under way finished and reported (here RAIL_TIMEOUT, retried): nothing is left started on a dead worker, waiting out its timeout.
    const d = await h.describe();
    const started = (d.raw.pendingActivities ?? []).filter((p) => String(p.state) === 'PENDING_ACTIVITY_STATE_STARTED' || Number(p.state) === 2);
    expect(started).toEqual([]);
    // The relay published every committed event before it stopped.
    const lag = await sql<{ n: string }>`SELECT count(*)::text AS n FROM events e, relay_checkpoints r WHERE (e.tx_id, e.position) > (r.tx_id, r.position)`.execute(stack.db.appDb);
    expect(Number(lag.rows[0]!.n)).toBe(0);

    const second = spawnWorker(stack);
    workers.push(second);
    const outcome = await paying;
    expect(outcome.stage).toBe('under-construction');
    expect(await transfers()).toBe(1);
    const recorded = (await readStream(stack.db.appDb, `project-${projectId}`)).filter((e) => e.type === 'ProjectPaymentRecorded');
    expect(recorded.map((e) => (e.data as { paymentId: string }).paymentId)).toEqual([outcome.paymentId]);

    await step(h, { type: 'CancelProject', data: { reason: '测试结束' }, actor: APPROVER });
    await h.result();
  });
});
