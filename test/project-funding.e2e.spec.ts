import { readStream } from '../infra/eventstore';
import { trialBalance } from '../infra/payment-rail/ledger-accounts';
import { balanced } from '../domain/fund';
import type { Fen } from '../domain/shared/money';
import { projectStatusQuery } from '../workflows/project-lifecycle.messages';
import { waitForSummary } from '../cli/commands/project-path';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import {
  ACCEPTOR,
  APPROVER,
  appropriate,
  CONTRACTOR,
  enterLibraryAfterNotice,
  fundFrom,
  fundState,
  pay,
  PROPOSER,
  refusedWith,
  saveHistory,
  startConstruction,
  startProject,
  step,
  streamLength,
  toLibrary,
  TOWNSHIP,
} from './support/project-walk';

const WAN = 1_000_000;

/** Waits until the fund_balances read model shows the fund at the store's last position for it. */
const waitForBalances = async (stack: TestStack, fundId: string, position: number) => {
  const row = await until(
    `fund_balances at ${fundId} position ${position}`,
    () => stack.db.appDb.selectFrom('fund_balances').selectAll().where('fund_id', '=', fundId).executeTakeFirst(),
    {
      ok: (r) => r !== undefined && Number(r.last_event_position) >= position,
      intervalMs: 100,
    },
  );
  return row!;
};

describe('a 嵩县 village road (3 km, 105万), funded 60% central / 40% county, paid by milestone', () => {
  let stack: TestStack;
  const suffix = Date.now().toString(36).slice(-4);
  const central = `fund-song-2016-central-${suffix}`;
  const county = `fund-song-2016-county-${suffix}`;
  beforeAll(async () => {
    stack = await startTestStack('funding');
    await appropriate(stack.db.appDb, central, 'central', 500 * WAN);
    await appropriate(stack.db.appDb, county, 'county', 200 * WAN);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('runs from proposal to closure: every payment goes through the rail once and is recorded on both streams with its source', async () => {
    const h = await startProject(stack);
    const projectId = h.workflowId.replace(/^project-/, '');
    await toLibrary(h);

    const a1 = await fundFrom(h, central, 63 * WAN);
    expect(a1.stage).toBe('in-library');
    const a2 = await fundFrom(h, county, 42 * WAN);
    expect(a2.stage).toBe('funded');

    await startConstruction(h);
    // Each milestone is paid from both allocations in the 60/40 proportion, so every yuan keeps its source.
    const both = async (milestone: 'advance' | 'progress' | 'settlement' | 'retention', amount: number, milestoneId?: string) => {
      const c = await pay(h, { fundId: central, allocationId: a1.allocationId, milestone, amount: (amount * 6) / 10, ...(milestoneId ? { milestoneId } : {}) });
      const k = await pay(h, { fundId: county, allocationId: a2.allocationId, milestone, amount: (amount * 4) / 10, ...(milestoneId ? { milestoneId } : {}) });
      return [c, k];
    };
    // Settlement before acceptance: refused by the domain, nothing recorded, nothing sent to the rail.
    const before = await streamLength(stack.db.appDb, `project-${projectId}`);
    await refusedWith(pay(h, { fundId: central, allocationId: a1.allocationId, milestone: 'settlement', amount: WAN }), 'PAYMENT_SETTLEMENT_BEFORE_ACCEPTANCE');
    expect(await streamLength(stack.db.appDb, `project-${projectId}`)).toBe(before);

    const [advance] = await both('advance', 31_500_000);
    expect(advance!.paymentId).toBe(`${projectId}:p${advance!.paymentId.split(':p')[1]}`);
    await step(h, { type: 'ReportMilestone', data: { milestoneId: 'ms-60pct', percentCompleteBp: 6000, description: '路基及60%路面完成' }, actor: TOWNSHIP });
    await both('progress', 25_200_000, 'ms-60pct'); // with the 30% advance, 90% of the 60% done
    await step(h, { type: 'ReportMilestone', data: { milestoneId: 'ms-100pct', percentCompleteBp: 10_000, description: '全线完工' }, actor: TOWNSHIP });
    await step(h, { type: 'CompleteProject', data: {}, actor: APPROVER });
    // The approver may not accept what they approved.
    await refusedWith(step(h, { type: 'AcceptProject', data: {}, actor: APPROVER }), 'ACCESS_APPROVER_CANNOT_ACCEPT');
    await step(h, { type: 'AcceptProject', data: {}, actor: ACCEPTOR });
    await step(h, { type: 'SettleProject', data: { settlementAmount: (105 * WAN) as Fen }, actor: APPROVER });
    await both('settlement', 45_150_000);
    // A second settlement payment would eat into the 3% retention: refused, nothing recorded.
    const afterSettlement = await streamLength(stack.db.appDb, `project-${projectId}`);
    await refusedWith(pay(h, { fundId: central, allocationId: a1.allocationId, milestone: 'settlement', amount: 100 }), 'PAYMENT_RETENTION_NOT_HELD');
    expect(await streamLength(stack.db.appDb, `project-${projectId}`)).toBe(afterSettlement);
    await both('retention', 3_150_000);
    const closed = await step(h, {
      type: 'HandOverAsset',
      data: { assetKind: 'public-benefit', recipient: 'village-song-chezhen-01', resultPublishedOn: new Date().toISOString().slice(0, 10) },
      actor: APPROVER,
    });
    expect(closed.stage).toBe('closed');
    const final = await h.result();
    expect(final).toMatchObject({ status: 'closed', paid: 105 * WAN, funded: 105 * WAN, settlementAmount: 105 * WAN, retentionAmount: 3_150_000 });

    // The store: eight payments on the project, each naming its fund and allocation; the same eight on the funds.
    const events = await readStream(stack.db.appDb, `project-${projectId}`);
    const payments = events
      .filter((e) => e.type === 'ProjectPaymentRecorded')
      .map((e) => e.data as { fundId: string; amount: number; paymentId: string; policies: { id: string }[] });
    expect(payments).toHaveLength(8);
    expect(payments.filter((p) => p.fundId === central).reduce((s, p) => s + p.amount, 0)).toBe(63 * WAN);
    expect(payments.filter((p) => p.fundId === county).reduce((s, p) => s + p.amount, 0)).toBe(42 * WAN);
    expect(payments[0]!.policies.map((p) => p.id)).toContain('payment-template-test');
    const notice = events.find((e) => e.type === 'ProjectNoticePublished')!.data as { policy: { id: string } };
    expect(notice.policy.id).toBe('project-notice-test');
    for (const fundId of [central, county]) {
      const f = await fundState(stack.db.appDb, fundId);
      if (f.status === 'none') throw new Error('fund missing');
      expect(balanced(f)).toBe(true);
      expect(Object.keys(f.payments.toRecord())).toEqual(expect.arrayContaining(payments.filter((p) => p.fundId === fundId).map((p) => p.paymentId)));
    }
    const c = await fundState(stack.db.appDb, central);
    expect(c).toMatchObject({ appropriated: 500 * WAN, available: 437 * WAN, allocatedUnpaid: 0, paid: 63 * WAN, returned: 0 });

    // The rail: one transfer per payment (plus the two appropriation credits), and the ledger sums to zero.
    const rail = await trialBalance(stack.db.appDb);
    expect(rail).toMatchObject({ transfers: 2 + 8, balancesTotal: 0, entriesTotal: 0, driftedAccounts: [], unbalancedTransfers: [] });

    // The read models: the project is closed, the fund's balances reconcile to the fen.
    const lastCentral = (await readStream(stack.db.appDb, `fund-${central}`)).at(-1)!;
    const summary = await waitForSummary(stack.db.appDb, projectId, closed.positions.at(-1)!);
    expect(summary).toMatchObject({ stage: 'closed', budgetFen: 105 * WAN });
    const row = await waitForBalances(stack, central, lastCentral.position);
    expect(row).toMatchObject({ appropriated_fen: String(500 * WAN), available_fen: String(437 * WAN), allocated_unpaid_fen: '0', paid_fen: String(63 * WAN), returned_fen: '0' });
    await saveHistory(h, 'happy-path');
  });

  it('refuses the proposer approving, a shortfall and an over-budget allocation, each with its code and no event', async () => {
    // The library is asked for inside the notice: one Update after its publication, up to seconds on a loaded machine, where the
    // test tables' notice is one second.
    const h = await startProject(stack, { noticeSeconds: 5 });
    const projectId = h.workflowId.replace(/^project-/, '');
    await step(h, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP });
    await refusedWith(step(h, { type: 'ApproveAtCounty', data: { documentNumber: 'x-1' }, actor: PROPOSER }), 'ACCESS_PROPOSER_CANNOT_APPROVE');
    await step(h, { type: 'ApproveAtCounty', data: { documentNumber: '嵩扶贫〔2016〕13号' }, actor: APPROVER });
    await step(h, { type: 'PublishNotice', data: {}, actor: APPROVER });
    await refusedWith(step(h, { type: 'EnterLibrary', data: {}, actor: APPROVER }), 'PROJECT_NOTICE_RUNNING');
    await enterLibraryAfterNotice(h);
    const length = await streamLength(stack.db.appDb, `project-${projectId}`);
    const small = `fund-song-2016-small-${suffix}`;
    await appropriate(stack.db.appDb, small, 'social', 10 * WAN);
    const fundLength = await streamLength(stack.db.appDb, `fund-${small}`);
    // More than the fund holds: the fund's refusal, decided in the activity on fresh state.
    await refusedWith(fundFrom(h, small, 10 * WAN + 1), 'FUND_INSUFFICIENT');
    // More than the budget: the project's refusal, from the validator.
    await refusedWith(fundFrom(h, central, 105 * WAN + 1), 'PROJECT_FUNDING_EXCEEDS_BUDGET');
    // Paying before any contract.
    await refusedWith(pay(h, { fundId: central, allocationId: 'none-1', milestone: 'advance', amount: WAN }), 'PAYMENT_BEFORE_CONTRACT');
    expect(await streamLength(stack.db.appDb, `project-${projectId}`)).toBe(length);
    expect(await streamLength(stack.db.appDb, `fund-${small}`)).toBe(fundLength);
    const status = await h.query(projectStatusQuery);
    expect(status).toMatchObject({ stage: 'in-library', funded: 0, nextActor: { roles: ['county-official', 'county-finance'] } });
    await step(h, { type: 'CancelProject', data: { reason: '测试结束' }, actor: APPROVER });
    expect((await h.result()).status).toBe('cancelled');
  });

  it('a repeated payment request (same request id) is answered, not paid twice', async () => {
    const h = await startProject(stack);
    await toLibrary(h);
    const a = await fundFrom(h, central, 105 * WAN);
    await startConstruction(h);
    const first = await pay(h, { fundId: central, allocationId: a.allocationId, milestone: 'advance', amount: 10 * WAN }, 'req-advance-1');
    const again = await pay(h, { fundId: central, allocationId: a.allocationId, milestone: 'advance', amount: 10 * WAN }, 'req-advance-1');
    expect(again).toEqual(first);
    const status = await h.query(projectStatusQuery);
    expect(status.paid).toBe(10 * WAN);
    const transfers = await stack.db.appDb
      .withTables<{ rail_instructions: { idempotency_key: string } }>()
      .selectFrom('rail_instructions')
      .select('idempotency_key')
      .where('idempotency_key', '=', first.paymentId)
      .execute();
    expect(transfers).toHaveLength(1);
    expect(CONTRACTOR).toBeDefined();
    await step(h, { type: 'CancelProject', data: { reason: '测试结束' }, actor: APPROVER });
    await h.result();
    // A run recorded after the check before a payment became a local activity (patched 'payment-check-local').
    await saveHistory(h, 'payment-local-check');
    // And one recorded after every append became a local activity and a payment one activity (patched 'append-local-activity', 'payment-one-activity').
    await saveHistory(h, 'append-local-payment-one-activity');
    // And one recorded after the stage search attribute came to be upserted only when it changes (patched 'stage-attribute-when-changed').
    await saveHistory(h, 'stage-attribute-when-changed');
    // And one recorded after a new run came to mark its changes with one patch (patched 'project-changes-marked-once').
    await saveHistory(h, 'project-changes-marked-once');
  });
});
