import { randomBytes } from 'node:crypto';
import type { Actor } from '../domain/shared/actor';
import { appendToStream } from '../infra/eventstore';
import { memberKey } from '../infra/personal-data/keys';
import { historyOf, TO_STATE } from '../domain/household/fixtures';
import { maskResidentId } from '../domain/household/events';
import { actor, householdBody } from './support/exit-households';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';

jest.setTimeout(240_000);

/**
 * The benefit rules through the API on the real stack, 嵩县 2019:
 * - 脱贫不脱政策: a household that exited in 2018 is paid its 2019 特困 support and 中职 grant, and no
 *   anomaly is raised; a programme that stops at exit (公益性岗位) is refused for it.
 * - 危改: no list (so no payment) before 验收 is recorded; the standard may not exceed the cap; the
 *   subsidy goes to the household's own account, not to a contractor.
 * - Nobody twice: a second township's round over the same village may not list the same students.
 * - A removed member's facts and a removed household are refused; a changed account followed by a
 *   payment is flagged. Refusals leave no event.
 * The register's removals and exit announcement are appended as their deciders write them (the
 * removal and exit procedures have their own tests); everything else goes through the API.
 */
const RUN = randomBytes(3).toString('hex');
const V = `vil-song-p${RUN}`;
const H = [1, 2, 3, 4].map((n) => householdBody(V, 40 + n));
const id = (n: number) => H[n - 1]!.householdId;
const FUND = `fund-song-2019-p${RUN}`;
const twp = (s: string) => `twp-song-${s}${RUN}`;

const DRAFTER: Actor = { userId: 'li.county', role: 'county-official', countyId: 'song' };
const APPROVER: Actor = { userId: 'zhang.county', role: 'county-official', countyId: 'song' };
const TOWNSHIP: Actor = { userId: 'wang.twp', role: 'township-official', countyId: 'song' };
const FINANCE: Actor = { userId: 'qian.finance', role: 'county-finance', countyId: 'song' };
const INSPECTOR: Actor = { userId: 'insp.city', role: 'inspector' };

type Status = { roundId: string; phase: string; excluded?: number; summary?: { lineCount: number; listTotal: number; paid: number; returned: number } };
type Anomaly = { kind: string; householdId: string | null; projectId: string | null };

describe('benefit rules through the API: after exit, 危改, nobody twice, removals', () => {
  let stack: TestStack;
  let api: TestApi;
  const call = async <T = unknown>(as: Actor, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const r = await api.app.inject({ method, url, headers: await api.bearer(as), ...(payload === undefined ? {} : { payload: payload as never }) });
    return { status: r.statusCode, body: r.json() as T, raw: r.body };
  };
  const refusedWithoutEvent = async (as: Actor, url: string, payload: unknown, code: string) => {
    const before = await api.eventCount();
    const r = await call<{ code: string }>(as, 'POST', url, payload);
    expect({ status: r.status >= 400 && r.status < 500, code: r.body.code }).toEqual({ status: true, code });
    expect(await api.eventCount()).toBe(before);
    return r.body;
  };
  const statusUntil = (roundId: string, phase: string) =>
    until(`round ${roundId} at ${phase}`, async () => (await call<Status>(INSPECTOR, 'GET', `/benefit-rounds/${roundId}`)).body, {
      ok: (s) => s.phase === phase,
      timeoutMs: 80_000,
    });
  const step = async (as: Actor, roundId: string, body: Record<string, unknown>) => {
    const r = await call(as, 'POST', `/benefit-rounds/${roundId}/steps`, body);
    expect([r.status, r.raw]).toEqual([200, expect.any(String)]);
  };
  /** 公示 posted (objections taken in `during`), then review, approval and payment, until the round closes. */
  const walk = async (roundId: string, during: () => Promise<void> = async () => {}) => {
    await step(TOWNSHIP, roundId, { type: 'postNotice' });
    await during();
    await statusUntil(roundId, 'township-review');
    await step(TOWNSHIP, roundId, { type: 'review', approved: true, note: '同意' });
    await step(APPROVER, roundId, { type: 'approve', approved: true, note: '同意拨付' });
    await step(FINANCE, roundId, { type: 'disburse', fundId: FUND });
    return statusUntil(roundId, 'closed');
  };
  const start = (programmeId: string, township: string, period: string, extra: Record<string, unknown> = {}) =>
    call<Status>(DRAFTER, 'POST', '/benefit-rounds', { programmeId, townshipId: township, villageIds: [V], period, ...extra });
  const append = async (householdId: string, events: { type: string; data: Record<string, unknown> }[]) =>
    appendToStream(
      stack.db.appDb,
      `household-${householdId}`,
      'any',
      events.map((e, k) => ({
        eventId: `${householdId}-${e.type}-${k}`,
        type: e.type,
        data: e.data,
        metadata: { actor: DRAFTER, countyId: 'song', correlationId: 'reg', causationId: 'reg', businessDate: new Date().toISOString().slice(0, 10) },
      })),
    );
  const idOf = (n: number, k: number) => H[n - 1]!.members[k]!.idNumber;
  const fact = (n: number, body: Record<string, unknown>, as: Actor = actor('work-team')) => call(as, 'POST', `/households/${id(n)}/benefit-file`, body);

  beforeAll(async () => {
    stack = await startTestStack('benefit-policy');
    api = await startTestApi(stack, { noticeDaySeconds: 1 });
    for (const h of H) expect((await call(actor('county-official'), 'POST', '/registry/households', h)).status).toBe(201);
    expect(
      (
        await call(FINANCE, 'POST', '/funds', {
          fundId: FUND,
          source: 'central',
          fiscalYear: 2019,
          countyId: 'song',
          documentNumber: '豫财社〔2019〕7号',
          amount: '20万',
          earmark: ['education', 'social-security', 'housing-renovation', 'transfer-employment'],
        })
      ).status,
    ).toBe(201);
    for (const n of [1, 2, 3, 4]) {
      const a = await call(TOWNSHIP, 'POST', `/households/${id(n)}/account`, {
        accountNumber: `6217 0000 4321 ${String(7700 + n)}`,
        bank: '嵩县农商银行',
        reason: '惠农一卡通开户',
      });
      expect(a.status).toBe(201);
    }
    // Household 2's account is changed just before the 中职 round pays it: the classic diversion route.
    expect((await call(TOWNSHIP, 'POST', `/households/${id(2)}/account`, { accountNumber: '6217000043219902', bank: '嵩县农商银行', reason: '旧卡丢失，换新卡' })).status).toBe(
      201,
    );
    // Every household's child is in 中职 in 2019; household 1's householder is a dispersed 特困 person and its second member holds a public-welfare post.
    for (const n of [1, 2, 3])
      expect(
        (
          await fact(n, {
            type: 'memberAttributes',
            idNumber: idOf(n, 2),
            labourCapacity: 'none',
            schooling: { level: 'secondary-vocational', schoolYear: 2019, evidenceRef: `xj-2019-${n}` },
          })
        ).status,
      ).toBe(201);
    expect((await fact(1, { type: 'memberAttributes', idNumber: idOf(1, 0), labourCapacity: 'none', extremePoverty: 'dispersed' })).status).toBe(201);
    for (const n of [1, 2])
      expect(
        (
          await fact(n, {
            type: 'memberAttributes',
            idNumber: idOf(n, 1),
            labourCapacity: 'full',
            welfareJob: { kind: 'public-welfare', since: '2018-06-01', evidenceRef: `gy-${n}` },
          })
        ).status,
      ).toBe(201);
    expect((await fact(2, { type: 'housingGrade', grade: 'C', assessedOn: new Date().toISOString().slice(0, 10), evidenceRef: 'wf-2019-2' }, TOWNSHIP)).status).toBe(201);
    // The register: household 1 exited in 2018; household 3's child died; household 4 was removed (错评清退).
    const announced = historyOf(TO_STATE.exited).at(-1)!;
    await append(id(1), [{ type: announced.type, data: { ...announced.data, householdId: id(1), villageId: V, year: 2018 } }]);
    await append(id(3), [
      {
        type: 'HouseholdMemberRemoved',
        data: {
          householdId: id(3),
          by: 'work-team-song-01',
          at: new Date().toISOString(),
          year: 2019,
          memberKey: memberKey(idOf(3, 2), stack.cfg.MEMBER_KEY_SALT),
          idMasked: maskResidentId(idOf(3, 2)),
          reason: 'deceased',
          recordRef: 'swzm-2019-3',
        },
      },
    ]);
    await append(id(4), [
      {
        type: 'HouseholdRemovedFromRegister',
        data: {
          householdId: id(4),
          by: 'county-official-song-01',
          at: new Date().toISOString(),
          countyId: 'song',
          villageId: V,
          year: 2019,
          reason: 'wrongly-identified',
          memberCount: 3,
          note: '错评清退',
        },
      },
    ]);
  }, 180_000);
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  it('refuses a fact about a member removed from the household, leaving no event', async () => {
    await refusedWithoutEvent(
      actor('work-team'),
      `/households/${id(3)}/benefit-file`,
      { type: 'memberAttributes', idNumber: idOf(3, 2), labourCapacity: 'none' },
      'BENEFIT_MEMBER_NOT_IN_FILE',
    );
  });

  it('危改: no list before 验收; a standard above the cap is refused; after 验收 the household’s own account is paid within the standard', async () => {
    await refusedWithoutEvent(DRAFTER, '/benefit-rounds', { programmeId: 'housing-renovation', townshipId: twp('wa'), villageIds: [V], period: '2019-once' }, 'BENEFIT_LIST_EMPTY');
    expect((await fact(2, { type: 'renovationAccepted', acceptedOn: new Date().toISOString().slice(0, 10), evidenceRef: 'ys-2019-2' }, APPROVER)).status).toBe(201);
    await refusedWithoutEvent(
      DRAFTER,
      '/benefit-rounds',
      { programmeId: 'housing-renovation', townshipId: twp('wb'), villageIds: [V], period: '2019-once', standards: { C: '7600元' } },
      'BENEFIT_STANDARD_OUT_OF_BOUNDS',
    );
    const r = await start('housing-renovation', twp('wc'), '2019-once');
    expect(r.status).toBe(201);
    expect(r.body.summary).toMatchObject({ lineCount: 1, listTotal: 750_000 });
    const closed = await walk(r.body.roundId);
    expect(closed.summary).toMatchObject({ paid: 750_000, returned: 0 });
    const flow = await call<{ allocations: { projectId: string; payments: { householdId: string | null; amount: number; payee: string }[] }[] }>(
      INSPECTOR,
      'GET',
      `/funds/${FUND}/flow`,
    );
    const paid = flow.body.allocations.find((a) => a.projectId === r.body.roundId)!.payments;
    expect(paid.map((p) => [p.householdId, p.amount])).toEqual([[id(2), 750_000]]);
    // The payee is the household's 一卡通 account key, as its ledger shows it masked.
    expect(paid[0]!.payee).toMatch(/^ykt-[0-9a-f]{32}$/);
    const ledger = await call<{ rows: { programmeId: string; status: string; account: string | null; amountFen: number }[] }>(TOWNSHIP, 'GET', `/households/${id(2)}/benefits`);
    expect(ledger.body.rows).toEqual([expect.objectContaining({ programmeId: 'housing-renovation', status: 'paid', amountFen: 750_000, account: '6217********9902' })]);
  });

  it('a household exited in 2018 is paid its 2019 特困 support and 中职 grant; the removed member is not listed; 公益性岗位 (stops at exit) and a removed household are refused', async () => {
    const tk = await start('extreme-poverty-support', twp('a'), '2019');
    expect([tk.status, tk.body.summary?.lineCount, tk.body.summary?.listTotal]).toEqual([201, 1, 300_000]);
    const zz = await start('secondary-vocational-grant', twp('a'), '2019');
    // Households 1 and 2; household 3's only student has died, household 4 is off the register.
    expect([zz.status, zz.body.summary?.lineCount, zz.body.summary?.listTotal, zz.body.excluded]).toEqual([201, 2, 400_000, 2]);
    // Its two objections must be ruled on inside the 公示 (after it, any objection is refused for that): the longest notice, as the
    // round goes no further.
    const gy = await start('public-welfare-job-wage', twp('a'), '2019-03', { noticeDays: 60 });
    expect([gy.status, gy.body.summary?.lineCount, gy.body.excluded]).toEqual([201, 1, 3]);
    await step(TOWNSHIP, gy.body.roundId, { type: 'postNotice' });
    await refusedWithoutEvent(
      TOWNSHIP,
      `/benefit-rounds/${gy.body.roundId}/steps`,
      { type: 'objection', objectionId: 'gy-1', householdId: id(1), outcome: 'add', reason: '村民反映该户仍在公益岗' },
      'BENEFIT_STOPS_AT_EXIT',
    );
    await refusedWithoutEvent(
      TOWNSHIP,
      `/benefit-rounds/${gy.body.roundId}/steps`,
      { type: 'objection', objectionId: 'gy-2', householdId: id(4), outcome: 'add', reason: '村民推荐' },
      'BENEFIT_HOUSEHOLD_REMOVED',
    );
    const [a, b] = await Promise.all([walk(tk.body.roundId), walk(zz.body.roundId)]);
    expect([a.summary?.paid, b.summary?.paid]).toEqual([300_000, 400_000]);
    const ledger = await call<{ rows: { programmeId: string; status: string; year: number }[] }>(TOWNSHIP, 'GET', `/households/${id(1)}/benefits`);
    expect(ledger.body.rows.map((r) => [r.programmeId, r.year, r.status]).sort()).toEqual([
      ['extreme-poverty-support', 2019, 'paid'],
      ['secondary-vocational-grant', 2019, 'paid'],
    ]);
    // The changed account paid a week later is flagged; the exited household's payments are not.
    const anomalies = await until(
      'the payment soon after the account change flagged',
      async () => (await call<{ items: Anomaly[] }>(INSPECTOR, 'GET', '/anomalies?county=song')).body.items,
      {
        ok: (items) => items.some((x) => x.kind === 'payment-soon-after-account-change' && x.projectId === zz.body.roundId),
      },
    );
    expect(anomalies.filter((x) => x.kind === 'payment-soon-after-account-change').map((x) => [x.householdId, x.projectId])).toEqual(
      expect.arrayContaining([
        [id(2), zz.body.roundId],
        [id(2), expect.stringContaining('housing-renovation')],
      ]),
    );
    expect(anomalies.filter((x) => x.householdId === id(1))).toEqual([]);
  });

  it('refuses a second township’s 中职 round over the same village for the same year: nobody is paid twice in one period', async () => {
    const r = await refusedWithoutEvent(
      DRAFTER,
      '/benefit-rounds',
      { programmeId: 'secondary-vocational-grant', townshipId: twp('z'), villageIds: [V], period: '2019' },
      'BENEFIT_PERSON_TWICE',
    );
    expect(JSON.stringify(r)).toContain(`secondary-vocational-grant-a${RUN}`);
  });

  it('does not pay a household removed from the register after its list was approved: its line is returned, the round reconciles', async () => {
    const V2 = `vil-song-q${RUN}`;
    const [a, b] = [1, 2].map((n) => householdBody(V2, 60 + n)) as [ReturnType<typeof householdBody>, ReturnType<typeof householdBody>];
    for (const [k, h] of [a, b].entries()) {
      expect((await call(actor('county-official'), 'POST', '/registry/households', h)).status).toBe(201);
      expect(
        (await call(TOWNSHIP, 'POST', `/households/${h.householdId}/account`, { accountNumber: `6217 0000 5432 ${8800 + k}`, bank: '嵩县农商银行', reason: '惠农一卡通开户' }))
          .status,
      ).toBe(201);
      const enrolled = {
        type: 'memberAttributes',
        idNumber: h.members[2]!.idNumber,
        labourCapacity: 'none',
        schooling: { level: 'secondary-vocational', schoolYear: 2019, evidenceRef: `xj-q-${k}` },
      };
      expect((await call(actor('work-team'), 'POST', `/households/${h.householdId}/benefit-file`, enrolled)).status).toBe(201);
    }
    const r = await call<Status>(DRAFTER, 'POST', '/benefit-rounds', { programmeId: 'secondary-vocational-grant', townshipId: twp('q'), villageIds: [V2], period: '2019' });
    expect([r.status, r.body.summary?.lineCount]).toEqual([201, 2]);
    await step(TOWNSHIP, r.body.roundId, { type: 'postNotice' });
    await statusUntil(r.body.roundId, 'township-review');
    await step(TOWNSHIP, r.body.roundId, { type: 'review', approved: true, note: '同意' });
    await step(APPROVER, r.body.roundId, { type: 'approve', approved: true, note: '同意拨付' });
    // Between the approval and the payment, the county takes household b off the register (错评清退).
    await append(b.householdId, [
      {
        type: 'HouseholdRemovedFromRegister',
        data: {
          householdId: b.householdId,
          by: 'county-official-song-01',
          at: new Date().toISOString(),
          countyId: 'song',
          villageId: V2,
          year: 2019,
          reason: 'wrongly-identified',
          memberCount: b.members.length,
          note: '错评清退',
        },
      },
    ]);
    await step(FINANCE, r.body.roundId, { type: 'disburse', fundId: FUND });
    const closed = await statusUntil(r.body.roundId, 'closed');
    expect(closed.summary).toMatchObject({ listTotal: 400_000, paid: 200_000, returned: 200_000 });
    const ledger = async (householdId: string) =>
      (await call<{ rows: { status: string; returnCode: string | null }[] }>(TOWNSHIP, 'GET', `/households/${householdId}/benefits`)).body.rows.map((x) => [
        x.status,
        x.returnCode,
      ]);
    expect(await ledger(a.householdId)).toEqual([['paid', null]]);
    expect(await ledger(b.householdId)).toEqual([['returned', 'BENEFIT_HOUSEHOLD_REMOVED']]);
  });
});
