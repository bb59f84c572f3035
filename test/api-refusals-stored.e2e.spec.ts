import { sql } from 'kysely';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { APPROVER, PROPOSER, startProject, step, TOWNSHIP } from './support/project-walk';

jest.setTimeout(120_000);

/** Issue 11 point 11: what a refused request may add to the immutable store. */
describe('refusals and the store', () => {
  let stack: TestStack;
  let api: TestApi;
  beforeAll(async () => {
    stack = await startTestStack('refusals');
    api = await startTestApi(stack);
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  const refusals = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events WHERE type = 'CommandRefused'`.execute(stack.db.appDb)).rows[0]!.n);
  const send = async (projectId: string, body: unknown, actor = PROPOSER, key?: string) =>
    api.app.inject({
      method: 'POST',
      url: `/projects/${projectId}/steps`,
      headers: { ...(await api.bearer(actor)), ...(key ? { 'idempotency-key': key } : {}) },
      payload: body as Record<string, unknown>,
    });

  it('an access refusal (the proposer approving their own project), sent again and again, stores nothing', async () => {
    const h = await startProject(stack);
    const projectId = h.workflowId.replace(/^project-/, '');
    await step(h, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP });
    const before = await refusals();
    for (let i = 0; i < 5; i++) {
      const r = await send(projectId, { type: 'ApproveAtCounty', data: { documentNumber: `嵩扶贫〔2016〕${i}号` } }, PROPOSER, `self-approve-${i}`);
      expect(r.statusCode).toBe(403);
      expect(r.json()).toMatchObject({ code: 'ACCESS_PROPOSER_CANNOT_APPROVE' });
    }
    expect(await refusals()).toBe(before);
  });

  it('a domain refusal repeated under new request ids (or none) is recorded once', async () => {
    const h = await startProject(stack);
    const projectId = h.workflowId.replace(/^project-/, '');
    const before = await refusals();
    // Entering the library before the county's approval: out of order, whoever asks how often.
    for (const key of ['early-1', 'early-2', undefined, undefined]) {
      const r = await send(projectId, { type: 'EnterLibrary', data: {} }, APPROVER, key);
      expect(r.statusCode).toBe(409);
    }
    expect(await refusals()).toBe(before + 1);
  });
});
