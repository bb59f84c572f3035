import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { appendToStream } from '../../eventstore';
import { appropriateFund } from '../../../services/appropriate-fund';
import { loadFund } from '../../../activities/fund-streams';
import * as fund from '../../../domain/fund';
import { HH, TO_STATE, historyOf } from '../../../domain/household/fixtures';
import type { Fen } from '../../../domain/shared/money';
import { rebuildProjection } from '../rebuild';
import { paymentLedger } from '../payment-ledger';
import { anomalies } from '.';

jest.setTimeout(60_000);

const finance = { userId: 'fin.song.1', role: 'county-finance' as const, countyId: 'song' as const };
const meta = { actor: finance, now: '2017-03-01T09:00:00+08:00' };
const FUND = 'fund-song-2017-hh';
const metadata = (businessDate: string) => ({ actor: finance, countyId: 'song' as const, correlationId: 'c', causationId: 'c', businessDate });

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('anomalies');
});
afterAll(async () => {
  await t.drop();
});

/** Decides one fund command on the fund's current state and appends what it decides. */
const onFund = async (command: fund.FundCommand, eventId: string, businessDate: string) => {
  const { state, version } = await loadFund(t.appDb, FUND);
  const d = fund.decide(command, state);
  if (!d.ok) throw new Error(d.error.code);
  await appendToStream(
    t.appDb,
    `fund-${FUND}`,
    version,
    d.events.map((e, k) => ({ eventId: `${eventId}-${k}`, type: e.type, data: e.data, metadata: metadata(businessDate) })),
  );
};

/** A payment to an account, for a household when one is named. */
const disburse = (paymentId: string, payee: string, amount: number, householdId?: string, businessDate = '2017-04-01') =>
  onFund(
    {
      type: 'DisburseFund',
      data: { fundId: FUND, allocationId: 'alc-1', paymentId, milestone: 'progress', payee, ...(householdId ? { householdId } : {}), amount: amount as Fen },
      meta,
    },
    `ev-${paymentId}`,
    businessDate,
  );

/** A household's history as its decider produces it, appended to its stream under another id if asked. */
const household = async (commands: Parameters<typeof historyOf>[0], id: string) => {
  const events = historyOf(commands).map((e) => ({ type: e.type, data: { ...e.data, householdId: id } }));
  await appendToStream(
    t.appDb,
    `household-${id}`,
    'no-stream',
    events.map((e, k) => ({ eventId: `${id}-${k}`, type: e.type, data: e.data, metadata: metadata('2018-12-20') })),
  );
};

describe('anomalies: payments to households', () => {
  it('lists a payment to an exited household only after the policy period (脱贫不脱政策 to 2020), and one never registered, not one on the register; a rebuild gives the same rows', async () => {
    const r = await appropriateFund(
      t.appDb,
      {
        type: 'AppropriateFund',
        data: { fundId: FUND, source: 'central', fiscalYear: 2017, countyId: 'song', documentNumber: 'doc-hh', amount: 10_000_000 as Fen, earmark: ['industry'] },
        meta,
      },
      { creditTreasury: false },
    );
    expect(r.ok).toBe(true);
    await onFund(
      {
        type: 'AllocateFund',
        data: { fundId: FUND, allocationId: 'alc-1', projectId: 'prj-song-2017-hh01', projectCountyId: 'song', category: 'industry', amount: 5_000_000 as Fen },
        meta,
      },
      'ev-alloc',
      '2017-03-01',
    );
    const other = 'hh-song-000124';
    await household(TO_STATE.poor, other);
    // Paid while still poor: no anomaly. Then it exits: a payment in 2017 is still normal (its policies continue to 2020), one in 2021 is not.
    await household(TO_STATE.exited.slice(0, 1), HH);
    await disburse('pay-1', 'acct-1', 100_000, HH);
    await appendToStream(
      t.appDb,
      `household-${HH}`,
      1,
      historyOf(TO_STATE.exited)
        .slice(1)
        .map((e, k) => ({ eventId: `${HH}-exit-${k}`, type: e.type, data: e.data, metadata: metadata('2018-12-20') })),
    );
    await disburse('pay-2', 'acct-1', 200_000, HH);
    await disburse('pay-3', 'acct-2', 300_000, other);
    await disburse('pay-4', 'acct-3', 400_000, 'hh-song-000999');
    await disburse('pay-5', 'payee-song-contractor', 500_000);
    await disburse('pay-6', 'acct-1', 60_000, HH, '2021-01-05');

    await rebuildProjection(t.adminDb, anomalies, { batchSize: 2 });
    await rebuildProjection(t.adminDb, paymentLedger, { batchSize: 2 });
    const rows = async () =>
      (
        await sql<{ anomaly_id: string; kind: string; household_id: string | null; payee_account: string | null; amount_fen: string; business_date: string }>`
        SELECT anomaly_id, kind, household_id, payee_account, amount_fen, business_date::text FROM anomalies ORDER BY anomaly_id`.execute(t.appDb)
      ).rows;
    const first = await rows();
    expect(first.map((a) => [a.anomaly_id, a.kind, a.household_id, a.payee_account, Number(a.amount_fen)])).toEqual([
      ['household:pay-4', 'payment-to-unregistered-household', 'hh-song-000999', 'acct-3', 400_000],
      ['household:pay-6', 'payment-to-exited-household', HH, 'acct-1', 60_000],
      // The allocation: what is left unpaid, idle since its last payment's day.
      ['idle:fund-song-2017-hh:alc-1', 'idle-allocation', null, null, 5_000_000 - 1_560_000],
    ]);
    expect(first.find((a) => a.kind === 'idle-allocation')?.business_date).toBe('2021-01-05');
    const ledger = await t.appDb.selectFrom('payment_ledger').select(['payment_id', 'payee_account', 'household_id', 'source', 'fiscal_year']).orderBy('position').execute();
    expect(ledger.map((p) => [p.payment_id, p.payee_account, p.household_id])).toEqual([
      ['pay-1', 'acct-1', HH],
      ['pay-2', 'acct-1', HH],
      ['pay-3', 'acct-2', other],
      ['pay-4', 'acct-3', 'hh-song-000999'],
      ['pay-5', 'payee-song-contractor', null],
      ['pay-6', 'acct-1', HH],
    ]);
    expect(new Set(ledger.map((p) => `${p.source}/${p.fiscal_year}`))).toEqual(new Set(['central/2017']));
    await rebuildProjection(t.adminDb, anomalies, { batchSize: 1000 });
    expect(await rows()).toEqual(first);
  });
});

describe('anomalies: decisions under rule tables not in force (issue 11 point 15)', () => {
  it('lists a notice published under a test table or an unknown version of the plan’s, not one under the plan’s table', async () => {
    const at = (policy: { id: string; version: number }) => ({
      projectId: 'prj-song-2017-pol01',
      by: 'zhang.wei',
      at: '2017-03-01T09:00:00+08:00',
      endsAt: '2017-03-11T09:00:00+08:00',
      policy,
    });
    await appendToStream(t.appDb, 'project-prj-song-2017-pol01', 'any', [
      { eventId: 'pol-1', type: 'ProjectNoticePublished', data: at({ id: 'project-notice', version: 1 }), metadata: metadata('2017-03-01') },
      { eventId: 'pol-2', type: 'ProjectNoticePublished', data: at({ id: 'project-notice-test', version: 1 }), metadata: metadata('2017-03-02') },
      { eventId: 'pol-3', type: 'ProjectNoticePublished', data: at({ id: 'project-notice', version: 9 }), metadata: metadata('2017-03-03') },
    ]);
    await rebuildProjection(t.adminDb, anomalies);
    const { rows } = await sql<{ anomaly_id: string; project_id: string; detail: { policies: string[] } }>`
      SELECT anomaly_id, project_id, detail FROM anomalies WHERE kind = 'policy-not-in-force' ORDER BY anomaly_id`.execute(t.appDb);
    expect(rows).toEqual([
      { anomaly_id: 'policy:pol-2', project_id: 'prj-song-2017-pol01', detail: { eventType: 'ProjectNoticePublished', policies: ['project-notice-test@1'] } },
      { anomaly_id: 'policy:pol-3', project_id: 'prj-song-2017-pol01', detail: { eventType: 'ProjectNoticePublished', policies: ['project-notice@9'] } },
    ]);
  });

  it('lists an exit notice posted under a shorter notice than the one in force, not one under the plan’s days', async () => {
    const household = (eventId: string, minimumSeconds: number) => ({
      eventId,
      type: 'HouseholdExitNoticePosted',
      data: { householdId: 'hh-song-000777', by: 'li.twp', at: '2016-10-01T09:00:00.000Z', endsAt: '2016-10-08T09:00:00.000Z', minimumSeconds },
      metadata: metadata('2016-10-01'),
    });
    await appendToStream(t.appDb, 'household-hh-song-000777', 'any', [household('ntc-1', 7 * 86_400), household('ntc-2', 4)]);
    await appendToStream(t.appDb, 'village-vil-song-n01', 'any', [
      {
        eventId: 'ntc-3',
        type: 'VillageExitNoticePosted',
        data: { villageId: 'vil-song-n01', by: 'li.twp', at: '2016-11-01T09:00:00.000Z', endsAt: '2016-11-01T09:00:03.000Z', minimumSeconds: 3 },
        metadata: metadata('2016-11-01'),
      },
    ]);
    await rebuildProjection(t.adminDb, anomalies);
    const { rows } = await sql<{ anomaly_id: string; household_id: string | null; detail: Record<string, unknown> }>`
      SELECT anomaly_id, household_id, detail FROM anomalies WHERE kind = 'policy-not-in-force' AND anomaly_id LIKE 'policy:ntc-%' ORDER BY anomaly_id`.execute(t.appDb);
    expect(rows).toEqual([
      {
        anomaly_id: 'policy:ntc-2',
        household_id: 'hh-song-000777',
        detail: { eventType: 'HouseholdExitNoticePosted', policies: ['householdExit-notice@4s'], inForce: 'householdExit-notice@604800s' },
      },
      {
        anomaly_id: 'policy:ntc-3',
        household_id: null,
        detail: { eventType: 'VillageExitNoticePosted', policies: ['villageExit-notice@3s'], inForce: 'villageExit-notice@604800s', villageId: 'vil-song-n01' },
      },
    ]);
  });
});

describe('anomalies: open complaints (投诉举报)', () => {
  const ROUND_ID = 'br-song-2019-0001';
  const base = (complaintId: string) => ({ complaintId, countyId: 'song' as const, by: 'zhao.county', at: '2019-03-01T10:00:00+08:00' });
  const filed = (complaintId: string, subject: object, resolved: { roundId: string | null; paymentId: string | null; householdId: string | null }) => ({
    eventId: `${complaintId}-filed`,
    type: 'ComplaintFiled',
    data: { ...base(complaintId), subject, ...resolved, channel: 'hotline-12317', category: 'eligibility', summary: '12317来电', answerBy: '2019-03-16T02:00:00.000Z' },
    metadata: metadata('2019-03-01'),
  });
  const answered = (complaintId: string, resolved: { roundId: string | null; paymentId: string | null; householdId: string | null }) => ({
    eventId: `${complaintId}-answered`,
    type: 'ComplaintAnswered',
    data: { ...base(complaintId), ...resolved, finding: 'not-upheld', answer: '经核实，符合政策', late: false },
    metadata: metadata('2019-03-05'),
  });
  const ofPayment = { roundId: ROUND_ID, paymentId: 'pay-9', householdId: 'hh-song-0009' };
  const ofHousehold = { roundId: null, paymentId: null, householdId: 'hh-song-0009' };
  const ofRound = { roundId: ROUND_ID, paymentId: null, householdId: null };

  it('flags the payment, the household or the round a complaint is about while it is open, and no longer once answered; a rebuild gives the same rows', async () => {
    await appendToStream(t.appDb, 'complaint-cp-song-0001', 'no-stream', [filed('cp-song-0001', { kind: 'payment', roundId: ROUND_ID, paymentId: 'pay-9' }, ofPayment)]);
    await appendToStream(t.appDb, 'complaint-cp-song-0002', 'no-stream', [filed('cp-song-0002', { kind: 'household', householdId: 'hh-song-0009' }, ofHousehold)]);
    await appendToStream(t.appDb, 'complaint-cp-song-0003', 'no-stream', [filed('cp-song-0003', { kind: 'round', roundId: ROUND_ID }, ofRound)]);
    const open = async () =>
      (
        await sql<{ anomaly_id: string; kind: string; project_id: string | null; payment_id: string | null; household_id: string | null }>`
        SELECT anomaly_id, kind, project_id, payment_id, household_id FROM anomalies WHERE anomaly_id LIKE 'complaint:%' ORDER BY anomaly_id`.execute(t.appDb)
      ).rows;
    await rebuildProjection(t.adminDb, anomalies, { batchSize: 1 });
    expect(await open()).toEqual([
      { anomaly_id: 'complaint:cp-song-0001', kind: 'payment-under-complaint', project_id: ROUND_ID, payment_id: 'pay-9', household_id: 'hh-song-0009' },
      { anomaly_id: 'complaint:cp-song-0002', kind: 'household-under-complaint', project_id: null, payment_id: null, household_id: 'hh-song-0009' },
      { anomaly_id: 'complaint:cp-song-0003', kind: 'round-under-complaint', project_id: ROUND_ID, payment_id: null, household_id: null },
    ]);

    await appendToStream(t.appDb, 'complaint-cp-song-0002', 1, [answered('cp-song-0002', ofHousehold)]);
    await appendToStream(t.appDb, 'complaint-cp-song-0003', 1, [answered('cp-song-0003', ofRound)]);
    await rebuildProjection(t.adminDb, anomalies, { batchSize: 1 });
    const left = await open();
    expect(left.map((r) => r.kind)).toEqual(['payment-under-complaint']);
    await rebuildProjection(t.adminDb, anomalies, { batchSize: 1000 });
    expect(await open()).toEqual(left);
  });
});
