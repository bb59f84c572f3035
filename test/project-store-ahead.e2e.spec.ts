import { appendToStream, eventIdFor, eventMetadata, readStream } from '../infra/eventstore';
import { evolve, initialState, makeDecide, PLAN_POLICIES, type ProjectEvent, type ProjectState } from '../domain/project';
import { projectStatusQuery } from '../workflows/project-lifecycle.messages';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import { APPROVER, codeOf, startProject, step, TEST_POLICIES, TOWNSHIP } from './support/project-walk';

jest.setTimeout(120_000);

/**
 * A project's appends are local activities: one commits before its workflow task is recorded, so a
 * task lost after the commit (the worker died, the Update was given up) leaves a step in the store
 * that the process does not hold. The next step must not be wedged by the store being ahead, nor
 * decided on the state the process has left: the process takes the events in and decides again.
 */
describe('a project whose store is ahead of its process (a lost workflow task after a local append)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('ahead');
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const proposed = (stream: string) => until(`the proposal recorded in ${stream}`, () => readStream(stack.db.appDb, stream), { ok: (events) => events.length > 0, intervalMs: 50 });

  it('takes the stored step in before deciding the next one, and goes on from there', async () => {
    const h = await startProject(stack);
    const projectId = h.workflowId.replace(/^project-/, '');
    const stream = `project-${projectId}`;
    await proposed(stream);
    // What the lost task left: the township's approval, decided as the process would and appended at the version it holds.
    const stored = await readStream(stack.db.appDb, stream);
    const state = stored.reduce<ProjectState>((s, e) => evolve(s, { type: e.type, data: e.data } as ProjectEvent), initialState());
    const at = new Date().toISOString();
    const d = makeDecide({ ...PLAN_POLICIES, ...TEST_POLICIES })({ type: 'ApproveAtTownship', data: { projectId, opinion: '同意' }, meta: { actor: TOWNSHIP, now: at } }, state);
    if (!d.ok) throw new Error(`the township's approval was refused: ${d.error.code}`);
    const metadata = eventMetadata({ actor: TOWNSHIP, countyId: 'song', correlationId: h.workflowId, temporal: { workflowId: h.workflowId, runId: 'lost-task' }, at });
    await appendToStream(
      stack.db.appDb,
      stream,
      1,
      d.events.map((e, i) => ({ eventId: `${h.workflowId}:lost-task:${i}`, type: e.type, data: e.data, metadata })),
    );
    expect(await h.query(projectStatusQuery)).toMatchObject({ stage: 'proposed', streamVersion: 1 });

    // The same approval again, as another request: the validator passes on the process's state, the
    // append meets the store ahead, the process takes the stored approval in and refuses a second one.
    const again = await step(h, { type: 'ApproveAtTownship', data: { opinion: '再次同意' }, actor: TOWNSHIP }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(codeOf(again)).toBeDefined();
    expect(codeOf(again)).not.toBe('EXPECTED_VERSION_CONFLICT');
    expect(await h.query(projectStatusQuery)).toMatchObject({ stage: 'township-reviewed', streamVersion: 2 });

    const next = await step(h, { type: 'ApproveAtCounty', data: { documentNumber: '嵩扶贫〔2016〕12号' }, actor: APPROVER });
    expect(next).toMatchObject({ stage: 'county-approved', streamVersion: 3 });
    const after = await readStream(stack.db.appDb, stream);
    expect(after.map((e) => e.type).slice(0, 2)).toEqual([...stored.map((e) => e.type), ...d.events.map((e) => e.type)]);
    expect(after).toHaveLength(3);
    await step(h, { type: 'CancelProject', data: { reason: '测试结束' }, actor: APPROVER });
    await h.result();
  });

  it('answers the same Update asked again after its task was lost with the step the store holds, not EVENT_ID_REUSED', async () => {
    const h = await startProject(stack);
    const projectId = h.workflowId.replace(/^project-/, '');
    const stream = `project-${projectId}`;
    await proposed(stream);
    // What the lost task stored: the township's approval as this Update's step 2, with the ids the
    // process derives for it (workflow and step) and the Update's id as its cause, decided a moment earlier.
    const updateId = `township-approval-${projectId}`;
    const stored = await readStream(stack.db.appDb, stream);
    const state = stored.reduce<ProjectState>((s, e) => evolve(s, { type: e.type, data: e.data } as ProjectEvent), initialState());
    const earlier = new Date(Date.now() - 60_000).toISOString();
    const d = makeDecide({ ...PLAN_POLICIES, ...TEST_POLICIES })(
      { type: 'ApproveAtTownship', data: { projectId, opinion: '同意' }, meta: { actor: TOWNSHIP, now: earlier } },
      state,
    );
    if (!d.ok) throw new Error(`the township's approval was refused: ${d.error.code}`);
    const metadata = eventMetadata({
      actor: TOWNSHIP,
      countyId: 'song',
      correlationId: h.workflowId,
      causationId: updateId,
      temporal: { workflowId: h.workflowId, runId: 'lost-task' },
      at: earlier,
    });
    await appendToStream(
      stack.db.appDb,
      stream,
      1,
      d.events.map((e, i) => ({ eventId: eventIdFor(h.workflowId, '2:ApproveAtTownship', i), type: e.type, data: e.data, metadata })),
    );

    // The caller asks again under the same Update id: answered with the stored step, written once.
    const again = await step(h, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP }, updateId);
    expect(again).toMatchObject({ stage: 'township-reviewed', streamVersion: 2 });
    const after = await readStream(stack.db.appDb, stream);
    expect(after).toHaveLength(2);
    expect(after[1]!.metadata.causationId).toBe(updateId);
    // The process holds the store's copy (decided a minute earlier), and goes on from it.
    const next = await step(h, { type: 'ApproveAtCounty', data: { documentNumber: '嵩扶贫〔2016〕13号' }, actor: APPROVER });
    expect(next).toMatchObject({ stage: 'county-approved', streamVersion: 3 });
    await step(h, { type: 'CancelProject', data: { reason: '测试结束' }, actor: APPROVER });
    await h.result();
  });
});
