import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor, Role } from '../domain/shared/actor';
import { ROLES, COUNTY_SCOPED_ROLES } from '../domain/shared/actor';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import { startProject, toLibrary, VILLAGE_RECORD } from './support/project-walk';
import { aboveLine, household, householdBody } from './support/exit-households';
import { asSuperuser } from './support/tamper';

/** Exit workflow ids name the village or household: fresh ones per run keep runs apart on the shared Temporal server. */
const RUN = randomBytes(3).toString('hex');

type Scope = 'in' | 'out';
interface Case {
  readonly method: 'GET' | 'POST';
  readonly url: (ids: Ids) => string;
  readonly body?: (ids: Ids, n: number) => Record<string, unknown>;
  /** The expected status by role, in its own county; out of it every county-scoped role gets 403. */
  readonly allowed: Partial<Record<Role, number>>;
}
interface Ids {
  readonly project: string;
  readonly fund: string;
}

const EVERYONE = (status: number): Partial<Record<Role, number>> => Object.fromEntries(ROLES.map((r) => [r, status]));

/**
 * The one table the matrix is generated from: endpoint → role → status in scope. A role left out
 * is refused (403). Steps and money on a project that has only been proposed reach the workflow
 * and are refused there for its stage (409), which proves they passed the API's own gate.
 */
const TABLE: Record<string, Case> = {
  'GET /projects': { method: 'GET', url: () => '/projects?county=song', allowed: EVERYONE(200) },
  'GET /projects/:id': { method: 'GET', url: (i) => `/projects/${i.project}`, allowed: EVERYONE(200) },
  'GET /funds': { method: 'GET', url: () => '/funds?county=song', allowed: EVERYONE(200) },
  'GET /funds/:id': { method: 'GET', url: (i) => `/funds/${i.fund}`, allowed: EVERYONE(200) },
  'GET /funds/totals': { method: 'GET', url: () => '/funds/totals?county=song&by=source', allowed: EVERYONE(200) },
  'GET /audit/fund/:id': { method: 'GET', url: (i) => `/audit/fund/${i.fund}`, allowed: EVERYONE(200) },
  // No payment was made in the matrix: past the gate, the trail is empty (404).
  'GET /audit/payment/:id': { method: 'GET', url: (i) => `/audit/payment/${i.project}:p1`, allowed: EVERYONE(404) },
  'GET /payments': { method: 'GET', url: (i) => `/payments?county=song&fund=${i.fund}`, allowed: EVERYONE(200) },
  'GET /anomalies': { method: 'GET', url: () => '/anomalies?county=song&kind=over-allocation', allowed: EVERYONE(200) },
  'POST /projects': {
    method: 'POST',
    url: () => '/projects',
    body: (_, n) => ({ countyId: 'song', category: 'water', name: `矩阵项目 ${n}`, budget: '10万', fiscalYear: 2016, villageRecord: VILLAGE_RECORD }),
    allowed: { 'township-official': 201, 'work-team': 201, 'county-official': 201 },
  },
  'POST /funds': {
    method: 'POST',
    url: () => '/funds',
    body: (_, n) => ({
      fundId: `fund-song-2016-mx${n}`,
      source: 'county',
      fiscalYear: 2016,
      countyId: 'song',
      documentNumber: `嵩财〔2016〕${n}号`,
      amount: '1万',
      earmark: ['water'],
    }),
    allowed: { 'county-finance': 201, 'city-poverty-office': 201 },
  },
  'POST /projects/:id/funding': {
    method: 'POST',
    url: (i) => `/projects/${i.project}/funding`,
    body: (i) => ({ fundId: i.fund, amount: '1万' }),
    allowed: { 'county-official': 409, 'county-finance': 409 },
  },
  'POST /projects/:id/payments': {
    method: 'POST',
    url: (i) => `/projects/${i.project}/payments`,
    body: (i) => ({ fundId: i.fund, allocationId: 'alloc-none', milestone: 'advance', payee: 'payee-song-01', amount: '1万', use: 'road-works' }),
    allowed: { 'county-finance': 409 },
  },
  // The matrix fund's own commands. Roles run in ROLES order, so county finance freezes (200) and the
  // city office, let through the gate, finds it frozen (409); the unfreeze row undoes it the same way.
  // 统筹整合: the county finance bureau records its county's 整合方案 once a year; the matrix's is 2020's.
  'POST /integration-plans': {
    method: 'POST',
    url: () => '/integration-plans',
    body: () => ({
      countyId: 'song',
      year: 2020,
      documentNumber: '嵩政〔2020〕矩阵',
      adoptedOn: '2020-03-01',
      channels: [{ channel: 'water-development', amount: '1万' }],
      total: '1万',
    }),
    allowed: { 'county-finance': 201 },
  },
  'GET /integration-plans/:countyId/:year': { method: 'GET', url: () => '/integration-plans/song/2019', allowed: EVERYONE(404) },
  'POST /funds/:id/returns': {
    method: 'POST',
    url: (i) => `/funds/${i.fund}/returns`,
    body: (_, n) => ({ amount: '1元', reason: `矩阵收回 ${n}` }),
    allowed: { 'county-finance': 200 },
  },
  'POST /funds/:id/freeze': {
    method: 'POST',
    url: (i) => `/funds/${i.fund}/freeze`,
    body: (_, n) => ({ reason: `矩阵冻结 ${n}` }),
    allowed: { 'county-finance': 200, 'city-poverty-office': 409 },
  },
  'POST /funds/:id/unfreeze': {
    method: 'POST',
    url: (i) => `/funds/${i.fund}/unfreeze`,
    body: (_, n) => ({ reason: `矩阵解冻 ${n}` }),
    allowed: { 'county-finance': 200, 'city-poverty-office': 409 },
  },
  // No such project: past the gate, Temporal has no workflow to cancel (404).
  'POST /projects/:id/cancel': {
    method: 'POST',
    url: () => '/projects/prj-song-2016-matrixnone/cancel',
    body: () => ({ reason: '矩阵取消' }),
    allowed: { 'county-official': 404 },
  },
  'GET /progress': { method: 'GET', url: () => '/progress?county=song&year=2016', allowed: EVERYONE(200) },
  'GET /households/:id': { method: 'GET', url: () => '/households/hh-song-none', allowed: EVERYONE(404) },
  'POST /registry/households': {
    method: 'POST',
    url: () => '/registry/households',
    body: (_, n) => householdBody(`vil-song-m${RUN}`, 900 + n),
    allowed: { 'township-official': 201, 'work-team': 201, 'county-official': 201 },
  },
  'POST /registry/imports': {
    method: 'POST',
    url: () => '/registry/imports',
    body: (_, n) => ({ households: [household(`vil-song-i${RUN}`, 950 + n)] }),
    allowed: { 'township-official': 201, 'work-team': 201, 'county-official': 201 },
  },
  'POST /registry/villages': { method: 'POST', url: () => '/registry/villages', body: (_, n) => ({ villageId: `vil-song-r${RUN}${n}` }), allowed: { 'county-official': 201 } },
  'POST /exits/records': {
    method: 'POST',
    url: () => '/exits/records',
    body: () => ({ records: [aboveLine('hh-song-none')] }),
    allowed: { 'township-official': 200, 'work-team': 200, 'county-official': 200 },
  },
  // Starts a round of a village with no households: it closes at once. A fresh village per run and case keeps runs apart on the shared Temporal server.
  'POST /exit-rounds': {
    method: 'POST',
    url: () => '/exit-rounds',
    body: (_, n) => ({ villageId: `vil-song-e${RUN}${n}`, year: 2016 }),
    allowed: { 'township-official': 201, 'work-team': 201 },
  },
  'POST /exit-rounds/:villageId/:year/steps': {
    method: 'POST',
    url: () => `/exit-rounds/vil-song-none${RUN}/2016/steps`,
    body: () => ({ type: 'announce' }),
    allowed: { 'county-official': 404 },
  },
  'GET /exit-rounds/:villageId/:year': { method: 'GET', url: () => `/exit-rounds/vil-song-none${RUN}/2016`, allowed: EVERYONE(404) },
  // The village is not registered: refused for its state (409) after the API's gate let the township through.
  'POST /village-exits': {
    method: 'POST',
    url: () => '/village-exits',
    body: () => ({ villageId: `vil-song-none${RUN}`, year: 2016, ruralPopulation: 100, checklist: [{ item: 'broadband', result: 'met', evidenceRef: 'ev' }] }),
    allowed: { 'township-official': 409 },
  },
  'POST /village-exits/:villageId/:year/steps': {
    method: 'POST',
    url: () => `/village-exits/vil-song-none${RUN}/2016/steps`,
    body: () => ({ type: 'review', approved: true }),
    allowed: { 'county-official': 404 },
  },
  'GET /village-exits/:villageId/:year': { method: 'GET', url: () => `/village-exits/vil-song-none${RUN}/2016`, allowed: EVERYONE(404) },
  // 嵩县 has exited no village: its application is blocked at once and the process ends.
  'POST /county-exits': {
    method: 'POST',
    url: () => '/county-exits',
    body: () => ({ countyId: 'song', year: 2016, ruralPopulation: 400_000, nonRegisteredHouseholds: 1_000 }),
    allowed: { 'county-official': 201 },
  },
  'POST /county-exits/:countyId/:year/steps': {
    method: 'POST',
    url: () => '/county-exits/song/2020/steps',
    body: () => ({ type: 'cityPreCheck', passed: true }),
    allowed: { 'city-poverty-office': 404 },
  },
  'GET /county-exits/:countyId/:year': { method: 'GET', url: () => '/county-exits/song/2020', allowed: EVERYONE(404) },
  'POST /return-reviews': {
    method: 'POST',
    url: () => '/return-reviews',
    body: (_, n) => ({ householdId: `hh-song-none${RUN}${n}`, year: 2017 }),
    allowed: { 'township-official': 201, 'work-team': 201, 'county-official': 201 },
  },
  'POST /return-reviews/:householdId/:year/steps': {
    method: 'POST',
    url: () => `/return-reviews/hh-song-none${RUN}/2017/steps`,
    body: () => ({ type: 'decide', returnsToPoverty: false, reason: 'x' }),
    allowed: { 'county-official': 404 },
  },
  'GET /return-reviews/:householdId/:year': { method: 'GET', url: () => `/return-reviews/hh-song-none${RUN}/2017`, allowed: EVERYONE(404) },
  'POST /projects/:id/steps': { method: 'POST', url: (i) => `/projects/${i.project}/steps`, body: () => ({ type: 'EnterLibrary', data: {} }), allowed: { 'county-official': 409 } },
};

const actorFor = (role: Role, scope: Scope): Actor => ({
  userId: `${role}.${scope}`,
  role,
  ...(COUNTY_SCOPED_ROLES.includes(role) ? { countyId: scope === 'in' ? 'song' : 'luanchuan' } : {}),
});

const MATRIX = Object.entries(TABLE).flatMap(([endpoint, c]) =>
  ROLES.flatMap((role) =>
    (COUNTY_SCOPED_ROLES.includes(role) ? (['in', 'out'] as const) : (['in'] as const)).map((scope) => ({
      endpoint,
      role,
      scope,
      expected: scope === 'out' ? 403 : (c.allowed[role] ?? 403),
    })),
  ),
);

describe('the HTTP API: who may do what, and the fund trail that proves it', () => {
  let stack: TestStack;
  let api: TestApi;
  const ids = { project: '', fund: 'fund-song-2016-matrix' };
  const FINANCE: Actor = { userId: 'qian.li', role: 'county-finance', countyId: 'song' };

  beforeAll(async () => {
    stack = await startTestStack('api-access');
    api = await startTestApi(stack);
    const h = await startProject(stack);
    ids.project = h.workflowId.replace(/^project-/, '');
    const f = await api.app.inject({
      method: 'POST',
      url: '/funds',
      headers: await api.bearer(FINANCE),
      payload: { fundId: ids.fund, source: 'central', fiscalYear: 2016, countyId: 'song', documentNumber: '财农〔2016〕1号', amount: '100万', earmark: ['transport'] },
    });
    expect(f.statusCode).toBe(201);
    // The read model follows the store: wait until the projector has seen the fund.
    await until(`${ids.fund} in fund_balances`, () => stack.db.appDb.selectFrom('fund_balances').select('fund_id').where('fund_id', '=', ids.fund).executeTakeFirst(), {
      intervalMs: 100,
    });
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  let n = 0;
  /** The projects the matrix proposed: each workflow records its proposal after the 201, in its own time. */
  const proposed: string[] = [];
  it.each(MATRIX)('$endpoint as $role (county: $scope) → $expected', async ({ endpoint, role, scope, expected }) => {
    const c = TABLE[endpoint]!;
    n++;
    // Funding and payments require an Idempotency-Key: every request of the matrix is its own.
    const key = /\/(funding|payments)$/.test(c.url(ids)) ? { 'idempotency-key': `matrix-${n}` } : {};
    const r = await api.app.inject({
      method: c.method,
      url: c.url(ids),
      headers: { ...(await api.bearer(actorFor(role, scope))), ...key },
      ...(c.body ? { payload: c.body(ids, n) } : {}),
    });
    expect({ status: r.statusCode, body: r.statusCode === expected ? undefined : r.body }).toEqual({ status: expected, body: undefined });
    if (endpoint === 'POST /projects' && r.statusCode === 201) proposed.push(r.json<{ projectId: string }>().projectId);
    if (expected === 403) expect(r.json<{ code: string }>().code).toMatch(/^ACCESS_/);
    if (expected === 409) expect(r.json<{ zh: string; en: string }>()).toEqual(expect.objectContaining({ zh: expect.any(String), en: expect.any(String) }));
  });

  it('lists projects in keyset pages: every row once, in project id order, filters applied', async () => {
    const headers = await api.bearer({ userId: 'audit.1', role: 'auditor' });
    // Every project this file started in the read model first: one arriving while the pages are read (behind the page
    // reached, or after the last) would be in the table and not in the pages.
    const all = [ids.project, ...proposed];
    await until(`the ${all.length} projects in project_summary`, () => stack.db.appDb.selectFrom('project_summary').select('project_id').where('project_id', 'in', all).execute(), {
      ok: (rows) => rows.length === all.length,
      intervalMs: 100,
    });
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const r: Awaited<ReturnType<typeof api.app.inject>> = await api.app.inject({
        method: 'GET',
        url: '/projects',
        query: { county: 'song', limit: '2', ...(after ? { after } : {}) },
        headers,
      });
      expect(r.statusCode).toBe(200);
      const page: { items: { projectId: string; countyId: string }[]; next: string | null } = r.json<{ items: { projectId: string; countyId: string }[]; next: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const p of page.items) expect(p.countyId).toBe('song');
      seen.push(...page.items.map((p) => p.projectId));
      after = page.next;
    } while (after);
    const rows = await stack.db.appDb.selectFrom('project_summary').select('project_id').where('county_id', '=', 'song').orderBy('project_id').execute();
    expect(seen).toEqual(rows.map((r) => r.project_id));
    const none = await api.app.inject({ method: 'GET', url: '/projects', query: { county: 'song', category: 'education', year: '2016' }, headers });
    expect(none.json()).toEqual({ items: [], next: null });
  });

  it('a fund split across two projects reconciles to the fen, a repeated request moves nothing twice, and a tampered event breaks its proof', async () => {
    const fundId = 'fund-song-2016-split';
    const headers = await api.bearer(FINANCE);
    const created = await api.app.inject({
      method: 'POST',
      url: '/funds',
      headers,
      payload: { fundId, source: 'central', fiscalYear: 2016, countyId: 'song', documentNumber: '财农〔2016〕7号', amount: '200.01万', earmark: ['transport'] },
    });
    expect(created.statusCode).toBe(201);
    const again = await api.app.inject({
      method: 'POST',
      url: '/funds',
      headers,
      payload: { fundId, source: 'central', fiscalYear: 2016, countyId: 'song', documentNumber: '财农〔2016〕7号', amount: '200.01万', earmark: ['transport'] },
    });
    expect(again.json()).toMatchObject({ repeated: true, position: created.json<{ position: number }>().position });

    const [a, b] = await Promise.all([startProject(stack), startProject(stack)]);
    await Promise.all([toLibrary(a!), toLibrary(b!)]);
    const fund = async (h: typeof a, amount: string, key: string) =>
      api.app.inject({
        method: 'POST',
        url: `/projects/${h!.workflowId.replace(/^project-/, '')}/funding`,
        headers: { ...headers, 'idempotency-key': key },
        payload: { fundId, amount },
      });
    const first = await fund(a, '63.27万', 'fund-a-1');
    expect(first.statusCode).toBe(200);
    expect((await fund(a, '63.27万', 'fund-a-1')).json()).toEqual(first.json());
    expect((await fund(b, '41.7312万', 'fund-b-1')).statusCode).toBe(200);

    const trail = (await api.app.inject({ method: 'GET', url: `/audit/fund/${fundId}`, headers })).json<{
      verified: boolean;
      entries: {
        type: string;
        position: number;
        eventId: string;
        streamId: string;
        data: { amount?: number };
        proof: { status: string; reason?: string };
        businessDate: string;
        workflowId: string | null;
      }[];
    }>();
    expect(trail.verified).toBe(true);
    const positions = trail.entries.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    const sum = (type: string) => trail.entries.filter((e) => e.type === type).reduce((s, e) => s + (e.data.amount ?? 0), 0);
    expect(sum('FundAppropriated')).toBe(200_010_000);
    expect(trail.entries.filter((e) => e.type === 'FundAllocated')).toHaveLength(2);
    expect(sum('FundAllocated')).toBe(63_270_000 + 41_731_200);
    expect(trail.entries.find((e) => e.type === 'FundAllocated')?.workflowId).toMatch(/^project-/);

    // The read model, once caught up, says the same to the fen.
    const last = positions[positions.length - 1]!;
    const funded = trail.entries.filter((e) => e.streamId === `fund-${fundId}`).at(-1)!.position;
    const read = async () => {
      const r = await api.app.inject({ method: 'GET', url: `/funds/${fundId}`, headers });
      return { status: r.statusCode, balance: r.json<{ availableFen: number; allocatedUnpaidFen: number; appropriatedFen: number; lastEventPosition: number }>() };
    };
    const { balance } = await until(`the read model of ${fundId} at ${funded}`, read, { ok: (x) => x.status === 200 && x.balance.lastEventPosition >= funded, intervalMs: 100 });
    expect(balance).toMatchObject({ appropriatedFen: 200_010_000, allocatedUnpaidFen: 105_001_200, availableFen: 200_010_000 - 105_001_200 });
    expect(last).toBeGreaterThan(0);

    const csv = await api.app.inject({ method: 'GET', url: `/audit/fund/${fundId}?format=csv`, headers });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.startsWith('\uFEFFposition,streamId,')).toBe(true);
    expect(csv.body.trim().split('\r\n')).toHaveLength(trail.entries.length + 1);

    // As the owner, triggers off: the one way past the append-only guard.
    const allocated = trail.entries.find((e) => e.type === 'FundAllocated')!;
    await asSuperuser(stack.db.adminDb, async (c) => {
      await sql`UPDATE events SET data = jsonb_set(data, '{amount}', '1') WHERE event_id = ${allocated.eventId}`.execute(c);
    });
    const tampered = (await api.app.inject({ method: 'GET', url: `/audit/fund/${fundId}`, headers })).json<typeof trail>();
    expect(tampered.verified).toBe(false);
    const byId = new Map(tampered.entries.map((e) => [e.eventId, e]));
    expect(byId.get(allocated.eventId)?.proof).toMatchObject({ status: 'broken', reason: 'hash-mismatch' });
    for (const e of tampered.entries) {
      if (e.streamId !== allocated.streamId || e.position < allocated.position) expect(e.proof.status).toBe('verified');
      else if (e.eventId !== allocated.eventId) expect(e.proof).toMatchObject({ status: 'broken', reason: 'after-broken-link' });
    }
  });
});
