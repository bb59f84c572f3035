import { sql } from 'kysely';
import { startTestStack, type TestStack } from './support/stack';
import { startTestApi, type TestApi } from './support/api';
import { APPROVER, startProject, step, TOWNSHIP } from './support/project-walk';
import { until } from './support/until';
import { scrape } from '../infra/metrics';

jest.setTimeout(180_000);

/**
 * Issue 11 point 4, through the real worker: a step whose append the store keeps refusing shows on
 * GET /anomalies as step-stuck while it is retried, and as recovered once the store takes it.
 */
describe('a step the store keeps refusing, through the worker, the API and the metrics', () => {
  let stack: TestStack;
  let api: TestApi;
  beforeAll(async () => {
    stack = await startTestStack('stepstuck');
    api = await startTestApi(stack);
  });
  afterAll(async () => {
    await sql`DROP TRIGGER IF EXISTS test_refuse_project ON events`.execute(stack.db.adminDb);
    await api?.app.close();
    await stack?.stop();
  });

  const stuckRows = async () => {
    const r = await api.app.inject({ method: 'GET', url: '/anomalies?kind=step-stuck&county=song', headers: await api.bearer(APPROVER) });
    expect(r.statusCode).toBe(200);
    return r.json<{ items: { kind: string; projectId: string | null; stage: string; zh: string; detail: Record<string, unknown> }[] }>().items;
  };

  it('is listed as retrying from its fifth attempt, counted in /metrics, and as recovered once the store takes the step', async () => {
    const h = await startProject(stack);
    const projectId = h.workflowId.replace(/^project-/, '');
    await until(
      'the proposal stored',
      async () => (await sql<{ n: string }>`SELECT count(*)::text AS n FROM events WHERE stream_id = ${h.workflowId}`.execute(stack.db.appDb)).rows[0]!.n,
      {
        ok: (n) => n !== '0',
      },
    );
    await sql`
      CREATE FUNCTION test_refuse_project() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.stream_id = ${sql.lit(h.workflowId)} THEN RAISE EXCEPTION 'the store refuses this stream (test)' USING ERRCODE = '57P03'; END IF;
        RETURN NEW;
      END $$`.execute(stack.db.adminDb);
    await sql`CREATE TRIGGER test_refuse_project BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION test_refuse_project()`.execute(stack.db.adminDb);
    const approving = step(h, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP });

    const stuck = await until('the step listed as stuck', async () => (await stuckRows()).find((a) => a.projectId === projectId));
    expect(stuck).toMatchObject({
      kind: 'step-stuck',
      stage: 'retrying',
      zh: expect.stringContaining('仍在重试'),
      detail: { workflowId: h.workflowId, activityType: 'appendProjectEvents' },
    });
    expect((await scrape(stack.db.appDb)).body).toMatch(/^tuopin_stuck_steps\{state="retrying",service="tuopin"\} 1$/m);

    await sql`DROP TRIGGER test_refuse_project ON events`.execute(stack.db.adminDb);
    await expect(approving).resolves.toMatchObject({ stage: expect.any(String) });
    const recovered = await until('the step listed as recovered', async () => (await stuckRows()).find((a) => a.projectId === projectId && a.stage === 'recovered'));
    expect(recovered.zh).toMatch(/曾反复失败，第 \d+ 次尝试后完成/);
    await step(h, { type: 'CancelProject', data: { reason: '测试结束' }, actor: APPROVER });
  });
});
