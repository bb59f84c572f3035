import { readStream } from '../infra/eventstore';
import { projectFundUpdate, projectStatusQuery, type ProjectFundRequest, type ProjectStatusView } from '../workflows/project-lifecycle.messages';
import type { Fen } from '../domain/shared/money';
import { listedWorkflowIds, startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import { APPROVER, FINANCE, appropriate, enterLibraryAfterNotice, fundFrom, fundState, saveHistory, startProject, step, TOWNSHIP, toLibrary } from './support/project-walk';

const WAN = 1_000_000;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('deadlines, objections and long lives of the project workflow', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('deadlines');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a missed township review escalates township → county → city, one deadline apart, without losing its place', async () => {
    const h = await startProject(stack, { deadlines: { 'township-review': 1000, 'county-review': 60_000 } });
    const projectId = h.workflowId.replace(/^project-/, '');
    const escalations = await until('three escalations', async () => (await readStream(stack.db.appDb, `project-${projectId}`)).filter((e) => e.type === 'ProjectEscalated'), {
      ok: (events) => events.length >= 3,
    });
    expect(escalations.map((e) => (e.data as { level: string }).level)).toEqual(['township', 'county', 'city']);
    expect(escalations.map((e) => e.data)).toEqual(escalations.map(() => expect.objectContaining({ stage: 'proposed', deadlineKind: 'township-review', by: 'system.deadlines' })));
    // Each level waited its full deadline.
    const times = escalations.map((e) => Date.parse((e.data as { at: string }).at));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1000);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1000);

    const status: ProjectStatusView = await h.query(projectStatusQuery);
    expect(status).toMatchObject({ stage: 'proposed', overdue: { level: 'city', deadlineKind: 'township-review' }, nextActor: { roles: ['township-official'] } });
    expect(status.deadlineAt).toBeUndefined();

    // Findable by query: the overdue marker is a search attribute.
    const listed = await until('the overdue search attribute', () => listedWorkflowIds(stack.client, `WorkflowId = '${h.workflowId}' AND TuopinStage = 'overdue'`), {
      ok: (found) => found.length > 0,
    });
    expect(listed).toEqual([h.workflowId]);

    // Still in its place: the township can act, and the next stage has its own deadline, not yet escalated.
    const moved = await step(h, { type: 'ApproveAtTownship', data: { opinion: '同意（逾期办理）' }, actor: TOWNSHIP });
    expect(moved.stage).toBe('township-reviewed');
    const after = await h.query(projectStatusQuery);
    expect(after.overdue).toBeUndefined();
    expect(Date.parse(after.deadlineAt!)).toBeGreaterThan(Date.now() + 30_000);
    await step(h, { type: 'RejectProject', data: { reason: '不符合入库条件' }, actor: APPROVER });
    expect((await h.result()).status).toBe('rejected');
    expect((await readStream(stack.db.appDb, `project-${projectId}`)).filter((e) => e.type === 'ProjectEscalated')).toHaveLength(3);
    await saveHistory(h, 'escalation');
  });

  it('the public notice runs its full period before its deadline starts; an objection sends the project back to county review', async () => {
    const h = await startProject(stack, { deadlines: { 'notice-period': 60_000 } });
    await step(h, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP });
    await step(h, { type: 'ApproveAtCounty', data: { documentNumber: '嵩扶贫〔2016〕20号' }, actor: APPROVER });
    const noticed = await step(h, { type: 'PublishNotice', data: {}, actor: APPROVER });
    expect(noticed.stage).toBe('in-notice');
    const objected = await step(h, {
      type: 'RaiseObjection',
      data: { objectionId: 'obj-song-2016-001', summary: '线路占用基本农田' },
      actor: { userId: 'zhou.min', role: 'township-official', countyId: 'song' },
    });
    expect(objected.stage).toBe('township-reviewed');
    expect(await h.query(projectStatusQuery)).toMatchObject({ nextActor: { roles: ['county-official'] } });
    await step(h, { type: 'ApproveAtCounty', data: { documentNumber: '嵩扶贫〔2016〕21号' }, actor: APPROVER });
    await step(h, { type: 'PublishNotice', data: {}, actor: APPROVER });
    const s = await h.query(projectStatusQuery);
    // Notice (1 s, the test policy) + the 60 s deadline: it is not overdue before the notice has run.
    expect(Date.parse(s.deadlineAt!)).toBeGreaterThan(Date.parse(s.nextActor!.notBefore!) + 59_000);
    await enterLibraryAfterNotice(h);
    await step(h, { type: 'CancelProject', data: { reason: '改由县交通局实施' }, actor: APPROVER });
    expect((await h.result()).status).toBe('cancelled');
    await saveHistory(h, 'objection');
  });

  it('a township rejection ends the process', async () => {
    const h = await startProject(stack);
    await step(h, { type: 'RejectProject', data: { reason: '村民会议记录不全' }, actor: TOWNSHIP });
    expect((await h.result()).status).toBe('rejected');
    await saveHistory(h, 'rejection');
  });

  it('continues as new before the history grows large, carrying its state and answering steps across runs', async () => {
    const fundId = `fund-song-2016-can-${Date.now().toString(36).slice(-4)}`;
    await appropriate(stack.db.appDb, fundId, 'central', 200 * WAN);
    const started = await startProject(stack, { continueAsNewAfterEvents: 25 });
    const h = stack.client.workflow.getHandle(started.workflowId);
    await toLibrary(h);
    const request = { args: [{ fundId, amount: (50 * WAN) as Fen, actor: FINANCE }] as [ProjectFundRequest], updateId: 'req-fund-can-1' };
    const first = await h.executeUpdate(projectFundUpdate, request);
    await fundFrom(h, fundId, 55 * WAN);
    const s = await until('a second run', () => h.query(projectStatusQuery), { ok: (v) => v.runs > 1 });
    expect(s).toMatchObject({ stage: 'funded', funded: 105 * WAN, streamVersion: 8 });
    // The server deduplicates an Update id within a run; the workflow carries its answers across runs.
    expect(await h.executeUpdate(projectFundUpdate, request)).toEqual(first);
    expect(await h.query(projectStatusQuery)).toMatchObject({ funded: 105 * WAN, streamVersion: 8 });
    const cancelled = await step(h, { type: 'CancelProject', data: { reason: '测试结束' }, actor: APPROVER });
    expect(cancelled).toMatchObject({ stage: 'cancelled', streamVersion: 9 });
    expect((await h.result()).status).toBe('cancelled');
    const events = await readStream(stack.db.appDb, `project-${started.workflowId.replace(/^project-/, '')}`);
    expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a Temporal cancel request does not strand a project’s money: the process goes on until a county official cancels it', async () => {
    const fundId = `fund-song-2016-tc-${Date.now().toString(36).slice(-4)}`;
    await appropriate(stack.db.appDb, fundId, 'central', 100 * WAN);
    const h = await startProject(stack);
    await toLibrary(h);
    await fundFrom(h, fundId, 40 * WAN);
    await h.cancel();
    await pause(1500);
    expect((await h.describe()).status.name).toBe('RUNNING');
    expect(await h.query(projectStatusQuery)).toMatchObject({ stage: 'in-library', funded: 40 * WAN });
    await step(h, { type: 'CancelProject', data: { reason: '县政府决定停建' }, actor: APPROVER });
    expect((await h.result()).status).toBe('cancelled');
    expect(await fundState(stack.db.appDb, fundId)).toMatchObject({ available: 100 * WAN, allocatedUnpaid: 0 });
  });
});
