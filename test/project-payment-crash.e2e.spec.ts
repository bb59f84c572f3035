import { sql } from 'kysely';
import { readStream } from '../infra/eventstore';
import { balanced } from '../domain/fund';
import { startTestStack, spawnWorker, type TestStack, type WorkerProcess } from './support/stack';
import { until } from './support/until';
import { APPROVER, appropriate, fundFrom, fundState, pay, startConstruction, startProject, step, toLibrary } from './support/project-walk';

const WAN = 1_000_000;

describe('a worker killed with SIGKILL in the middle of a payment', () => {
  let stack: TestStack;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    stack = await startTestStack('sigkill', { inProcessWorker: false });
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await stack?.stop();
  });

  it('pays exactly once after a restart: the rail booked the transfer, the new worker finds it and records it', async () => {
    // The rail books the transfer and then keeps the worker waiting (RAIL_TIMEOUT after 20 s): the
    // window in which the money has moved and nothing is recorded yet. The worker dies in it.
    const first = spawnWorker(stack, { TUOPIN_RAIL_SWITCHES: 'timeout*1@:p', TUOPIN_RAIL_DEADLINE_MS: '20000' });
    workers.push(first);
    const fundId = `fund-song-2016-kill-${Date.now().toString(36).slice(-4)}`;
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
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const recordedBefore = (await readStream(stack.db.appDb, `project-${projectId}`)).filter((e) => e.type === 'ProjectPaymentRecorded');
    expect(recordedBefore).toHaveLength(0);

    const second = spawnWorker(stack);
    workers.push(second);
    const outcome = await paying;
    expect(outcome.stage).toBe('under-construction');

    expect(await transfers()).toBe(1);
    const instructions = await sql<{ n: string }>`SELECT count(*)::text AS n FROM rail_instructions WHERE idempotency_key = ${outcome.paymentId}`.execute(stack.db.appDb);
    expect(Number(instructions.rows[0]!.n)).toBe(1);
    const recorded = (await readStream(stack.db.appDb, `project-${projectId}`)).filter((e) => e.type === 'ProjectPaymentRecorded');
    expect(recorded.map((e) => (e.data as { paymentId: string }).paymentId)).toEqual([outcome.paymentId]);
    const f = await fundState(stack.db.appDb, fundId);
    if (f.status === 'none') throw new Error('fund missing');
    expect(balanced(f)).toBe(true);
    expect(f.paid).toBe(31_500_000);

    await step(h, { type: 'CancelProject', data: { reason: '测试结束' }, actor: APPROVER });
    await h.result();
  });
});
