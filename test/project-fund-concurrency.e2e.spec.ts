import { readStream } from '../infra/eventstore';
import { balanced } from '../domain/fund';
import type { Fen } from '../domain/shared/money';
import { projectStatusQuery } from '../workflows/project-lifecycle.messages';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import { APPROVER, appropriate, codeOf, fundFrom, fundState, pay, saveHistory, startConstruction, startProject, step, toLibrary } from './support/project-walk';

const WAN = 1_000_000;

const waitForBalances = async (stack: TestStack, fundId: string) => {
  const last = (await readStream(stack.db.appDb, `fund-${fundId}`)).at(-1)!;
  const row = await until(
    `fund_balances caught up with ${fundId} at ${last.position}`,
    () => stack.db.appDb.selectFrom('fund_balances').selectAll().where('fund_id', '=', fundId).executeTakeFirst(),
    {
      ok: (r) => r !== undefined && Number(r.last_event_position) >= last.position,
      intervalMs: 100,
    },
  );
  return row!;
};

const sum = (rowValues: (string | number)[]) => rowValues.reduce<number>((s, v) => s + Number(v), 0);

describe('funds shared by many projects', () => {
  let stack: TestStack;
  const suffix = Date.now().toString(36).slice(-4);
  beforeAll(async () => {
    stack = await startTestStack('fundrace');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('20 projects drawing on one fund at once never over-allocate it, and the invariant holds to the fen', async () => {
    const fundId = `fund-song-2016-race-${suffix}`;
    // 1000万 for twenty asks of 60万 (1200万): exactly sixteen can be met.
    await appropriate(stack.db.appDb, fundId, 'central', 1000 * WAN);
    const handles = await Promise.all(Array.from({ length: 20 }, () => startProject(stack, { budget: (60 * WAN) as Fen })));
    await Promise.all(handles.map((h) => toLibrary(h)));

    const outcomes = await Promise.all(
      handles.map((h) =>
        fundFrom(h, fundId, 60 * WAN).then(
          () => 'funded',
          (e: unknown) => codeOf(e) ?? String(e),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'funded')).toHaveLength(16);
    expect(outcomes.filter((o) => o === 'FUND_INSUFFICIENT')).toHaveLength(4);

    const f = await fundState(stack.db.appDb, fundId);
    if (f.status === 'none') throw new Error('fund missing');
    expect(balanced(f)).toBe(true);
    expect(f).toMatchObject({ appropriated: 1000 * WAN, available: 40 * WAN, allocatedUnpaid: 960 * WAN });
    expect(Object.keys(f.allocations)).toHaveLength(16);

    // Each project's own view agrees with the fund's: funded exactly when the fund allocated to it.
    const statuses = await Promise.all(handles.map((h) => h.query(projectStatusQuery)));
    expect(statuses.filter((s) => s.stage === 'funded')).toHaveLength(16);
    expect(new Set(Object.values(f.allocations).map((a) => a.projectId))).toEqual(new Set(statuses.filter((s) => s.stage === 'funded').map((s) => s.projectId)));

    const row = await waitForBalances(stack, fundId);
    expect(row).toMatchObject({ appropriated_fen: String(1000 * WAN), available_fen: String(40 * WAN), allocated_unpaid_fen: String(960 * WAN), paid_fen: '0', returned_fen: '0' });
    expect(Number(row.appropriated_fen)).toBe(sum([row.available_fen, row.allocated_unpaid_fen, row.paid_fen, row.returned_fen]));

    await Promise.all(handles.map((h) => step(h, { type: 'CancelProject', data: { reason: '并发测试结束' }, actor: APPROVER })));
    const after = await fundState(stack.db.appDb, fundId);
    expect(after).toMatchObject({ available: 1000 * WAN, allocatedUnpaid: 0 });
  });

  it('cancellation returns every unpaid yuan to the fund it came from; what was paid stays paid', async () => {
    const central = `fund-song-2016-central-${suffix}`;
    const county = `fund-song-2016-county-${suffix}`;
    await appropriate(stack.db.appDb, central, 'central', 100 * WAN);
    await appropriate(stack.db.appDb, county, 'county', 50 * WAN);
    const h = await startProject(stack);
    await toLibrary(h);
    const a1 = await fundFrom(h, central, 63 * WAN);
    const a2 = await fundFrom(h, county, 42 * WAN);
    await startConstruction(h);
    await pay(h, { fundId: central, allocationId: a1.allocationId, milestone: 'advance', amount: 18_900_000 });
    await pay(h, { fundId: county, allocationId: a2.allocationId, milestone: 'advance', amount: 12_600_000 });

    const cancelled = await step(h, { type: 'CancelProject', data: { reason: '村民会议决定改线，原项目终止' }, actor: APPROVER });
    expect(cancelled.stage).toBe('cancelled');
    const final = await h.result();
    expect(final).toMatchObject({ status: 'cancelled', paid: 31_500_000 });

    const c = await fundState(stack.db.appDb, central);
    const k = await fundState(stack.db.appDb, county);
    expect(c).toMatchObject({ appropriated: 100 * WAN, available: 100 * WAN - 18_900_000, allocatedUnpaid: 0, paid: 18_900_000 });
    expect(k).toMatchObject({ appropriated: 50 * WAN, available: 50 * WAN - 12_600_000, allocatedUnpaid: 0, paid: 12_600_000 });
    for (const f of [c, k]) if (f.status !== 'none') expect(balanced(f)).toBe(true);

    // The releases name the allocation and the amount, on the fund's own stream.
    const released = (await readStream(stack.db.appDb, `fund-${central}`)).filter((e) => e.type === 'FundAllocationReleased');
    expect(released.map((e) => e.data)).toEqual([expect.objectContaining({ allocationId: a1.allocationId, amount: 63 * WAN - 18_900_000 })]);
    const row = await waitForBalances(stack, county);
    expect(row).toMatchObject({ available_fen: String(50 * WAN - 12_600_000), allocated_unpaid_fen: '0', paid_fen: '12600000' });

    // A cancelled project takes no more steps.
    const late = await pay(h, { fundId: central, allocationId: a1.allocationId, milestone: 'progress', amount: 1 }).catch((e: unknown) => e);
    expect(late).toBeDefined();
    await saveHistory(h, 'cancellation');
  });
});
