import { sql } from 'kysely';
import type { Actor } from '../domain/shared/actor';
import type { Fen } from '../domain/shared/money';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { appropriate, fundFrom, FINANCE, pay, startConstruction, startProject, toLibrary } from './support/project-walk';

jest.setTimeout(180_000);

interface Trail {
  kind: string;
  id: string;
  verified: boolean;
  entries: {
    position: number;
    streamId: string;
    type: string;
    eventId: string;
    data: { paymentId?: string; amount?: number; fundId?: string; projectId?: string };
    proof: { status: string };
  }[];
}

describe('GET /audit/payment/:id: every event touching one payment, with its proofs', () => {
  let stack: TestStack;
  let api: TestApi;
  const FUND = 'fund-song-2016-paytrail';
  let projectId = '';
  let paymentId = '';
  let other = '';

  beforeAll(async () => {
    stack = await startTestStack('api-payment-trail');
    api = await startTestApi(stack);
    await appropriate(stack.db.appDb, FUND, 'central', 200_000_000);
    const h = await startProject(stack, { budget: 100_000_000 as Fen });
    projectId = h.workflowId.replace(/^project-/, '');
    await toLibrary(h);
    const funded = (await fundFrom(h, FUND, 100_000_000)) as { allocationId: string };
    await startConstruction(h, 100_000_000);
    // Two payments of one project: the trail of each is its own.
    const first = (await pay(h, { fundId: FUND, allocationId: funded.allocationId, milestone: 'advance', amount: 20_000_000 })) as { paymentId: string };
    const second = (await pay(h, { fundId: FUND, allocationId: funded.allocationId, milestone: 'advance', amount: 5_000_000 })) as { paymentId: string };
    [paymentId, other] = [first.paymentId, second.paymentId];
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  const trailOf = async (id: string, actor: Actor = { userId: 'audit.1', role: 'auditor' }) =>
    api.app.inject({ method: 'GET', url: `/audit/payment/${id}`, headers: await api.bearer(actor) });

  it("a paid payment: the fund's disbursement and the project's record of it, in commit order, every chain holding", async () => {
    expect(paymentId).toMatch(new RegExp(`^${projectId}:p\\d+$`));
    const r = await trailOf(paymentId);
    expect(r.statusCode).toBe(200);
    const trail = r.json<Trail>();
    expect(trail).toMatchObject({ kind: 'payment', id: paymentId, verified: true });
    // Both books, written in one transaction (activities record the two streams together): commit order is position order.
    expect(trail.entries.map((e) => [e.type, e.streamId]).sort()).toEqual([
      ['FundDisbursed', `fund-${FUND}`],
      ['ProjectPaymentRecorded', `project-${projectId}`],
    ]);
    const positions = trail.entries.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    for (const e of trail.entries) expect(e.data).toMatchObject({ paymentId, amount: 20_000_000 });
    expect(trail.entries.every((e) => e.proof.status === 'verified')).toBe(true);
    // Exactly the events the store's refs index names for this payment.
    const { rows } = await sql<{ position: string }>`SELECT position FROM refs WHERE kind = 'payment' AND ref_id = ${paymentId} ORDER BY position`.execute(stack.db.appDb);
    expect(rows.map((x) => Number(x.position))).toEqual(trail.entries.map((e) => e.position));
    const second = (await trailOf(other)).json<Trail>();
    expect(second.entries.map((e) => e.data.amount)).toEqual([5_000_000, 5_000_000]);
  });

  it('as CSV, scoped to the payment’s county, and refused for an id that is not a payment’s', async () => {
    const csv = await api.app.inject({ method: 'GET', url: `/audit/payment/${paymentId}?format=csv`, headers: await api.bearer(FINANCE) });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.startsWith('\uFEFFposition,')).toBe(true);
    expect(csv.body.trim().split('\r\n')).toHaveLength(3);
    const outside = await trailOf(paymentId, { userId: 'fin.luanchuan', role: 'county-finance', countyId: 'luanchuan' });
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({ code: 'ACCESS_OUT_OF_COUNTY' });
    expect((await trailOf(`${projectId}:p999`)).statusCode).toBe(404);
    for (const bad of [FUND, projectId, 'pay-advance', `${projectId}:x1`]) {
      const r = await trailOf(encodeURIComponent(bad));
      expect(r.statusCode).toBe(400);
      expect(r.json<{ issues: { field: string }[] }>().issues.map((i) => i.field)).toEqual(['params.id']);
    }
  });
});
