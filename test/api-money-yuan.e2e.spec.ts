import type { Actor } from '../domain/shared/actor';
import { moneySchema } from '../domain/shared/money';
import { proposeBodySchema } from '../api/schemas/projects';
import { waitForProposal } from '../cli/commands/project-path';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import { APPROVER, CONTRACTOR, FINANCE, startProject, toLibrary, VILLAGE_RECORD } from './support/project-walk';

/**
 * The 嵩县 road example with money written only as officials write it (元 and 万元 strings) and read
 * back only in 元: appropriation, proposal, funding, contract and payment; then the auditor's ledger
 * of the fund, whose CSV opens with the zh headers and whose 金额 column sums to the fund's movements.
 */
describe('one money convention: 元 and 万元 strings in, 元 out', () => {
  let stack: TestStack;
  let api: TestApi;
  beforeAll(async () => {
    stack = await startTestStack('api-money-yuan');
    api = await startTestApi(stack);
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });
  let keys = 0;
  // Funding and payments require an Idempotency-Key: each call is its own request.
  const call = async (actor: Actor, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    api.app.inject({
      method,
      url,
      headers: { ...(await api.bearer(actor)), ...(/\/(funding|payments)$/.test(url) ? { 'idempotency-key': `yuan-${++keys}` } : {}) },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  it('proposes, funds and pays the road with amounts as strings, and reads every amount back in 元', async () => {
    const fundId = `fund-song-2016-yuan${Date.now().toString(36).slice(-5)}`;
    const appropriated = await call(FINANCE, 'POST', '/funds', {
      fundId,
      source: 'central',
      fiscalYear: 2016,
      countyId: 'song',
      documentNumber: '豫财农〔2016〕1号',
      amount: '5,000,000.00元',
      earmark: ['transport'],
    });
    expect(appropriated.statusCode).toBe(201);

    // The proposal as the API parses it (the budget a 万元 string); started with the tests' short notice and warranty.
    const proposal = proposeBodySchema.parse({
      countyId: 'song',
      category: 'transport',
      name: '车村镇通村道路硬化',
      budget: '105万',
      fiscalYear: 2016,
      villageRecord: VILLAGE_RECORD,
    });
    const h = await startProject(stack, { budget: proposal.budget });
    const projectId = h.workflowId.replace(/^project-/, '');
    await waitForProposal(stack.client, stack.db.appDb, projectId);
    await toLibrary(h);

    // A JSON number for an amount is refused, saying how to write it; nothing moves.
    const number = await call(FINANCE, 'POST', `/projects/${projectId}/funding`, { fundId, amount: 1050000 });
    expect(number.statusCode).toBe(400);
    expect(number.json<{ zh: string }>().zh).toContain('“金额”（body.amount）：不接受数字形式的金额；金额须写成字符串');

    const funded = await call(FINANCE, 'POST', `/projects/${projectId}/funding`, { fundId, amount: '105万元' });
    expect(funded.statusCode).toBe(200);
    const { allocationId } = funded.json<{ allocationId: string }>();
    const contract = await call(APPROVER, 'POST', `/projects/${projectId}/steps`, {
      type: 'StartConstruction',
      data: { contractId: 'ctr-song-2016-yuan', contractor: CONTRACTOR, contractAmount: '1,050,000元', advanceBp: 3000, retentionBp: 300, warrantyMonths: 0 },
    });
    expect(contract.statusCode).toBe(200);
    // More than the allocation: refused, the details in 元 beside fen.
    const tooMuch = await call(FINANCE, 'POST', `/projects/${projectId}/payments`, {
      fundId,
      allocationId,
      milestone: 'advance',
      payee: CONTRACTOR,
      amount: '31.500001万',
      use: 'road-works',
    });
    expect([409, 422]).toContain(tooMuch.statusCode);
    expect(tooMuch.json()).toMatchObject({ code: 'PAYMENT_ADVANCE_OUT_OF_RANGE', details: { cap: '315,000.00元', capFen: 31_500_000 } });
    const paid = await call(FINANCE, 'POST', `/projects/${projectId}/payments`, {
      fundId,
      allocationId,
      milestone: 'advance',
      payee: CONTRACTOR,
      amount: '315000',
      use: 'road-works',
    });
    expect(paid.statusCode).toBe(200);
    // The fund's books as the read model holds them, once the projector has caught up with the payment; the ledger
    // below names each movement's source and project from the read models too (fund_balances, project_summary).
    const books = await until(
      'the payment in the fund’s read model',
      async () => (await call(FINANCE, 'GET', `/funds/${fundId}`)).json<{ appropriatedFen: number; allocatedUnpaidFen: number; paidFen: number }>(),
      {
        ok: (b) => b.paidFen === 31_500_000,
      },
    );
    await until('the project in project_summary', () => stack.db.appDb.selectFrom('project_summary').select('name').where('project_id', '=', projectId).executeTakeFirst());

    const detail = await call(APPROVER, 'GET', `/projects/${projectId}`);
    expect(detail.json<{ status: Record<string, unknown> }>().status).toMatchObject({
      stage: 'under-construction',
      stageZh: '实施中',
      budget: '1,050,000.00元',
      funded: '1,050,000.00元',
      paid: '315,000.00元',
      budgetFen: 105_000_000,
    });

    const ledger = await call(FINANCE, 'GET', `/audit/fund/${fundId}/ledger`);
    expect(ledger.statusCode).toBe(200);
    const l = ledger.json<{
      rows: { item: string; amount: string; projectName: string | null; payee: string | null }[];
      totals: Record<string, unknown>;
      reconciled: boolean;
      verified: boolean;
    }>();
    expect(l.rows.map((r) => [r.item, r.amount])).toEqual([
      ['资金下达', '5,000,000.00元'],
      ['资金安排', '1,050,000.00元'],
      ['资金拨付（预付款）', '315,000.00元'],
    ]);
    expect(l.totals).toMatchObject({ paid: '315,000.00元', allocatedUnpaid: '735,000.00元', available: '3,950,000.00元' });
    expect(l).toMatchObject({ reconciled: true, verified: true });
    expect(moneySchema.parse(l.rows[2]!.amount)).toBe(31_500_000);

    // The auditor's CSV: UTF-8 BOM, the zh headers, and the 金额 column summing to the fund's movements exactly.
    const csv = await call(FINANCE, 'GET', `/audit/fund/${fundId}/ledger?format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.startsWith('\uFEFF"时间","事项","金额（元）","资金来源","项目","收款方/农户","经办人","角色","依据政策","存证"')).toBe(true);
    const rows = csv.body
      .slice(1)
      .split('\r\n')
      .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!));
    const column = rows
      .slice(1)
      .map((r) => r[2] ?? '')
      .filter((c) => c !== '');
    const sumFen = column.reduce((s, c) => s + moneySchema.parse(c), 0);
    // Every movement: the appropriation, the allocation (what is still unpaid plus what was paid from it) and the payment.
    expect(sumFen).toBe(books.appropriatedFen + (books.allocatedUnpaidFen + books.paidFen) + books.paidFen);
    expect(rows.find((r) => r[1] === '资金拨付（预付款）')).toEqual(
      expect.arrayContaining(['315000.00', '中央财政专项扶贫资金', `车村镇通村道路硬化（${projectId}）`, CONTRACTOR, 'qian.li', '县财政局']),
    );

    const xlsx = await call(FINANCE, 'GET', `/audit/fund/${fundId}/ledger?format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
