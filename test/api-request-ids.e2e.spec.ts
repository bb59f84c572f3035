import { waitForProposal } from '../cli/commands/project-path';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { APPROVER, newProjectId, PROPOSER, startProject, TOWNSHIP, VILLAGE_RECORD } from './support/project-walk';
import { sendStep } from '../services/project-updates';

jest.setTimeout(180_000);

interface Outcome {
  stage: string;
  positions: number[];
}

/**
 * A request id is the caller's: two officials who both use `r-1` on one project make two requests;
 * one id sent again with another request is refused; a proposal under a project id that exists is
 * answered as a repeat only when it is the same proposer's same proposal.
 */
describe('request ids are scoped by user and tied to the request', () => {
  let stack: TestStack;
  let api: TestApi;
  beforeAll(async () => {
    stack = await startTestStack('api-reqids');
    api = await startTestApi(stack);
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  const started = async () => {
    const h = await startProject(stack);
    const projectId = h.workflowId.replace(/^project-/, '');
    await waitForProposal(stack.client, stack.db.appDb, projectId);
    return { h, projectId };
  };

  it("two officials using r-1 on one project each have their step applied, not the other one's answer", async () => {
    const { projectId } = await started();
    const post = async (actor: typeof TOWNSHIP, body: object) =>
      api.app.inject({ method: 'POST', url: `/projects/${projectId}/steps`, headers: await api.bearer(actor), payload: { ...body, requestId: 'r-1' } });
    const township = await post(TOWNSHIP, { type: 'ApproveAtTownship', data: { opinion: '同意' } });
    expect(township.statusCode).toBe(200);
    const county = await post(APPROVER, { type: 'ApproveAtCounty', data: { documentNumber: '嵩扶贫〔2016〕12号' } });
    expect(county.statusCode).toBe(200);
    expect(county.json<Outcome>().positions).not.toEqual(township.json<Outcome>().positions);
    expect(county.json<Outcome>().stage).not.toBe(township.json<Outcome>().stage);
    const types = await stack.db.appDb.selectFrom('events').select('type').where('stream_id', '=', `project-${projectId}`).orderBy('stream_version').execute();
    expect(types.map((t) => t.type)).toEqual(['ProjectProposed', 'ProjectTownshipApproved', 'ProjectCountyApproved']);
  });

  it('one request id sent again by its user with another request is refused REQUEST_ID_REUSED, not answered with the first outcome', async () => {
    const { projectId } = await started();
    const first = await sendStep(stack.client, projectId, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP }, 'same-id-1');
    // The same request again: the first answer, nothing applied twice.
    expect(await sendStep(stack.client, projectId, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP }, 'same-id-1')).toEqual(first);
    await expect(sendStep(stack.client, projectId, { type: 'RejectProject', data: { reason: '资料不全' }, actor: TOWNSHIP }, 'same-id-1')).rejects.toMatchObject({
      failureCode: 'REQUEST_ID_REUSED',
    });
    const types = await stack.db.appDb.selectFrom('events').select('type').where('stream_id', '=', `project-${projectId}`).orderBy('stream_version').execute();
    expect(types.map((t) => t.type)).toEqual(['ProjectProposed', 'ProjectTownshipApproved']);
  });

  it("a proposal under another official's project id is refused 409, never answered 201 or 200 with that project", async () => {
    const projectId = newProjectId();
    const proposal = {
      projectId,
      countyId: 'song',
      category: 'transport',
      name: '车村镇通村道路硬化',
      budget: '105万',
      fiscalYear: 2016,
      villageRecord: VILLAGE_RECORD,
      subsidyBases: [{ standard: 'village-road-renovation', quantity: 3000 }],
    };
    const mine = await api.app.inject({ method: 'POST', url: '/projects', headers: await api.bearer(PROPOSER), payload: { ...proposal, requestId: 'prop-1' } });
    expect(mine.statusCode).toBe(201);
    const other = { userId: 'zhou.min', role: 'county-official', countyId: 'song' } as const;
    const theirs = await api.app.inject({ method: 'POST', url: '/projects', headers: await api.bearer(other), payload: { ...proposal, requestId: 'prop-1' } });
    expect(theirs.statusCode).toBe(409);
    expect(theirs.json()).toMatchObject({ code: 'PROJECT_EXISTS' });
    // The proposer's own repeat is still a repeat; the same id with another budget is not.
    const again = await api.app.inject({ method: 'POST', url: '/projects', headers: await api.bearer(PROPOSER), payload: { ...proposal, requestId: 'prop-1' } });
    expect(again.statusCode).toBe(200);
    const changed = await api.app.inject({ method: 'POST', url: '/projects', headers: await api.bearer(PROPOSER), payload: { ...proposal, budget: '999万', requestId: 'prop-2' } });
    expect(changed.statusCode).toBe(409);
    await waitForProposal(stack.client, stack.db.appDb, projectId);
  });
});
