import { sql } from 'kysely';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { FINANCE, PROPOSER, startProject, VILLAGE_RECORD } from './support/project-walk';
import { projectStepUpdate } from '../workflows/project-lifecycle.messages';
import { waitForProposal } from '../cli/commands/project-path';

jest.setTimeout(120_000);

const INSPECTOR = { userId: 'zhao.jian', role: 'inspector' } as const;

const proposal = (over: Record<string, unknown> = {}) => ({
  countyId: 'song',
  category: 'transport',
  name: '车村镇通村道路硬化',
  budget: '105万',
  fiscalYear: 2016,
  villageRecord: VILLAGE_RECORD,
  ...over,
});

const fund = (over: Record<string, unknown> = {}) => ({
  fundId: `fund-song-2016-t${Date.now().toString(36)}`,
  source: 'central',
  fiscalYear: 2016,
  countyId: 'song',
  documentNumber: '豫财农〔2016〕1号',
  amount: '500万',
  earmark: ['transport'],
  ...over,
});

/**
 * Text the store could not keep, or that reads other than it is, is refused with a 400 naming the
 * field before anything is started or written; a fund asked for again on other terms is a 409.
 */
describe('the API refuses text that is not well formed, before any answer', () => {
  let stack: TestStack;
  let api: TestApi;
  beforeAll(async () => {
    stack = await startTestStack('api-text');
    api = await startTestApi(stack);
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  const projectWorkflows = async (): Promise<number> => {
    let n = 0;
    for await (const _ of stack.client.workflow.list({ query: `TaskQueue = '${stack.taskQueue}'` })) n++;
    return n;
  };

  it.each([
    ['a NUL in the name', { name: '道路\u0000硬化' }, 'body.name', /NUL/],
    ['a lone surrogate in the name', { name: '道路\ud800' }, 'body.name', /well-formed/],
    ['a right-to-left override in the name', { name: '道路\u202E化硬' }, 'body.name', /bidirectional/],
    ['a name of zero-width spaces only', { name: '\u200B\u200B\u200B' }, 'body.name', /empty/],
    ['a decomposed (non-NFC) name', { name: 'Cafe\u0301 road' }, 'body.name', /NFC/],
    ['a line break in the minutes reference', { villageRecord: { ...VILLAGE_RECORD, minutesRef: 'a\nb' } }, 'body.villageRecord.minutesRef', /line breaks/],
    ['a name of 100,000 characters', { name: '路'.repeat(100_000) }, 'body.name', /at most 200/],
    // The budget is a number of fen or a string: the union's message is zod's; the cap's own is in money.unit.spec.ts.
    ['an amount of 500,000 spaces', { budget: '1' + ' '.repeat(500_000) + '2' }, 'body.budget', /./],
  ])('a proposal with %s is a 400 naming the field: no project is started, nothing is written', async (_, over, field, why) => {
    const before = { events: await api.eventCount(), workflows: await projectWorkflows() };
    const r = await api.app.inject({ method: 'POST', url: '/projects', headers: await api.bearer(PROPOSER), payload: proposal(over) });
    expect(r.statusCode).toBe(400);
    const issues = r.json<{ issues: { field: string; message: string }[] }>().issues;
    expect(issues.find((i) => i.field.startsWith(field))?.message).toMatch(why);
    expect({ events: await api.eventCount(), workflows: await projectWorkflows() }).toEqual(before);
  });

  it('invalid UTF-8 on the wire is refused, not stored as U+FFFD', async () => {
    const body = Buffer.concat([Buffer.from(JSON.stringify(proposal({ name: 'XX' })).replace('"XX"', '"\u0001\u0001"')), Buffer.alloc(0)]);
    // Replace the two placeholder bytes with a lone continuation byte and an overlong lead byte.
    const at = body.indexOf(0x01);
    body[at] = 0x80;
    body[at + 1] = 0xc0;
    const before = await api.eventCount();
    const r = await api.app.inject({ method: 'POST', url: '/projects', headers: { ...(await api.bearer(PROPOSER)), 'content-type': 'application/json' }, payload: body });
    expect(r.statusCode).toBe(400);
    expect(await api.eventCount()).toBe(before);
  });

  it('a step with a lone surrogate is refused by the API with a 400, and by the workflow itself when sent straight to Temporal', async () => {
    const h = await startProject(stack);
    const projectId = h.workflowId.replace(/^project-/, '');
    await waitForProposal(stack.client, stack.db.appDb, projectId);
    const before = await api.eventCount();
    const r = await api.app.inject({
      method: 'POST',
      url: `/projects/${projectId}/steps`,
      headers: await api.bearer(INSPECTOR),
      payload: { type: 'RecordAuditFinding', data: { findingId: 'f1', summary: '\ud800' } },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ issues: { field: string }[] }>().issues.map((i) => i.field)).toContain('body.data.summary');
    // Past the API: the Update's validator refuses it, so no activity ever tries to append it.
    await expect(
      h.executeUpdate(projectStepUpdate, { args: [{ type: 'RecordAuditFinding', data: { findingId: 'f1', summary: 'x\ud800' }, actor: INSPECTOR } as never] }),
    ).rejects.toMatchObject({ cause: { type: 'STEP_DATA_INVALID' } });
    // The project still answers its next step at once: nothing holds its step lock.
    const status = await h.query('projectStatus');
    expect(status).toMatchObject({ stage: expect.any(String) });
    expect(await api.eventCount()).toBe(before);
  });

  it("a NUL in a fund's document number is a 400, not a 500", async () => {
    const r = await api.app.inject({ method: 'POST', url: '/funds', headers: await api.bearer(FINANCE), payload: fund({ documentNumber: '豫财\u0000农' }) });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ issues: { field: string }[] }>().issues.map((i) => i.field)).toContain('body.documentNumber');
  });

  it('a fund id appropriated again with another amount is a 409 naming the fund that exists; the same request again is answered 200', async () => {
    const body = fund();
    const headers = await api.bearer(FINANCE);
    expect((await api.app.inject({ method: 'POST', url: '/funds', headers, payload: body })).statusCode).toBe(201);
    const events = await api.eventCount();
    const other = await api.app.inject({ method: 'POST', url: '/funds', headers, payload: { ...body, amount: '900万' } });
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'FUND_ALREADY_APPROPRIATED', details: { fundId: body.fundId, existing: { amount: 500_000_000 }, differs: ['amount'] } });
    const same = await api.app.inject({ method: 'POST', url: '/funds', headers, payload: body });
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ repeated: true });
    expect(await api.eventCount()).toBe(events);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM events WHERE stream_id = ${`fund-${body.fundId}`}`.execute(stack.db.appDb);
    expect(Number(rows[0]!.n)).toBe(1);
  });
});
