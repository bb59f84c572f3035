import { randomBytes } from 'node:crypto';
import type { Actor } from '../domain/shared/actor';
import { actor, householdBody } from './support/exit-households';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';

/** Workflow ids name the village and year: a fresh village per run keeps runs apart on the shared Temporal server. */
const RUN = randomBytes(3).toString('hex');
const V = `vil-song-i${RUN}`;
const TEAM = actor('work-team');
const TOWNSHIP = actor('township-official');
const COUNTY = actor('county-official');
const COMMITTEE = actor('village-committee');
/** The 村两委 member who appraised, signed in again under a township's or a county's role. */
const APPRAISER_AS_TOWNSHIP: Actor = { ...COMMITTEE, role: 'township-official' };
const APPRAISER_AS_COUNTY: Actor = { ...COMMITTEE, role: 'county-official' };

/** 农户申请 as the API takes it: the registry row's file without county, village and year, with the signed form. */
const application = (serial: number) => {
  const { countyId: _c, villageId: _v, registeredYear: _y, ...file } = householdBody(V, serial);
  return { ...file, recordRef: `sqs-${RUN}-${serial}` };
};

describe('识别 and 动态调整 through the API: a household enters the register by a round and leaves it with a reason', () => {
  let stack: TestStack;
  let api: TestApi;
  const call = async (as: Actor, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    api.app.inject({ method, url, headers: await api.bearer(as), ...(payload === undefined ? {} : { payload: payload as never }) });
  const round = `/identification-rounds/${V}/2017`;
  const phaseIs = (phase: string) =>
    until(`the identification round at ${phase}`, async () => (await call(TOWNSHIP, 'GET', round)).json<{ phase: string }>(), { ok: (s) => s.phase === phase });

  beforeAll(async () => {
    stack = await startTestStack('identification');
    // A notice day of one second: the 7-day notices run out while the test waits.
    api = await startTestApi(stack, { noticeDaySeconds: 1 });
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  it('runs 农户申请 → 民主评议 → 村公示 → 乡审核公示 → 县审定公告 and registers the approved household; an objection takes one out; refused steps write nothing', async () => {
    const [a, b, c] = [1, 2, 3].map(application) as [ReturnType<typeof application>, ReturnType<typeof application>, ReturnType<typeof application>];
    const opened = await call(TOWNSHIP, 'POST', '/identification-rounds', { villageId: V, year: 2017, noticeDays: 7 });
    expect(opened.statusCode).toBe(201);
    for (const x of [a, b, c]) {
      const r = await call(TEAM, 'POST', `${round}/applications`, x);
      expect(r.statusCode).toBe(200);
    }
    const applied = await phaseIs('applying');
    expect(applied).toMatchObject({ phaseZh: '农户申请、民主评议中', nextActor: { step: 'appraise', role: 'village-committee' } });
    // Nothing is on the register yet: an applicant is not a registered household.
    expect((await call(COUNTY, 'GET', `/households/${a.householdId}`)).statusCode).toBe(404);

    // 民主评议 is the 村两委's: the work team may not.
    const before0 = await api.eventCount();
    const byTeam = await call(TEAM, 'POST', `${round}/steps`, { type: 'appraise', agreed: [a.householdId], rejected: [], recordRef: 'm' });
    expect(byTeam.statusCode).toBe(403);
    expect(await api.eventCount()).toBe(before0);

    const appraised = await call(COMMITTEE, 'POST', `${round}/steps`, {
      type: 'appraise',
      agreed: [a.householdId, b.householdId],
      rejected: [c.householdId],
      recordRef: `pyjl-${RUN}`,
    });
    expect(appraised.statusCode).toBe(200);
    expect(appraised.json()).toMatchObject({ nextActor: { step: 'postVillageNotice', role: 'township-official' } });
    const posted = await call(TOWNSHIP, 'POST', `${round}/steps`, { type: 'postVillageNotice' });
    expect(posted.json()).toMatchObject({ phase: 'village-notice', phaseZh: '村公示中' });

    // An objection during the 村公示 takes the household out of this year's round.
    const objected = await call(TEAM, 'POST', `${round}/steps`, { type: 'object', householdId: b.householdId, objectionId: `obj-${RUN}`, summary: '该户家有经营性货车一辆' });
    expect(objected.statusCode).toBe(200);
    expect(objected.json<{ households: { householdId: string; status: string; reasonZh?: string }[] }>().households).toContainEqual(
      expect.objectContaining({ householdId: b.householdId, status: 'out', reasonZh: '公示期有异议' }),
    );

    await phaseIs('township-review');
    // Whoever appraised may not review at the township, whatever role they sign in with.
    const before1 = await api.eventCount();
    const sameReviewer = await call(APPRAISER_AS_TOWNSHIP, 'POST', `${round}/steps`, { type: 'townshipReview', approved: [a.householdId], rejected: [] });
    expect(sameReviewer.statusCode).toBe(403);
    expect(sameReviewer.json()).toMatchObject({ code: 'ACCESS_APPRAISER_CANNOT_REVIEW' });
    expect(await api.eventCount()).toBe(before1);

    const reviewed = await call(TOWNSHIP, 'POST', `${round}/steps`, { type: 'townshipReview', approved: [a.householdId], rejected: [], note: '符合识别标准' });
    expect(reviewed.json()).toMatchObject({ phase: 'township-notice' });
    await phaseIs('county-review');

    // Nor may the appraiser approve for the county.
    const sameApprover = await call(APPRAISER_AS_COUNTY, 'POST', `${round}/steps`, { type: 'announce', approved: [a.householdId], rejected: [] });
    expect(sameApprover.statusCode).toBe(403);
    expect(sameApprover.json()).toMatchObject({ code: 'ACCESS_APPRAISER_CANNOT_APPROVE' });
    expect(await api.eventCount()).toBe(before1 + 2);

    const announced = await call(COUNTY, 'POST', `${round}/steps`, { type: 'announce', approved: [a.householdId], rejected: [], note: '审定通过，予以公告' });
    expect(announced.statusCode).toBe(200);
    expect(announced.json()).toMatchObject({ phase: 'announced', registered: [a.householdId] });

    const registered = await call(TOWNSHIP, 'GET', `/households/${a.householdId}`);
    expect(registered.json()).toMatchObject({ status: 'poor', file: { registeredYear: 2017, villageId: V, memberCount: 3 } });
    for (const out of [b, c]) expect((await call(TOWNSHIP, 'GET', `/households/${out.householdId}`)).statusCode).toBe(404);
    // Applications closed with the village notice: a late one is refused, and nothing is written for it.
    const before2 = await api.eventCount();
    const lateApplication = await call(TEAM, 'POST', `${round}/applications`, application(4));
    expect(lateApplication.statusCode).toBe(409);
    expect(lateApplication.json()).toMatchObject({ code: 'IDENT_WRONG_PHASE' });
    expect(await api.eventCount()).toBe(before2);
  });

  it('refuses to register a new (post-2015) household outright: direct registration imports the 2015 baseline only', async () => {
    const before = await api.eventCount();
    const late = await call(COUNTY, 'POST', '/registry/households', { ...householdBody(V, 21), registeredYear: 2017 });
    expect(late.statusCode).toBe(422);
    expect(late.json()).toMatchObject({ code: 'REGISTRY_NOT_BASELINE', details: { rows: [{ field: 'registeredYear' }] } });
    expect(await api.eventCount()).toBe(before);
  });

  it('动态调整: removes a household with its reason after the notice, and a member; a removal with no reason writes nothing; an exit round refuses the removed household', async () => {
    const h = householdBody(V, 31);
    const m = householdBody(V, 32);
    for (const x of [h, m]) expect((await call(COUNTY, 'POST', '/registry/households', x)).statusCode).toBe(201);
    const removal = `/households/${h.householdId}/removal`;

    const before = await api.eventCount();
    const noReason = await call(COMMITTEE, 'POST', removal, { year: 2018, recordRef: 'swzm-1' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await api.eventCount()).toBe(before);

    const proposed = await call(COMMITTEE, 'POST', removal, { year: 2018, reason: 'deceased', recordRef: `swzm-${RUN}` });
    expect(proposed.statusCode).toBe(200);
    expect(proposed.json()).toMatchObject({ events: ['HouseholdRemovalProposed'] });
    // The village proposes; only the township posts the notice.
    expect((await call(COMMITTEE, 'POST', `${removal}/notice`, { noticeDays: 7 })).statusCode).toBe(403);
    const noticed = await call(TOWNSHIP, 'POST', `${removal}/notice`, { noticeDays: 7 });
    expect(noticed.json()).toMatchObject({ events: ['HouseholdRemovalNoticePosted'] });
    const early = await call(COUNTY, 'POST', `${removal}/decision`, { approved: true, note: '' });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'EXIT_NOTICE_RUNNING' });

    await new Promise((r) => setTimeout(r, 7_500));
    const decided = await call(COUNTY, 'POST', `${removal}/decision`, { approved: true, note: '公示无异议，予以清退' });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'removed', events: ['HouseholdRemovedFromRegister'] });
    expect((await call(TOWNSHIP, 'GET', `/households/${h.householdId}`)).json()).toMatchObject({ status: 'removed', removal: { reason: 'deceased', year: 2018 } });

    const member = await call(TEAM, 'POST', `/households/${m.householdId}/members/removal`, {
      year: 2018,
      idNumber: m.members[2]!.idNumber,
      reason: 'married-out',
      recordRef: `hyzm-${RUN}`,
    });
    expect(member.statusCode).toBe(200);
    expect(member.json()).toMatchObject({ events: ['HouseholdMemberRemoved'] });
    expect((await call(TOWNSHIP, 'GET', `/households/${m.householdId}`)).json()).toMatchObject({ file: { memberCount: 2 } });

    // A removed household is refused by the exit round (and by benefit rounds: test/benefit-policy.e2e.spec.ts).
    const started = await call(TEAM, 'POST', '/exit-rounds', { villageId: V, year: 2018, householdIds: [h.householdId, m.householdId] });
    expect(started.statusCode).toBe(201);
    const exitRound = await until(
      'the exit round past assessing',
      async () => (await call(TEAM, 'GET', `/exit-rounds/${V}/2018`)).json<{ phase: string; households: { householdId: string; status: string; reason?: string }[] }>(),
      { ok: (s) => s.phase !== 'assessing' },
    );
    expect(exitRound.households).toContainEqual({ householdId: h.householdId, status: 'not-assessed', reason: 'HOUSEHOLD_REMOVED' });
  });
});
