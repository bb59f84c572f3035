import { sql } from 'kysely';
import type { Actor } from '../domain/shared/actor';
import { formatYuan, type Fen } from '../domain/shared/money';
import { appendToStream, readStream } from '../infra/eventstore';
import { railDb, TreasuryLedgerRail } from '../infra/payment-rail';
import { loadFund } from '../activities/fund-streams';
import * as fundDomain from '../domain/fund';
import { rebuildProjection } from '../infra/projections/rebuild';
import { paymentLedger } from '../infra/projections/payment-ledger';
import { anomalies } from '../infra/projections/anomalies';
import { historyOf, TO_STATE } from '../domain/household/fixtures';
import type { Anomaly } from '../services/anomaly-queries';
import type { LedgerPage } from '../services/payment-ledger-queries';
import { reconcileRailWithBooks } from '../services/rail-reconciliation';
import { runFundFlow } from '../cli/commands/fund-queries';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import { APPROVER, FINANCE, TOWNSHIP, startProject, step, toLibrary } from './support/project-walk';

jest.setTimeout(180_000);

/** Payments of projects whose id starts so are held by the rail until confirmed by hand (TUOPIN_RAIL_SWITCHES). */
const HELD = 'prj-song-2016-zh';

const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('the payment ledger and the anomalies view', () => {
  let stack: TestStack;
  let api: TestApi;
  let finance: { authorization: string };
  let auditor: { authorization: string };
  const FUND = 'fund-song-2016-ledger';
  const SMALL = 'fund-song-2016-small';
  const projects = { a: '', b: '', c: '' };
  const allocations = { a: '', b: '', c: '' };
  /** One account paid for two households: A's exited before it was paid, B's never registered. */
  const ACCOUNT = 'acct-shared-01';
  const HH = { a: 'hh-song-lg1', b: 'hh-song-lg2' };
  const PAID = { a: 25_000_123, b: 12_345_678 };

  const get = async <T>(url: string, query: Record<string, string> = {}, headers = auditor) => {
    const r = await api.app.inject({ method: 'GET', url, query, headers });
    return { status: r.statusCode, body: r.json<T>() };
  };
  const anomaliesOf = async (query: Record<string, string>) => (await get<{ asOf: string; items: Anomaly[] }>('/anomalies', query)).body;
  const appropriate = (fundId: string, amount: string) =>
    api.app.inject({
      method: 'POST',
      url: '/funds',
      headers: finance,
      payload: { fundId, source: 'central', fiscalYear: 2016, countyId: 'song', documentNumber: `财农〔2016〕${fundId.length}号`, amount, earmark: ['transport'] },
    });
  let keys = 0;
  const fundProject = (projectId: string, fundId: string, amount: number | string, key = `fund-${++keys}`) =>
    api.app.inject({ method: 'POST', url: `/projects/${projectId}/funding`, headers: { ...finance, 'idempotency-key': key }, payload: { fundId, amount } });
  const payProject = (projectId: string, body: Record<string, unknown>) =>
    api.app.inject({
      method: 'POST',
      url: `/projects/${projectId}/payments`,
      headers: { ...finance, 'idempotency-key': `pay-${++keys}` },
      payload: { fundId: FUND, use: 'road-works', ...body },
    });

  beforeAll(async () => {
    // Read once, by the worker's rail as the stack starts; taken out again so nothing else sees it.
    process.env.TUOPIN_RAIL_SWITCHES = `hold@^${HELD}`;
    try {
      stack = await startTestStack('ledger');
    } finally {
      delete process.env.TUOPIN_RAIL_SWITCHES;
    }
    api = await startTestApi(stack);
    finance = await api.bearer(FINANCE);
    auditor = await api.bearer({ userId: 'audit.1', role: 'auditor' } satisfies Actor);
    // A's household is on the register and has exited (its history as the household decider produces it).
    const exited = historyOf(TO_STATE.exited).map((e) => ({ type: e.type, data: { ...e.data, householdId: HH.a } }));
    await appendToStream(
      stack.db.appDb,
      `household-${HH.a}`,
      'no-stream',
      exited.map((e, k) => ({
        eventId: `${HH.a}-${k}`,
        type: e.type,
        data: e.data,
        metadata: { actor: FINANCE, countyId: 'song', correlationId: 'hh', causationId: 'hh', businessDate: '2018-12-20' },
      })),
    );
    expect((await appropriate(FUND, '300万')).statusCode).toBe(201);
    expect((await appropriate(SMALL, '50万')).statusCode).toBe(201);
    // A and B fully funded (construction needs it), C only in part.
    const hs = await Promise.all([startProject(stack, { budget: 100_000_000 as Fen }), startProject(stack, { budget: 80_000_000 as Fen }), startProject(stack)]);
    await Promise.all(hs.map((h) => toLibrary(h)));
    [projects.a, projects.b, projects.c] = hs.map((h) => h.workflowId.replace(/^project-/, '')) as [string, string, string];
    for (const [k, fundId, amount] of [
      ['a', FUND, 100_000_000],
      ['b', FUND, 80_000_000],
      ['c', SMALL, 40_000_000],
    ] as const) {
      const r = await fundProject(projects[k], fundId, formatYuan(amount));
      expect(r.statusCode).toBe(200);
      allocations[k] = r.json<{ allocationId: string }>().allocationId;
    }
    for (const [k, h, amount] of [
      ['a', hs[0]!, 100_000_000],
      ['b', hs[1]!, 80_000_000],
    ] as const) {
      await step(h, {
        type: 'StartConstruction',
        data: { contractId: `ctr-${k}-001`, contractor: ACCOUNT, contractAmount: amount, advanceBp: 3000, retentionBp: 300, warrantyMonths: 0 },
        actor: APPROVER,
      } as never);
    }
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  it('pays two projects from one fund: the ledger lists both, and its sum is the fund’s paid to the fen', async () => {
    for (const k of ['a', 'b'] as const) {
      const r = await payProject(projects[k], { allocationId: allocations[k], milestone: 'advance', payee: ACCOUNT, householdId: HH[k], amount: formatYuan(PAID[k]) });
      expect(r.statusCode).toBe(200);
    }
    const ledger = await until('both payments in the ledger', () => get<LedgerPage>('/payments', { fund: FUND }), { ok: (r) => r.body.totals.payments === 2, intervalMs: 100 });
    expect(ledger.status).toBe(200);
    expect(ledger.body.totals).toEqual({ payments: 2, amountFen: PAID.a + PAID.b });
    expect(ledger.body.items.map((p) => [p.projectId, p.payeeAccount, p.householdId, p.amountFen, p.source, p.countyId, p.fiscalYear, p.milestone])).toEqual([
      [projects.a, ACCOUNT, HH.a, PAID.a, 'central', 'song', 2016, 'advance'],
      [projects.b, ACCOUNT, HH.b, PAID.b, 'central', 'song', 2016, 'advance'],
    ]);
    expect(ledger.body.items.every((p) => /^\d{4}-\d{2}-\d{2}$/.test(p.businessDate) && p.position > 0 && p.allocationId.length > 0)).toBe(true);
    const fund = await until('the fund paid for both', () => get<{ paidFen: number }>(`/funds/${FUND}`), { ok: (r) => r.body.paidFen === PAID.a + PAID.b, intervalMs: 100 });
    expect(fund.body.paidFen).toBe(ledger.body.items.reduce((s, p) => s + p.amountFen, 0));
    // The same in SQL, grouped per fund: every fund's ledger sum is its paid_fen.
    const { rows } = await sql<{ fund_id: string; paid: string; ledger: string | null }>`
      SELECT f.fund_id, f.paid_fen AS paid, (SELECT sum(amount_fen) FROM payment_ledger l WHERE l.fund_id = f.fund_id) AS ledger FROM fund_balances f`.execute(stack.db.appDb);
    for (const r of rows) expect(Number(r.ledger ?? 0)).toBe(Number(r.paid));

    // Keyset pages of one, every payment once, with the filter's totals on each page.
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: { body: LedgerPage } = await get<LedgerPage>('/payments', { county: 'song', year: '2016', limit: '1', ...(after ? { after } : {}) });
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      expect(page.body.totals.amountFen).toBe(PAID.a + PAID.b);
      seen.push(...page.body.items.map((p) => p.paymentId));
      after = page.body.next;
    } while (after);
    expect(seen).toEqual(ledger.body.items.map((p) => p.paymentId));
    expect((await get<LedgerPage>('/payments', { project: projects.b })).body.totals).toEqual({ payments: 1, amountFen: PAID.b });
    expect((await get<LedgerPage>('/payments', { payee: ACCOUNT })).body.totals.payments).toBe(2);
    expect((await get<LedgerPage>('/payments', { household: HH.a })).body.items.map((p) => p.projectId)).toEqual([projects.a]);
    expect((await get<LedgerPage>('/payments', { year: '2017' })).body).toEqual({ items: [], next: null, totals: { payments: 0, amountFen: 0 } });
  });

  it("the fund's flow follows its money to each payee with its source, and reconciles with the balances and the ledger to the fen", async () => {
    type Flow = {
      appropriation: { source: string; amount: number; documentNumber: string };
      allocations: {
        allocationId: string;
        projectId: string;
        allocated: number;
        paid: number;
        unpaid: number;
        payments: { payee: string; householdId: string | null; amount: number; source: string }[];
      }[];
      payees: { payee: string; amount: number; households: string[]; projects: string[] }[];
      totals: { appropriated: number; available: number; allocatedUnpaid: number; paid: number; returned: number };
      checks: { rule: string; holds: boolean }[];
      reconciled: boolean;
    };
    const flow = await get<Flow>(`/funds/${FUND}/flow`);
    expect(flow.status).toBe(200);
    expect(flow.body.reconciled).toBe(true);
    expect(flow.body.checks.every((c) => c.holds)).toBe(true);
    expect(flow.body.appropriation).toMatchObject({ source: 'central', amount: 300 * 1_000_000 });
    expect(flow.body.allocations.map((a) => [a.projectId, a.allocated, a.paid, a.unpaid])).toEqual([
      [projects.a, 100_000_000, PAID.a, 100_000_000 - PAID.a],
      [projects.b, 80_000_000, PAID.b, 80_000_000 - PAID.b],
    ]);
    expect(flow.body.allocations.flatMap((a) => a.payments.map((p) => [p.payee, p.householdId, p.amount, p.source]))).toEqual([
      [ACCOUNT, HH.a, PAID.a, 'central'],
      [ACCOUNT, HH.b, PAID.b, 'central'],
    ]);
    expect(flow.body.payees).toEqual([{ payee: ACCOUNT, amount: PAID.a + PAID.b, payments: 2, households: [HH.a, HH.b], projects: [projects.a, projects.b].sort() }]);
    const balances = await get<{ appropriatedFen: number; availableFen: number; allocatedUnpaidFen: number; paidFen: number; returnedFen: number }>(`/funds/${FUND}`);
    expect(flow.body.totals).toEqual({
      appropriated: balances.body.appropriatedFen,
      available: balances.body.availableFen,
      allocatedUnpaid: balances.body.allocatedUnpaidFen,
      paid: balances.body.paidFen,
      returned: balances.body.returnedFen,
    });
    expect(flow.body.totals.paid).toBe((await get<LedgerPage>('/payments', { fund: FUND })).body.totals.amountFen);
    // The CLI prints the same flow, and as JSON exactly what the API answered.
    const lines: string[] = [];
    await runFundFlow([FUND], stack.db.appDb, (l = '') => void lines.push(l));
    expect(lines[0]).toMatch(new RegExp(`^${FUND}  中央财政专项扶贫资金 2016 嵩县  .*下达 appropriated 3,000,000\\.00元$`));
    expect(lines.filter((l) => l.includes(`→ ${ACCOUNT} for `))).toHaveLength(2);
    expect(lines.find((l) => l.startsWith(ACCOUNT))).toMatch(
      new RegExp(`^${ACCOUNT}\\s+2\\s+${((PAID.a + PAID.b) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}元`),
    );
    expect(lines.at(-1)).toBe('reconciled to the fen 到分相符');
    const json: string[] = [];
    await runFundFlow([FUND, '--json'], stack.db.appDb, (l = '') => void json.push(l));
    // The CLI prints the whole flow; the API's first page holds all of it here (2 allocations).
    const { allocationCount, next, ...whole } = flow.body as typeof flow.body & { allocationCount: number; next: string | null };
    expect({ allocationCount, next }).toEqual({ allocationCount: 2, next: null });
    expect(JSON.parse(json.join('\n'))).toEqual(whole);
    // Pages of one allocation: the same allocations one after the other; totals and checks are the whole fund's on each.
    const page1 = await get<typeof flow.body & { next: string | null }>(`/funds/${FUND}/flow`, { limit: '1' });
    expect(page1.body.allocations.map((a) => a.allocationId)).toEqual([flow.body.allocations[0]!.allocationId]);
    expect(page1.body.next).toBe(flow.body.allocations[0]!.allocationId);
    expect(page1.body.totals).toEqual(flow.body.totals);
    const page2 = await get<typeof flow.body & { next: string | null }>(`/funds/${FUND}/flow`, { limit: '1', after: page1.body.next! });
    expect(page2.body.allocations.map((a) => a.allocationId)).toEqual([flow.body.allocations[1]!.allocationId]);
    expect(page2.body.next).toBeNull();
    expect((await get(`/funds/${FUND}/flow`, { limit: '100000' })).status).toBe(400);
    expect((await get(`/funds/fund-song-2016-nosuch/flow`)).status).toBe(404);
    expect((await get(`/funds/${FUND}/flow`, {}, await api.bearer({ userId: 'fin.lc', role: 'county-finance', countyId: 'luanchuan' }))).status).toBe(403);
  });

  it('one payee account paid for two households is listed, and so are payments to an exited and to an unregistered household', async () => {
    const shared = await until('a shared payee account listed', () => anomaliesOf({ county: 'song', kind: 'shared-payee-account' }), {
      ok: (r) => r.items.length > 0,
      intervalMs: 100,
    });
    expect(shared.items).toEqual([
      expect.objectContaining({ kind: 'shared-payee-account', payeeAccount: ACCOUNT, amountFen: PAID.a + PAID.b, detail: expect.objectContaining({ households: [HH.a, HH.b] }) }),
    ]);
    const exited = await until('the payment to an exited household listed', () => anomaliesOf({ kind: 'payment-to-exited-household' }), {
      ok: (r) => r.items.length === 1,
      intervalMs: 100,
    });
    expect(exited.items.map((a) => [a.householdId, a.payeeAccount, a.projectId, a.amountFen, a.actor?.userId])).toEqual([[HH.a, ACCOUNT, projects.a, PAID.a, FINANCE.userId]]);
    const unregistered = await until('the payment to an unregistered household listed', () => anomaliesOf({ kind: 'payment-to-unregistered-household' }), {
      ok: (r) => r.items.length === 1,
      intervalMs: 100,
    });
    expect(unregistered.items.map((a) => [a.householdId, a.payeeAccount, a.projectId, a.amountFen, a.actor?.userId])).toEqual([
      [HH.b, ACCOUNT, projects.b, PAID.b, FINANCE.userId],
    ]);
  });

  it('a household’s audit trail shows the payments made for it, on the fund and on the project', async () => {
    type Trail = { entries: { type: string; streamId: string; data: { paymentId?: string; householdId?: string; payee?: string } }[] };
    const trail = async (id: string) => get<Trail>(`/audit/household/${id}`);
    const b = await trail(HH.b);
    expect(b.status).toBe(200);
    // Never registered: its whole trail is the payment, once per stream, naming the account paid.
    expect(b.body.entries.map((e) => [e.type, e.streamId, e.data.householdId, e.data.payee])).toEqual([
      ['FundDisbursed', `fund-${FUND}`, HH.b, ACCOUNT],
      ['ProjectPaymentRecorded', `project-${projects.b}`, HH.b, ACCOUNT],
    ]);
    const a = await trail(HH.a);
    // Its register history first, then the payment made after it exited.
    expect(a.body.entries.slice(-2).map((e) => [e.type, e.data.householdId])).toEqual([
      ['FundDisbursed', HH.a],
      ['ProjectPaymentRecorded', HH.a],
    ]);
    expect(a.body.entries.some((e) => e.type === 'HouseholdExitAnnounced')).toBe(true);
  });

  it('a payment with a malformed household id is refused 400 naming the field, and nothing is paid', async () => {
    for (const householdId of [`${HH.a}.${ACCOUNT}`, '张三', '410325197503121111']) {
      const r = await payProject(projects.a, { allocationId: allocations.a, milestone: 'advance', payee: ACCOUNT, householdId, amount: '1万' });
      expect(r.statusCode).toBe(400);
      const body = r.json<{ code: string; issues: { field: string }[] }>();
      expect(body.code).toBe('INVALID_INPUT');
      expect(body.issues.map((i) => i.field)).toEqual(['body.householdId']);
    }
    expect((await get<LedgerPage>('/payments', { fund: FUND })).body.totals.payments).toBe(2);
  });

  it('an over-allocation attempt is refused as before and listed with its actor and amount, once for a repeated request', async () => {
    const before = await readStream(stack.db.appDb, `fund-${SMALL}`);
    for (let i = 0; i < 2; i++) {
      const r = await fundProject(projects.c, SMALL, '60万', 'over-alloc-c-1');
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ code: 'FUND_INSUFFICIENT', zh: expect.any(String), en: expect.any(String) });
    }
    // The fund did not move.
    expect(await readStream(stack.db.appDb, `fund-${SMALL}`)).toHaveLength(before.length);
    const over = await until('the over-allocation listed', () => anomaliesOf({ county: 'song', kind: 'over-allocation' }), { ok: (r) => r.items.length > 0, intervalMs: 100 });
    expect(over.items).toEqual([
      expect.objectContaining({
        kind: 'over-allocation',
        code: 'FUND_INSUFFICIENT',
        projectId: projects.c,
        fundId: SMALL,
        amountFen: 60_000_000,
        actor: { userId: FINANCE.userId, role: FINANCE.role },
        detail: expect.objectContaining({ commandType: 'RecordFunding', requestId: 'over-alloc-c-1' }),
      }),
    ]);
    const refusals = await readStream(stack.db.appDb, 'refusals-song');
    expect(refusals.filter((e) => (e.data as { requestId?: string }).requestId === 'over-alloc-c-1')).toHaveLength(1);
  });

  it('a settlement payment before acceptance is refused and listed', async () => {
    const r = await payProject(projects.a, { allocationId: allocations.a, milestone: 'settlement', payee: ACCOUNT, householdId: HH.a, amount: '1万' });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'PAYMENT_SETTLEMENT_BEFORE_ACCEPTANCE' });
    const early = await until('the payment before acceptance listed', () => anomaliesOf({ kind: 'payment-before-acceptance' }), { ok: (x) => x.items.length > 0, intervalMs: 100 });
    expect(early.items).toEqual([
      expect.objectContaining({
        projectId: projects.a,
        fundId: FUND,
        allocationId: allocations.a,
        amountFen: 1_000_000,
        householdId: HH.a,
        payeeAccount: ACCOUNT,
        actor: expect.objectContaining({ userId: FINANCE.userId }),
      }),
    ]);
    // An ordinary "not now" (a step out of order) is recorded but is no anomaly.
    const late = await api.app.inject({
      method: 'POST',
      url: `/projects/${projects.c}/steps`,
      headers: await api.bearer(TOWNSHIP),
      payload: { type: 'ApproveAtTownship', data: { opinion: '同意' } },
    });
    expect(late.statusCode).toBe(409);
    const all = await anomaliesOf({ county: 'song' });
    // The test stack's projects run under its own short tables, each step flagged policy-not-in-force (listed apart, in its own spec).
    expect(all.items.filter((a) => a.projectId === projects.c && a.kind !== 'idle-allocation' && a.kind !== 'policy-not-in-force')).toEqual([
      expect.objectContaining({ kind: 'over-allocation' }),
    ]);
  });

  it('money allocated and unpaid is idle 366 days after its business date, not 364', async () => {
    const allocated = (await readStream(stack.db.appDb, `fund-${SMALL}`)).find((e) => e.type === 'FundAllocated')!;
    const day = allocated.metadata.businessDate;
    await until('three idle allocations', () => sql<{ n: string }>`SELECT count(*) AS n FROM anomalies WHERE kind = 'idle-allocation'`.execute(stack.db.appDb), {
      ok: (r) => Number(r.rows[0]!.n) === 3,
      intervalMs: 100,
    });
    const idle = (asOf: string) => anomaliesOf({ kind: 'idle-allocation', asOf }).then((r) => r.items.filter((a) => a.allocationId === allocations.c));
    expect(await idle(addDays(day, 364))).toEqual([]);
    expect(await idle(addDays(day, 365))).toEqual([]);
    expect(await idle(addDays(day, 366))).toEqual([
      expect.objectContaining({ kind: 'idle-allocation', projectId: projects.c, fundId: SMALL, amountFen: 40_000_000, businessDate: day, actor: null }),
    ]);
    // The paid allocations are idle from their last payment, with what is left unpaid.
    const paidA = (await anomaliesOf({ kind: 'idle-allocation', asOf: addDays(day, 400) })).items.find((a) => a.allocationId === allocations.a);
    expect(paidA?.amountFen).toBe(100_000_000 - PAID.a);
    // Today nothing is idle yet.
    expect((await anomaliesOf({ kind: 'idle-allocation' })).items).toEqual([]);
  });

  it('rebuilding both read models from the store gives the same rows', async () => {
    const snapshot = async () => ({
      ledger: await stack.db.appDb.selectFrom('payment_ledger').selectAll().orderBy('payment_id').execute(),
      anomalies: await stack.db.appDb.selectFrom('anomalies').selectAll().orderBy('anomaly_id').execute(),
    });
    const before = await snapshot();
    expect(before.ledger).toHaveLength(2);
    // Three allocations, a payment to an exited and one to an unregistered household, two refused attempts.
    // Besides, every project step decided under the test stack's short tables is policy-not-in-force.
    expect(
      before.anomalies
        .map((a) => a.kind)
        .filter((k) => k !== 'policy-not-in-force')
        .sort(),
    ).toEqual([
      'idle-allocation',
      'idle-allocation',
      'idle-allocation',
      'over-allocation',
      'payment-before-acceptance',
      'payment-to-exited-household',
      'payment-to-unregistered-household',
    ]);
    await rebuildProjection(stack.db.adminDb, paymentLedger, { batchSize: 1 });
    await rebuildProjection(stack.db.adminDb, anomalies, { batchSize: 3 });
    expect(await snapshot()).toEqual(before);
  });

  it('a stage left past its deadline is overdue until someone acts', async () => {
    const h = await startProject(stack, { deadlines: { 'township-review': 1000, 'county-review': 600_000 } });
    const projectId = h.workflowId.replace(/^project-/, '');
    const overdue = await until('the project listed as overdue', () => anomaliesOf({ kind: 'overdue-stage' }), {
      ok: (r) => r.items.some((a) => a.projectId === projectId),
      intervalMs: 100,
    });
    expect(overdue.items.find((a) => a.projectId === projectId)).toEqual(
      expect.objectContaining({
        stage: 'proposed',
        actor: { userId: 'system.deadlines', role: 'administrator' },
        detail: expect.objectContaining({ deadlineKind: 'township-review' }),
      }),
    );
    await step(h, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP });
    const after = await until('the project no longer overdue', () => anomaliesOf({ kind: 'overdue-stage' }), {
      ok: (r) => !r.items.some((a) => a.projectId === projectId),
      intervalMs: 100,
    });
    expect(after.items.filter((a) => a.projectId === projectId)).toEqual([]);
  });

  it('a fund frozen after the rail has paid still records the payment (a freeze stops new payments, not the record of made ones); rail = books', async () => {
    const fundId = 'fund-song-2016-held';
    expect((await appropriate(fundId, '10万')).statusCode).toBe(201);
    const h = await startProject(stack, { projectId: `${HELD}${Date.now().toString(36)}`, budget: 10_000_000 as Fen });
    const projectId = h.workflowId.replace(/^project-/, '');
    await toLibrary(h);
    const funded = await fundProject(projectId, fundId, '10万');
    expect(funded.statusCode).toBe(200);
    const allocationId = funded.json<{ allocationId: string }>().allocationId;
    await step(h, {
      type: 'StartConstruction',
      data: { contractId: 'ctr-held-001', contractor: 'payee-song-held-co', contractAmount: 10_000_000, advanceBp: 3000, retentionBp: 300, warrantyMonths: 0 },
      actor: APPROVER,
    } as never);
    const paying = payProject(projectId, { fundId, allocationId, milestone: 'advance', payee: 'payee-song-held-co', amount: '3万' });
    // The local check has passed and the rail holds the transfer: now the fund is frozen, then the rail confirms.
    const held = await until(
      'the rail holding the transfer',
      () => railDb(stack.db.appDb).selectFrom('rail_instructions').select(['idempotency_key', 'state']).where('idempotency_key', 'like', `${projectId}:%`).executeTakeFirst(),
      { ok: (r) => r?.state === 'pending', intervalMs: 100 },
    );
    expect(held?.state).toBe('pending');
    const { state, version } = await loadFund(stack.db.appDb, fundId);
    const frozen = fundDomain.decide({ type: 'FreezeFund', data: { fundId, reason: '审计冻结' }, meta: { actor: FINANCE, now: new Date().toISOString() } }, state);
    if (!frozen.ok) throw new Error(frozen.error.code);
    await appendToStream(
      stack.db.appDb,
      `fund-${fundId}`,
      version,
      frozen.events.map((e) => ({
        eventId: `freeze-${fundId}`,
        type: e.type,
        data: e.data,
        metadata: { actor: FINANCE, countyId: 'song', correlationId: 'freeze', causationId: 'freeze', businessDate: new Date().toISOString().slice(0, 10) },
      })),
    );
    expect(await new TreasuryLedgerRail({ db: stack.db.appDb }).confirmHeld(held!.idempotency_key)).toMatchObject({ state: 'confirmed' });
    const answer = await paying;
    // Money moved, so the books say so: the milestone is paid and cannot be paid again after the unfreeze.
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ paymentId: held!.idempotency_key });
    const after = await loadFund(stack.db.appDb, fundId);
    expect(after.state).toMatchObject({ status: 'frozen', paid: 3_000_000 });
    const ledger = await until('the held payment in the ledger', () => get<LedgerPage>('/payments', { fund: fundId }), {
      ok: (r) => r.body.totals.payments === 1,
      intervalMs: 100,
    });
    expect(ledger.body.totals).toEqual({ payments: 1, amountFen: 3_000_000 });
    // The freeze still stops a new payment.
    const again = await payProject(projectId, { fundId, allocationId, milestone: 'progress', payee: 'payee-song-held-co', amount: '1万' });
    expect(again.statusCode).toBe(409);
    // Nothing paid and unrecorded: no anomaly, and the rail agrees with the books to the fen.
    expect((await anomaliesOf({ kind: 'payment-confirmed-not-recorded' })).items).toEqual([]);
    const reconciled = await reconcileRailWithBooks(stack.db.appDb, { graceMs: 0 });
    expect(reconciled).toMatchObject({ ok: true, paidNotBooked: [], bookedNotPaid: [], amountsDiffer: [] });
    expect(reconciled.rail.amountFen).toBe(reconciled.books.amountFen);
  });

  it('the reconciliation refuses a rail transfer no book records (a payment made outside the process)', async () => {
    const rail = new TreasuryLedgerRail({ db: stack.db.appDb });
    const paid = await rail.submit({
      idempotencyKey: `stray-${Date.now().toString(36)}`,
      fromAccount: 'treasury:fund-song-2016-held',
      toAccount: 'payee-song-held-co',
      amount: 100 as Fen,
      memo: 'outside the books',
    });
    expect(paid.state).toBe('confirmed');
    const r = await reconcileRailWithBooks(stack.db.appDb, { graceMs: 0 });
    expect(r.ok).toBe(false);
    expect(r.paidNotBooked).toEqual([expect.objectContaining({ railFen: 100, booksFen: null, fundId: 'fund-song-2016-held' })]);
  });

  it('payment and funding requests without an Idempotency-Key header are refused 400 naming it, and change nothing', async () => {
    const before = await api.eventCount();
    const pay = await api.app.inject({
      method: 'POST',
      url: `/projects/${projects.a}/payments`,
      headers: finance,
      payload: { fundId: FUND, allocationId: 'alc-x', milestone: 'advance', payee: ACCOUNT, amount: '1万', use: 'road-works' },
    });
    const fund = await api.app.inject({ method: 'POST', url: `/projects/${projects.a}/funding`, headers: finance, payload: { fundId: FUND, amount: '1万' } });
    for (const r of [pay, fund]) {
      expect(r.statusCode).toBe(400);
      expect(r.json<{ issues: { field: string; fieldZh?: string }[] }>().issues).toEqual([expect.objectContaining({ field: 'headers.idempotency-key', fieldZh: '幂等键' })]);
    }
    // One way to name a request: the header, not a requestId in the body.
    const inBody = await api.app.inject({
      method: 'POST',
      url: `/projects/${projects.a}/funding`,
      headers: { ...finance, 'idempotency-key': 'k-body' },
      payload: { fundId: FUND, amount: '1万', requestId: 'k-body' },
    });
    expect(inBody.statusCode).toBe(400);
    expect(await api.eventCount()).toBe(before);
  });

  it('anomalies come in bounded pages that, one after the other, are the whole listing', async () => {
    const whole = await anomaliesOf({ county: 'song', limit: '1000' });
    expect(whole.items.length).toBeGreaterThan(3);
    expect((whole as { next?: string | null }).next).toBeNull();
    const paged: Anomaly[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const p = (await anomaliesOf({ county: 'song', limit: '2', ...(after ? { after } : {}) })) as unknown as { items: Anomaly[]; next: string | null };
      expect(p.items.length).toBeLessThanOrEqual(2);
      paged.push(...p.items);
      if (p.next === null) break;
      after = p.next;
    }
    expect(paged).toEqual(whole.items);
    expect((await get('/anomalies', { limit: '100000' })).status).toBe(400);
  });

  it('the audit trail comes in bounded pages (limit, after=next)', async () => {
    const whole = await get<{ entries: { eventId: string }[]; next: string | null }>(`/audit/fund/${FUND}`);
    expect(whole.body.next).toBeNull();
    const first = await get<{ entries: { eventId: string }[]; next: string | null }>(`/audit/fund/${FUND}`, { limit: '2' });
    expect(first.body.entries.map((e) => e.eventId)).toEqual(whole.body.entries.slice(0, 2).map((e) => e.eventId));
    const second = await get<{ entries: { eventId: string }[]; next: string | null }>(`/audit/fund/${FUND}`, { limit: '2', after: first.body.next! });
    expect(second.body.entries.map((e) => e.eventId)).toEqual(whole.body.entries.slice(2, 4).map((e) => e.eventId));
    expect((await get(`/audit/fund/${FUND}`, { limit: '100000' })).status).toBe(400);
  });

  it.each([
    ['/payments', { year: 'twenty' }, 'querystring.year'],
    ['/payments', { fund: 'fund;drop' }, 'querystring.fund'],
    ['/payments', { after: '-1' }, 'querystring.after'],
    ['/payments', { sort: 'amount' }, 'querystring'],
    ['/anomalies', { asOf: '2027-13-45' }, 'querystring.asOf'],
    ['/anomalies', { kind: 'everything' }, 'querystring.kind'],
    ['/anomalies', { county: 'atlantis' }, 'querystring.county'],
  ] as const)('GET %s with %j answers 400 naming %s', async (url, query, field) => {
    const r = await get<{ code: string; issues: { field: string }[] }>(url, query);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('INVALID_INPUT');
    expect(r.body.issues.map((i) => i.field)).toContain(field);
  });

  it('a county-scoped reader cannot read another county’s payments or anomalies', async () => {
    const other = await api.bearer({ userId: 'fin.luanchuan', role: 'county-finance', countyId: 'luanchuan' });
    expect((await get('/payments', { fund: FUND }, other)).status).toBe(403);
    expect((await get('/anomalies', { county: 'song' }, other)).status).toBe(403);
    // Their own county by default: none of 嵩县's rows.
    expect((await get<{ items: unknown[] }>('/anomalies', {}, other)).body.items).toEqual([]);
  });
});
