import { readStream } from '../infra/eventstore';
import { PROJECT_NOTICE_POLICY } from '../domain/policy/funding';
import { startTestStack, type TestStack } from './support/stack';
import { issueToken } from '../infra/tokens/tokens';
import { developmentTokenKeys } from './support/token-keys';
import { APPROVER, refusedWith, saveHistory, startProject, step, TEST_POLICIES, TOWNSHIP } from './support/project-walk';

/**
 * Issue 11 point 15: whoever starts a project workflow chose its rule tables (the input's policies):
 * a 1-second notice and a 0-month warranty ran and nothing flagged it. Outside a namespace configured
 * for tests or simulation the process now takes the tables in force from the domain.
 */
describe('a project decides by the tables in force, not by the ones its starter sends', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // This worker's namespace is not configured for simulation: a production namespace.
    stack = await startTestStack('policies', { env: { TUOPIN_SIMULATION_NAMESPACES: 'tuopin-sim-*' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('started with a 1-second notice, it publishes the plan’s notice and will not enter the library after a second', async () => {
    expect(TEST_POLICIES.notice?.minNoticeSeconds).toBe(1);
    const h = await startProject(stack);
    await step(h, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP });
    await step(h, { type: 'ApproveAtCounty', data: { documentNumber: '嵩扶贫〔2016〕12号' }, actor: APPROVER });
    await step(h, { type: 'PublishNotice', data: {}, actor: APPROVER });
    const events = await readStream(stack.db.appDb, `project-${h.workflowId.replace(/^project-/, '')}`);
    const notice = events.find((e) => e.type === 'ProjectNoticePublished')!.data as { policy: { id: string; version: number } };
    expect(notice.policy).toEqual({ id: PROJECT_NOTICE_POLICY.id, version: PROJECT_NOTICE_POLICY.version });
    await new Promise((r) => setTimeout(r, 1_500));
    await refusedWith(step(h, { type: 'EnterLibrary', data: {}, actor: APPROVER }), 'PROJECT_NOTICE_RUNNING');
    // Ended by a proved cancellation: the recorded history covers both patches (policies-from-tables, actor-assertion).
    const assertion = (await issueToken(developmentTokenKeys(), APPROVER, 600)).token;
    await step(h, { type: 'CancelProject', data: { reason: '规划调整，项目取消' }, actor: APPROVER, assertion });
    expect((await h.result()).status).toBe('cancelled');
    await saveHistory(h, 'policies-from-tables');
  });
});
