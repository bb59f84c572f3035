import { sql } from 'kysely';
import type { Actor } from '../domain/shared/actor';
import { formatYuan, type Fen } from '../domain/shared/money';
import { readStream } from '../infra/eventstore';
import { waitForProposal } from '../cli/commands/project-path';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import { APPROVER, CONTRACTOR, FINANCE, startConstruction, startProject, toLibrary, VILLAGE_RECORD } from './support/project-walk';

const WAN = 1_000_000;
const CITY: Actor = { userId: 'city.office.1', role: 'city-poverty-office' };
const LUANCHUAN_FINANCE: Actor = { userId: 'fin.luanchuan', role: 'county-finance', countyId: 'luanchuan' };

interface Balance {
  fundId: string;
  appropriatedFen: number;
  availableFen: number;
  allocatedUnpaidFen: number;
  paidFen: number;
  returnedFen: number;
  frozen: boolean;
  lastEventPosition: number;
}
interface Outcome {
  fundId: string;
  eventId: string;
  type: string;
  position: number;
  streamVersion: number;
  repeated: boolean;
}
interface Trail {
  verified: boolean;
  entries: { type: string; streamId: string; eventId: string; position: number; userId: string; data: { amount?: number; reason?: string } }[];
}

describe('the HTTP API: freezing, unfreezing and returning a fund, cancelling a project, and keys that name one request', () => {
  let stack: TestStack;
  let api: TestApi;
  let suffix = 0;

  beforeAll(async () => {
    stack = await startTestStack('api-fund-cmds');
    api = await startTestApi(stack);
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  let keys = 0;
  // Funding and payments require an Idempotency-Key: each call here is a new request unless it names one.
  const post = async (actor: Actor, url: string, payload: unknown, key = /\/(funding|payments)$/.test(url) ? `k-${++keys}` : undefined) =>
    api.app.inject({ method: 'POST', url, headers: { ...(await api.bearer(actor)), ...(key ? { 'idempotency-key': key } : {}) }, payload: payload as Record<string, unknown> });

  const newFund = async (amount: string, earmark: string[] = ['transport']): Promise<string> => {
    const fundId = `fund-song-2016-cmd${(suffix++).toString().padStart(2, '0')}`;
    const r = await post(FINANCE, '/funds', { fundId, source: 'central', fiscalYear: 2016, countyId: 'song', documentNumber: `豫财农〔2016〕${suffix}号`, amount, earmark });
    expect(r.statusCode).toBe(201);
    return fundId;
  };

  /**
   * The books' events: funds, projects, everything but the record of refused attempts (a refused
   * Update may be recorded as CommandRefused in its county's refusals stream; that moves no money).
   */
  const bookEvents = async (): Promise<number> => {
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM events WHERE stream_id NOT LIKE 'refusals-%'`.execute(stack.db.appDb);
    return Number(rows[0]!.n);
  };

  const fundEvents = async (fundId: string) => readStream(stack.db.appDb, `fund-${fundId}`);

  /** The read model once the projector has caught up with the fund's stream. */
  const balance = async (fundId: string): Promise<Balance> => {
    const last = (await fundEvents(fundId)).at(-1)!.position;
    const headers = await api.bearer({ userId: 'audit.1', role: 'auditor' });
    const read = async () => {
      const r = await api.app.inject({ method: 'GET', url: `/funds/${fundId}`, headers });
      return { status: r.statusCode, balance: r.json<Balance>() };
    };
    return (await until(`fund_balances at position ${last} for ${fundId}`, read, { ok: (x) => x.status === 200 && x.balance.lastEventPosition >= last, intervalMs: 100 })).balance;
  };

  const trail = async (fundId: string): Promise<Trail> => (await api.app.inject({ method: 'GET', url: `/audit/fund/${fundId}`, headers: await api.bearer(FINANCE) })).json<Trail>();

  const keyRows = async (key: string) =>
    stack.db.appDb
      .withTables<{ idempotency_keys: { user_id: string; key: string; fingerprint: string } }>()
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('key', '=', key)
      .execute();

  it('a frozen fund refuses a project its money (409 FUND_FROZEN, nothing moved); unfrozen, the same request goes through', async () => {
    const fundId = await newFund('100万');
    const h = await startProject(stack);
    await toLibrary(h);
    const projectId = h.workflowId.replace(/^project-/, '');

    const frozen = await post(CITY, `/funds/${fundId}/freeze`, { reason: '审计发现虚报冒领线索，暂停拨付' });
    expect(frozen.statusCode).toBe(200);
    expect(frozen.json()).toMatchObject({ fundId, type: 'FundFrozen', repeated: false });
    expect(await balance(fundId)).toMatchObject({ frozen: true, availableFen: 100 * WAN });

    const before = await bookEvents();
    const refused = await post(FINANCE, `/projects/${projectId}/funding`, { fundId, amount: '63.27万' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'FUND_FROZEN', zh: expect.stringContaining('冻结'), en: expect.stringContaining('frozen') });
    expect(await bookEvents()).toBe(before);

    // A second freeze under another key is the fund's state speaking: 409.
    const twice = await post(FINANCE, `/funds/${fundId}/freeze`, { reason: '再次冻结' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'FUND_ALREADY_FROZEN' });

    const unfrozen = await post(FINANCE, `/funds/${fundId}/unfreeze`, { reason: '核查完毕，恢复拨付' });
    expect(unfrozen.statusCode).toBe(200);
    expect(unfrozen.json()).toMatchObject({ type: 'FundUnfrozen', streamVersion: 3 });
    const funded = await post(FINANCE, `/projects/${projectId}/funding`, { fundId, amount: '63.27万' });
    expect(funded.statusCode).toBe(200);
    expect(await balance(fundId)).toMatchObject({ frozen: false, availableFen: 100 * WAN - 63_270_000, allocatedUnpaidFen: 63_270_000 });

    const notFrozen = await post(FINANCE, `/funds/${fundId}/unfreeze`, { reason: '再解冻' });
    expect(notFrozen.statusCode).toBe(409);
    expect(notFrozen.json()).toMatchObject({ code: 'FUND_NOT_FROZEN' });
    expect((await fundEvents(fundId)).map((e) => e.type)).toEqual(['FundAppropriated', 'FundFrozen', 'FundUnfrozen', 'FundAllocated']);
    await post(APPROVER, `/projects/${projectId}/cancel`, { reason: '测试结束' });
  });

  it('a return lowers the available balance and reconciles to the fen with the read model and the audit trail', async () => {
    const fundId = await newFund('200.01万');
    const r = await post(FINANCE, `/funds/${fundId}/returns`, { amount: '12.3456万', reason: '项目结余，按规定收回' }, 'ret-1');
    expect(r.statusCode).toBe(200);
    const outcome = r.json<Outcome>();
    expect(outcome).toMatchObject({ fundId, type: 'FundReturned', streamVersion: 2, repeated: false });
    const r2 = await post(FINANCE, `/funds/${fundId}/returns`, { amount: '0.01元', reason: '尾差收回' });
    expect(r2.statusCode).toBe(200);

    const b = await balance(fundId);
    expect(b).toMatchObject({ appropriatedFen: 200_010_000, returnedFen: 12_345_601, availableFen: 200_010_000 - 12_345_601, allocatedUnpaidFen: 0, paidFen: 0 });
    expect(b.appropriatedFen).toBe(b.availableFen + b.allocatedUnpaidFen + b.paidFen + b.returnedFen);

    const t = await trail(fundId);
    expect(t.verified).toBe(true);
    const returned = t.entries.filter((e) => e.type === 'FundReturned');
    expect(returned.map((e) => e.data.amount)).toEqual([12_345_600, 1]);
    expect(returned[0]).toMatchObject({ eventId: outcome.eventId, position: outcome.position, userId: FINANCE.userId, data: { reason: '项目结余，按规定收回' } });

    // More than is available is the fund's state (409); nothing is a bad request (422); both write nothing.
    const before = await bookEvents();
    const tooMuch = await post(FINANCE, `/funds/${fundId}/returns`, { amount: formatYuan(200_010_000 - 12_345_601 + 1), reason: '超额收回' });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json()).toMatchObject({
      code: 'FUND_INSUFFICIENT',
      details: { asked: '1,876,644.00元', askedFen: 187_664_400, available: '1,876,643.99元', availableFen: 187_664_399 },
    });
    const nothing = await post(FINANCE, `/funds/${fundId}/returns`, { amount: '0元', reason: '零' });
    expect(nothing.statusCode).toBe(422);
    expect(nothing.json()).toMatchObject({ code: 'FUND_AMOUNT_NOT_POSITIVE', zh: expect.any(String), en: expect.any(String) });
    expect(await bookEvents()).toBe(before);

    const missing = await post(FINANCE, '/funds/fund-song-2016-nosuch/freeze', { reason: '无此资金' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'FUND_NOT_FOUND' });
  });

  it('the same key and the same freeze is answered with the first event; the same key with another body is 422 and writes nothing', async () => {
    const fundId = await newFund('50万');
    const first = await post(FINANCE, `/funds/${fundId}/freeze`, { reason: '专项检查' }, 'frz-1');
    expect(first.statusCode).toBe(200);
    const again = await post(FINANCE, `/funds/${fundId}/freeze`, { reason: '专项检查' }, 'frz-1');
    expect(again.statusCode).toBe(200);
    const { repeated: r1, ...a } = first.json<Outcome>();
    const { repeated: r2, ...b } = again.json<Outcome>();
    expect([r1, r2]).toEqual([false, true]);
    expect(b).toEqual(a);
    // The body's requestId is the same key as the header.
    const inBody = await post(FINANCE, `/funds/${fundId}/freeze`, { reason: '专项检查', requestId: 'frz-1' });
    expect(inBody.json<Outcome>()).toMatchObject({ ...a, repeated: true });
    expect((await fundEvents(fundId)).filter((e) => e.type === 'FundFrozen')).toHaveLength(1);

    const before = await bookEvents();
    for (const [url, body] of [
      [`/funds/${fundId}/freeze`, { reason: '另一个理由' }],
      [`/funds/${fundId}/unfreeze`, { reason: '专项检查' }],
      [`/funds/${fundId}/returns`, { reason: '专项检查', amount: '1万' }],
    ] as const) {
      const reused = await post(FINANCE, url, body, 'frz-1');
      expect(reused.statusCode).toBe(422);
      expect(reused.json()).toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        zh: expect.stringContaining('frz-1'),
        en: expect.stringContaining('frz-1'),
        details: { key: 'frz-1', route: '/funds/:id/freeze' },
      });
    }
    const reusedInBody = await post(FINANCE, `/funds/${fundId}/freeze`, { reason: '另一个理由', requestId: 'frz-1' });
    expect(reusedInBody.statusCode).toBe(422);
    expect(await bookEvents()).toBe(before);
    // A key is the user's: another user may use the same one for another request.
    const city = await post(CITY, `/funds/${fundId}/unfreeze`, { reason: '市扶贫办解冻' }, 'frz-1');
    expect(city.statusCode).toBe(200);
    expect((await keyRows('frz-1')).map((r) => r.user_id).sort()).toEqual([CITY.userId, FINANCE.userId]);
    // The application may record a key and read it, never rewrite or forget it.
    await expect(sql`UPDATE idempotency_keys SET fingerprint = 'x'`.execute(stack.db.appDb)).rejects.toThrow(/permission denied/);
    await expect(sql`DELETE FROM idempotency_keys`.execute(stack.db.appDb)).rejects.toThrow(/permission denied/);
  });

  it('two different requests racing under one key: exactly one is recorded, the other is 422', async () => {
    const fundId = await newFund('5万');
    const [a, b] = await Promise.all([
      post(FINANCE, `/funds/${fundId}/returns`, { amount: '1万', reason: '甲' }, 'race-1'),
      post(FINANCE, `/funds/${fundId}/returns`, { amount: '2万', reason: '乙' }, 'race-1'),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 422]);
    const returned = (await fundEvents(fundId)).filter((e) => e.type === 'FundReturned');
    expect(returned).toHaveLength(1);
    expect((a.statusCode === 200 ? a : b).json<Outcome>().eventId).toBe(returned[0]!.eventId);
  });

  it('POST /projects: the same key with a different proposal is 422 and starts nothing (it used to be answered with the first project)', async () => {
    const official: Actor = { userId: 'li.ming', role: 'county-official', countyId: 'song' };
    const key = `propose-${Date.now().toString(36)}`;
    const proposal = {
      countyId: 'song',
      category: 'transport',
      name: '车村镇通村道路硬化',
      budget: '105万',
      fiscalYear: 2016,
      villageRecord: VILLAGE_RECORD,
      subsidyBases: [{ standard: 'village-road-renovation', quantity: 3000 }],
    };
    const first = await post(official, '/projects', proposal, key);
    expect({ status: first.statusCode, body: first.statusCode === 201 ? undefined : first.json<unknown>() }).toEqual({ status: 201, body: undefined });
    const { projectId } = first.json<{ projectId: string }>();
    // Same request again, with the amount written another way: the same request.
    expect((await post(official, '/projects', { ...proposal, budget: '1050000元' }, key)).json()).toMatchObject({ projectId, repeated: true });
    await waitForProposal(stack.client, stack.db.appDb, projectId);
    const runId = first.json<{ runId: string }>().runId;
    const before = await bookEvents();
    const other = await post(official, '/projects', { ...proposal, name: '另一个项目', budget: '20万' }, key);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { key, route: '/projects' } });
    expect(await bookEvents()).toBe(before);
    expect((await stack.client.workflow.getHandle(`project-${projectId}`).describe()).runId).toBe(runId);
    await post(APPROVER, `/projects/${projectId}/cancel`, { reason: '测试结束' });
  });

  it("a proposal the domain refuses before anything is sent answers 422 with its code (the API's 422 path)", async () => {
    const official: Actor = { userId: 'li.ming', role: 'county-official', countyId: 'song' };
    const before = await bookEvents();
    const zero = await post(official, '/projects', {
      countyId: 'song',
      category: 'transport',
      name: '零预算',
      budget: '0元',
      fiscalYear: 2016,
      villageRecord: VILLAGE_RECORD,
      subsidyBases: [{ standard: 'village-road-renovation', quantity: 3000 }],
    });
    expect(zero.statusCode).toBe(422);
    expect(zero.json()).toMatchObject({ code: 'PROJECT_AMOUNT_NOT_POSITIVE', zh: expect.any(String), en: expect.any(String) });
    const outOfOrder = await post(official, '/projects', {
      countyId: 'song',
      category: 'water',
      name: '顺序颠倒',
      budget: '10万',
      fiscalYear: 2016,
      villageRecord: { ...VILLAGE_RECORD, villagersResolvedOn: '2016-02-01' },
    });
    expect(outOfOrder.statusCode).toBe(422);
    expect(outOfOrder.json()).toMatchObject({ code: 'PROJECT_VILLAGE_RECORD_OUT_OF_ORDER' });
    expect(await bookEvents()).toBe(before);
  });

  it('cancelling over HTTP gives back what the allocations have not paid, to the fen; paid money stays paid', async () => {
    const fundId = await newFund('100万');
    // Budget and contract of 63.2701万, all of it from this fund: construction starts once the budget is funded.
    const h = await startProject(stack, { budget: 63_270_100 as Fen });
    await toLibrary(h);
    const projectId = h.workflowId.replace(/^project-/, '');
    const funded = await post(FINANCE, `/projects/${projectId}/funding`, { fundId, amount: '63.2701万' });
    expect(funded.statusCode).toBe(200);
    const { allocationId } = funded.json<{ allocationId: string }>();
    await startConstruction(h, 63_270_100);
    const paid = await post(FINANCE, `/projects/${projectId}/payments`, { fundId, allocationId, milestone: 'advance', payee: CONTRACTOR, amount: '10.0001万', use: 'road-works' });
    expect(paid.statusCode).toBe(200);

    // Out of county and the wrong role are refused before anything is sent.
    expect((await post({ userId: 'off.luanchuan', role: 'county-official', countyId: 'luanchuan' }, `/projects/${projectId}/cancel`, { reason: '越权' })).statusCode).toBe(403);
    expect((await post(FINANCE, `/projects/${projectId}/cancel`, { reason: '越权' })).json()).toMatchObject({ code: 'ACCESS_ROLE_NOT_ALLOWED' });

    const cancelled = await post(APPROVER, `/projects/${projectId}/cancel`, { reason: '规划调整，项目取消' }, 'cancel-1');
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ stage: 'cancelled' });
    const again = await post(APPROVER, `/projects/${projectId}/cancel`, { reason: '规划调整，项目取消' }, 'cancel-1');
    expect(again.json()).toEqual(cancelled.json());

    const b = await balance(fundId);
    expect(b).toMatchObject({ appropriatedFen: 100 * WAN, paidFen: 10_000_100, allocatedUnpaidFen: 0, availableFen: 100 * WAN - 10_000_100, returnedFen: 0 });
    const released = (await trail(fundId)).entries.filter((e) => e.type === 'FundAllocationReleased');
    expect(released.map((e) => e.data.amount)).toEqual([63_270_100 - 10_000_100]);
    expect((await h.result()).status).toBe('cancelled');
  });

  it('every new endpoint refuses a token of another county with 403 before anything is written', async () => {
    const fundId = await newFund('10万');
    const h = await startProject(stack);
    const projectId = h.workflowId.replace(/^project-/, '');
    await waitForProposal(stack.client, stack.db.appDb, projectId);
    const before = await bookEvents();
    for (const [url, body] of [
      [`/funds/${fundId}/freeze`, { reason: '越权冻结' }],
      [`/funds/${fundId}/unfreeze`, { reason: '越权解冻' }],
      [`/funds/${fundId}/returns`, { reason: '越权收回', amount: '1万' }],
      [`/projects/${projectId}/cancel`, { reason: '越权取消' }],
    ] as const) {
      const actor: Actor = url.startsWith('/projects') ? { userId: 'off.luanchuan', role: 'county-official', countyId: 'luanchuan' } : LUANCHUAN_FINANCE;
      const r = await post(actor, url, body);
      expect({ url, status: r.statusCode, code: r.json<{ code: string }>().code }).toEqual({ url, status: 403, code: 'ACCESS_OUT_OF_COUNTY' });
    }
    // The city office may freeze but never return money.
    expect((await post(CITY, `/funds/${fundId}/returns`, { reason: '市级收回', amount: '1万' })).json()).toMatchObject({ code: 'ACCESS_ROLE_NOT_ALLOWED' });
    expect(await bookEvents()).toBe(before);
    await post(APPROVER, `/projects/${projectId}/cancel`, { reason: '测试结束' });
  });

  it.each([
    ['an unknown field', '/funds/fund-song-2016-cmd00/freeze', { reason: '冻结', by: 'someone.else' }, 'body'],
    ['a missing reason', '/funds/fund-song-2016-cmd00/unfreeze', {}, 'body.reason'],
    ['an empty reason', '/funds/fund-song-2016-cmd00/freeze', { reason: '   ' }, 'body.reason'],
    ['a NUL in the reason', '/funds/fund-song-2016-cmd00/freeze', { reason: 'a\u0000b' }, 'body.reason'],
    ['an amount people cannot mean', '/funds/fund-song-2016-cmd00/returns', { reason: '收回', amount: '一百万' }, 'body.amount'],
    ['a negative amount', '/funds/fund-song-2016-cmd00/returns', { reason: '收回', amount: -1 }, 'body.amount'],
    ['an amount on a freeze', '/funds/fund-song-2016-cmd00/freeze', { reason: '冻结', amount: '1万' }, 'body'],
    ['a bad fund id', '/funds/song-fund/freeze', { reason: '冻结' }, 'params.id'],
    ['a bad request id', '/funds/fund-song-2016-cmd00/freeze', { reason: '冻结', requestId: 'has space' }, 'body.requestId'],
    ['a cancel without a reason', '/projects/prj-song-2016-abcd/cancel', { requestId: 'c-1' }, 'body.reason'],
    ['a cancel with an unknown field', '/projects/prj-song-2016-abcd/cancel', { reason: '取消', releases: [] }, 'body'],
  ] as const)('answers 400 naming the field for %s, and writes nothing', async (_, url, payload, field) => {
    const before = await bookEvents();
    const r = await post(url.startsWith('/projects') ? APPROVER : FINANCE, url, payload);
    expect(r.statusCode).toBe(400);
    expect(r.json<{ code: string; issues: { field: string }[] }>().code).toBe('INVALID_INPUT');
    expect(
      r
        .json<{ issues: { field: string }[] }>()
        .issues.map((i) => i.field)
        .join(' '),
    ).toContain(field);
    expect(await bookEvents()).toBe(before);
  });

  it('a malformed Idempotency-Key header is 400 naming the header', async () => {
    const r = await api.app.inject({
      method: 'POST',
      url: '/funds/fund-song-2016-cmd00/freeze',
      headers: { ...(await api.bearer(FINANCE)), 'idempotency-key': 'not ok' },
      payload: { reason: '冻结' },
    });
    expect(r.statusCode).toBe(400);
    expect(
      r
        .json<{ issues: { field: string }[] }>()
        .issues.map((i) => i.field)
        .join(' '),
    ).toContain('idempotency-key');
  });
});
