import { SignJWT } from 'jose';
import { issueToken } from '../infra/tokens/tokens';
import { revokeToken } from '../infra/tokens/revoked-tokens';
import { developmentTokenKeys, otherKeys } from './support/token-keys';
import { waitForProposal } from '../cli/commands/project-path';
import { readStream } from '../infra/eventstore/read';
import { streamId } from '../infra/eventstore/stream-id';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { VILLAGE_RECORD } from './support/project-walk';

const OFFICIAL = { userId: 'li.ming', role: 'county-official', countyId: 'song' } as const;

const proposal = (over: Record<string, unknown> = {}) => ({
  countyId: 'song',
  category: 'transport',
  name: '车村镇通村道路硬化',
  budget: '105万',
  fiscalYear: 2016,
  villageRecord: VILLAGE_RECORD,
  subsidyBases: [{ standard: 'village-road-renovation', quantity: 3000 }],
  ...over,
});

describe('the HTTP API refuses what it cannot trust: tokens, then every field', () => {
  let stack: TestStack;
  let api: TestApi;
  beforeAll(async () => {
    stack = await startTestStack('api-input');
    api = await startTestApi(stack);
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  it('serves an OpenAPI document generated from the zod schemas, and its page, without a token', async () => {
    const doc = await api.app.inject({ method: 'GET', url: '/docs/json' });
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/projects', '/projects/{id}', '/projects/{id}/steps', '/projects/{id}/funding', '/projects/{id}/payments', '/funds', '/funds/{id}']),
    );
    expect((await api.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('GET /standards lists each subsidy standard with its unit and source, and the four 省级全额补助 items', async () => {
    const r = await api.app.inject({ method: 'GET', url: '/standards', headers: await api.bearer({ userId: 'x.y', role: 'inspector' }) });
    expect(r.statusCode).toBe(200);
    const body = r.json<{ items: { id: string; rateFen: number | null; unit: { zh: string }; source: string }[]; fullSubsidyItems: { id: string }[] }>();
    expect(body.items.find((i) => i.id === 'village-road-renovation')).toMatchObject({ rateFen: 35_000_000, unit: { zh: '元/公里' }, source: expect.stringContaining('plan:337') });
    expect(body.items.find((i) => i.id === 'secondary-vocational')).toMatchObject({ rateFen: 200_000, source: 'plan:289' });
    expect(body.fullSubsidyItems.map((i) => i.id)).toHaveLength(4);
  });

  it.each([
    ['no header', undefined, 'TOKEN_MISSING'],
    ['not a bearer', 'Basic dXNlcjpwYXNz', 'TOKEN_MALFORMED'],
    ['not a JWT', 'Bearer abc.def.ghi', 'TOKEN_MALFORMED'],
  ])('answers 401 for %s', async (_, authorization, code) => {
    const r = await api.app.inject({ method: 'GET', url: '/projects', headers: authorization ? { authorization } : {} });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code });
  });

  it('answers 401 for an expired token, one signed with another key, and claims that are not an actor', async () => {
    const keys = developmentTokenKeys();
    const expired = (await issueToken(keys, OFFICIAL, 1, new Date(Date.now() - 60_000))).token;
    const forged = (await issueToken(otherKeys(), OFFICIAL, 600)).token;
    const noCounty = (await issueToken(keys, { userId: 'x.y', role: 'inspector' }, 600)).token;
    for (const [token, code] of [
      [expired, 'TOKEN_EXPIRED'],
      [forged, 'TOKEN_INVALID'],
    ] as const) {
      const r = await api.app.inject({ method: 'GET', url: '/projects', headers: { authorization: `Bearer ${token}` } });
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({ code });
    }
    expect((await api.app.inject({ method: 'GET', url: '/projects', headers: { authorization: `Bearer ${noCounty}` } })).statusCode).toBe(200);
  });

  it('answers 401 TOKEN_REVOKED from the request after a token is revoked, and refuses a system.* user signed with a trusted key', async () => {
    const keys = developmentTokenKeys();
    const issued = await issueToken(keys, OFFICIAL, 600);
    const get = (token: string) => api.app.inject({ method: 'GET', url: '/projects', headers: { authorization: `Bearer ${token}` } });
    expect((await get(issued.token)).statusCode).toBe(200);
    await revokeToken(stack.db.appDb, { jti: issued.jti, revokedBy: 'admin.wang', reason: 'laptop lost', expiresAt: issued.expiresAt });
    const r = await get(issued.token);
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: 'TOKEN_REVOKED' });
    const system = await new SignJWT({ role: 'administrator' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'dev' })
      .setSubject('system.deadlines')
      .setIssuer('tuopin')
      .setAudience('tuopin-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .setJti('system-forged-1')
      .sign(keys.signing!.key);
    expect((await get(system)).json()).toMatchObject({ code: 'TOKEN_CLAIMS_INVALID' });
  });

  it.each([
    ['an unknown body field', 'POST', '/projects', proposal({ proposedBy: 'someone.else' }), 'body'],
    ['a wrong type', 'POST', '/projects', proposal({ fiscalYear: 'twenty' }), 'body.fiscalYear'],
    ['an amount people cannot mean', 'POST', '/projects', proposal({ budget: '一百万' }), 'body.budget'],
    ['an amount as a JSON number', 'POST', '/projects', proposal({ budget: 1050000 }), 'body.budget'],
    [
      'a contract amount as a JSON number',
      'POST',
      '/projects/prj-song-2016-abcd/steps',
      { type: 'StartConstruction', data: { contractId: 'ctr-1', contractor: 'payee-1', contractAmount: 105_000_000, advanceBp: 3000, retentionBp: 300, warrantyMonths: 12 } },
      'body',
    ],
    ['a bad path parameter', 'POST', '/projects/not-a-project/steps', { type: 'ApproveAtTownship', data: { opinion: 'ok' } }, 'params.id'],
    ['an unknown step', 'POST', '/projects/prj-song-2016-abcd/steps', { type: 'PayEveryone', data: {} }, 'body'],
    ['an unknown step data field', 'POST', '/projects/prj-song-2016-abcd/steps', { type: 'ApproveAtTownship', data: { opinion: 'ok', by: 'me' } }, 'body'],
    ['an unknown query parameter', 'GET', '/projects?sort=name', undefined, 'querystring'],
    ['a query value out of range', 'GET', '/projects?limit=100000', undefined, 'querystring.limit'],
    ['a bad fund id', 'GET', '/funds/../../etc', undefined, undefined],
  ] as const)('answers 400 naming the field for %s, and writes nothing', async (_, method, url, payload, field) => {
    const before = await api.eventCount();
    const r = await api.app.inject({ method, url, headers: await api.bearer(OFFICIAL), ...(payload ? { payload } : {}) });
    expect([400, 404]).toContain(r.statusCode);
    if (field) {
      expect(r.statusCode).toBe(400);
      const body = r.json<{ zh: string; en: string; issues: { field: string; fieldZh?: string; zh: string; en: string; rule: string }[] }>();
      expect(body.issues.map((i) => i.field).join(' ')).toContain(field);
      // Each refused field named in Chinese as well as by its key, with its rule, in both languages.
      for (const i of body.issues) {
        expect(i.zh).toMatch(/\p{Script=Han}/u);
        expect(i.zh).toContain(i.field);
        expect(body.zh).toContain(i.zh);
        expect(body.en).toContain(i.en);
      }
    }
    expect(await api.eventCount()).toBe(before);
  });

  it('refuses a JSON number for an amount, saying how to write it, in both languages', async () => {
    const r = await api.app.inject({ method: 'POST', url: '/projects', headers: await api.bearer(OFFICIAL), payload: proposal({ budget: 1250 }) });
    expect(r.statusCode).toBe(400);
    const body = r.json<{ zh: string; en: string; issues: { field: string; fieldZh: string; rule: string; zh: string }[] }>();
    expect(body.issues).toEqual([expect.objectContaining({ field: 'body.budget', fieldZh: '项目预算', rule: 'invalid_type' })]);
    expect(body.zh).toContain('“项目预算”（body.budget）');
    expect(body.zh).toContain('"115万"');
    expect(body.zh).toContain('"1,150,000.00元"');
    expect(body.en).toMatch(/body\.budget: a JSON number is not accepted for an amount; write an amount as a string in 元 or 万元, e\.g\. "115万"/);
  });

  it('takes an amount written with thousands separators and 元, exactly', async () => {
    const r = await api.app.inject({ method: 'POST', url: '/projects', headers: await api.bearer(OFFICIAL), payload: proposal({ budget: '1,050,000.00元' }) });
    expect(r.statusCode).toBe(201);
    const projectId = r.json<{ projectId: string }>().projectId;
    await waitForProposal(stack.client, stack.db.appDb, projectId);
    const [event] = await readStream(stack.db.appDb, streamId('project', projectId), { limit: 1 });
    expect(event?.data).toMatchObject({ budget: 105_000_000 });
  });

  it('answers malformed JSON and a wrong content type with 4xx, never 5xx', async () => {
    const headers = await api.bearer(OFFICIAL);
    const bad = await api.app.inject({ method: 'POST', url: '/projects', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"countyId":' });
    expect(bad.statusCode).toBe(400);
    const xml = await api.app.inject({ method: 'POST', url: '/projects', headers: { ...headers, 'content-type': 'application/xml' }, payload: '<p/>' });
    expect(xml.statusCode).toBe(415);
  });

  it('a proposal under one Idempotency-Key starts one workflow: the repeat is answered with the same project', async () => {
    // Unique per run: the Temporal namespace outlives each test's database, and the key names the workflow.
    const headers = { ...(await api.bearer(OFFICIAL)), 'idempotency-key': `propose-road-${Date.now().toString(36)}` };
    const first = await api.app.inject({ method: 'POST', url: '/projects', headers, payload: proposal() });
    expect(first.statusCode).toBe(201);
    const again = await api.app.inject({ method: 'POST', url: '/projects', headers, payload: proposal() });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ projectId: first.json<{ projectId: string }>().projectId, runId: first.json<{ runId: string }>().runId, repeated: true });
    const contradiction = await api.app.inject({ method: 'POST', url: '/projects', headers, payload: proposal({ requestId: 'another-key' }) });
    expect(contradiction.statusCode).toBe(400);
    // The workflow records the proposal after answering: wait, so later tests count from a still store.
    await waitForProposal(stack.client, stack.db.appDb, first.json<{ projectId: string }>().projectId);
  });

  it("a token for 嵩县 proposing in 栾川县 is refused with 403 and the rule's code, before anything is sent", async () => {
    const r = await api.app.inject({ method: 'POST', url: '/projects', headers: await api.bearer(OFFICIAL), payload: proposal({ countyId: 'luanchuan' }) });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'ACCESS_OUT_OF_COUNTY', zh: expect.any(String), en: expect.any(String) });
    expect(await stack.db.appDb.selectFrom('events').select('position').where('stream_id', 'like', 'project-prj-luanchuan-%').execute()).toEqual([]);
  });

  // The fuzz across every route is test/api-fuzz.e2e.spec.ts.
});
