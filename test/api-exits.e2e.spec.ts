import { randomBytes } from 'node:crypto';
import { CSV_COLUMNS, toCsvLine } from '../infra/registry/file-format';
import { CHECKLIST_ITEMS } from '../domain/village/checklist';
import type { Actor } from '../domain/shared/actor';
import { aboveLine, actor, household, householdBody } from './support/exit-households';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';

const csv = (rows: ReturnType<typeof household>[]) => [CSV_COLUMNS.join(','), ...rows.map((r) => toCsvLine(r))].join('\n');
const FULL_CHECKLIST = CHECKLIST_ITEMS.map((i) => ({ item: i.id, result: i.kind === 'considered' ? 'considered' : 'met', evidenceRef: `evidence-${i.id}` }));
/** Workflow ids name the village and year: a fresh village per run keeps runs apart on the shared Temporal server. */
const RUN = randomBytes(3).toString('hex');
const V = `vil-song-x${RUN}`;
const TEAM = actor('work-team');
const TOWNSHIP = actor('township-official');
const COUNTY = actor('county-official');
const VILLAGE_COMMITTEE = actor('village-committee');
const OUTSIDER: Actor = { userId: 'team.luanchuan', role: 'work-team', countyId: 'luanchuan' };
const CITY: Actor = { userId: 'city.office', role: 'city-poverty-office' };

describe('the HTTP API for the registry, the exit processes and progress against the plan', () => {
  let stack: TestStack;
  let api: TestApi;
  const call = async (as: Actor, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    api.app.inject({ method, url, headers: { ...(await api.bearer(as)), ...headers }, ...(payload === undefined ? {} : { payload: payload as never }) });

  beforeAll(async () => {
    stack = await startTestStack('api-exits');
    // A notice day of one second: the 7-day notices run out while the test waits.
    api = await startTestApi(stack, { noticeDaySeconds: 1 });
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  it('registers one household, and shows its state without a single ID number', async () => {
    const h = householdBody(V, 1);
    const first = await call(COUNTY, 'POST', '/registry/households', h);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ households: 1, members: 3, repeated: false });
    const again = await call(COUNTY, 'POST', '/registry/households', h);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ repeated: true });
    const shown = await call(actor('township-official'), 'GET', `/households/${h.householdId}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ householdId: h.householdId, status: 'poor', file: { countyId: 'song', villageId: V, memberCount: 3 } });
    // Member keys are salted hashes in hex, whose digits can run 14 long by chance: not ID numbers.
    expect(shown.body.replace(/mk1-[0-9a-f]{64}/g, 'mk1-…')).not.toMatch(/\d{14}/);
    for (const m of h.members) expect(shown.body).not.toContain(m.idNumber.slice(6, 14));
  });

  it('imports a file over HTTP; a bad file is refused naming line and field, without its ID digits, and writes nothing', async () => {
    const rows = [2, 3, 4].map((n) => household(V, n));
    const bad = { ...rows[1]!, members: rows[1]!.members.map((m, i) => (i === 1 ? { ...m, idNumber: `${m.idNumber.slice(0, 17)}${m.idNumber.endsWith('0') ? '1' : '0'}` } : m)) };
    const before = await api.eventCount();
    const refused = await call(COUNTY, 'POST', `/registry/imports?name=${V}.csv`, csv([rows[0]!, bad, rows[2]!]), { 'content-type': 'text/csv' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'REGISTRY_ROWS_INVALID', details: { rows: [{ line: 3, row: 2, field: 'members[1].idNumber', code: 'RESIDENT_ID_INVALID' }] } });
    expect(refused.body).not.toContain(bad.members[1]!.idNumber.slice(0, 14));
    // JSON keeps its own line numbers too.
    const json = JSON.stringify([rows[0], { ...rows[2], perCapitaIncome: 2500.5 }], null, 1);
    const refusedJson = await call(COUNTY, 'POST', '/registry/imports', json, { 'content-type': 'application/json' });
    expect(refusedJson.statusCode).toBe(422);
    expect(refusedJson.json<{ details: { rows: { row: number; field: string; line: number }[] } }>().details.rows).toEqual([
      expect.objectContaining({ row: 2, field: 'perCapitaIncome' }),
    ]);
    // A JSON file the parser chokes on: refused as a file, its digits not echoed.
    const broken = await call(COUNTY, 'POST', '/registry/imports', `[{"idNumber": ${bad.members[0]!.idNumber.slice(0, 17)}x}]`, { 'content-type': 'application/json' });
    expect(broken.statusCode).toBe(422);
    expect(broken.body).not.toContain(bad.members[0]!.idNumber.slice(0, 12));
    expect(await api.eventCount()).toBe(before);

    const good = await call(COUNTY, 'POST', `/registry/imports?name=${V}.csv`, csv(rows), { 'content-type': 'text/csv' });
    expect(good.statusCode).toBe(201);
    expect(good.json()).toMatchObject({ households: 3, members: 9, repeated: false });
    expect((await call(COUNTY, 'POST', `/registry/imports?name=${V}.csv`, csv(rows), { 'content-type': 'text/csv' })).json()).toMatchObject({ repeated: true });
  });

  it('refuses out of county (403), names the field (400) and refuses unknown fields, writing nothing', async () => {
    const before = await api.eventCount();
    const out = await call(OUTSIDER, 'POST', '/exit-rounds', { villageId: V, year: 2016 });
    expect(out.statusCode).toBe(403);
    expect(out.json()).toMatchObject({ code: 'ACCESS_OUT_OF_COUNTY' });
    expect((await call(OUTSIDER, 'POST', '/registry/households', householdBody(V, 9))).json()).toMatchObject({ code: 'ACCESS_OUT_OF_COUNTY' });
    expect((await call(OUTSIDER, 'GET', `/households/${household(V, 1).householdId}`)).statusCode).toBe(403);
    expect((await call(OUTSIDER, 'GET', '/progress?county=song')).statusCode).toBe(403);
    // The wrong role for a step is refused by the API's own gate, before the Update is sent.
    const role = await call(TOWNSHIP, 'POST', `/exit-rounds/${V}/2016/steps`, { type: 'check', confirmed: [] });
    expect(role.json()).toMatchObject({ code: 'ACCESS_ROLE_NOT_ALLOWED' });

    const cases: [string, string, unknown, string][] = [
      ['POST', '/exit-rounds', { villageId: V, year: 'twenty' }, 'body.year'],
      ['POST', '/exit-rounds', { villageId: 'vil-nowhere-1', year: 2016 }, 'body.villageId'],
      ['POST', '/exit-rounds', { villageId: V, year: 2016, noticeDays: 1 }, 'body.noticeDays'],
      ['POST', '/exit-rounds', { villageId: V, year: 2016, assessor: 'someone.else' }, 'body'],
      ['POST', `/exit-rounds/${V}/2016/steps`, { type: 'appraise', recordRef: 'r', agreed: [], actor: CITY }, 'body'],
      ['POST', `/exit-rounds/${V}/2016/steps`, { type: 'announceEverything' }, 'body.type'],
      ['POST', '/village-exits', { villageId: V, year: 2016, ruralPopulation: 100, checklist: [{ item: 'magic', result: 'met', evidenceRef: 'x' }] }, 'body.checklist.0.item'],
      ['POST', '/exits/records', { records: [{ ...aboveLine(household(V, 1).householdId), perCapitaIncome: 1.5 }] }, 'body.records.0.perCapitaIncome'],
      ['GET', '/progress?county=song&sort=year', undefined, 'querystring'],
      ['GET', '/progress?year=1999', undefined, 'querystring.year'],
    ];
    for (const [method, url, payload, field] of cases) {
      const r = await call(TEAM, method as 'GET' | 'POST', url, payload);
      expect({ url, status: r.statusCode }).toEqual({ url, status: 400 });
      expect(r.json<{ issues: { field: string }[] }>().issues.map((i) => i.field)).toContain(field);
    }
    expect(await api.eventCount()).toBe(before);
  });

  it('walks a round over HTTP to an announced exit, seen in GET /progress; then the village exits', async () => {
    const ids = [1, 2, 3, 4].map((n) => household(V, n).householdId);
    const rec = await call(TEAM, 'POST', '/exits/records', { records: ids.map((id) => aboveLine(id)) });
    expect(rec.statusCode).toBe(200);
    expect(rec.json()).toMatchObject({ recorded: 4, refused: [], flagged: [] });

    const key = `round-${RUN}`;
    const started = await call(TEAM, 'POST', '/exit-rounds', { villageId: V, year: 2016 }, { 'idempotency-key': key });
    expect(started.statusCode).toBe(201);
    expect(started.json()).toMatchObject({ workflowId: `exit-round-${V}-2016`, repeated: false });
    const repeat = await call(TEAM, 'POST', '/exit-rounds', { villageId: V, year: 2016 }, { 'idempotency-key': key });
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toMatchObject({ repeated: true, runId: started.json<{ runId: string }>().runId });
    expect((await call(TEAM, 'POST', '/exit-rounds', { villageId: V, year: 2016 })).json()).toMatchObject({ code: 'EXIT_PROCESS_RUNNING' });

    const status = () => call(TEAM, 'GET', `/exit-rounds/${V}/2016`).then((r) => r.json<{ phase: string; phaseZh: string; counts: Record<string, number>; nextActor: unknown }>());
    const assessed = await until('the round at village steps', status, { ok: (s) => s.phase === 'village-steps' });
    expect(assessed.counts).toEqual({ assessed: 4 });
    // Who acts next, in Chinese and as ids: the village's appraisal first.
    expect(assessed).toMatchObject({
      phaseZh: '村内评议核实中',
      nextActor: { step: 'appraise', stepZh: '村民主评议', action: 'exit-round.appraise', role: expect.any(String), roleZh: expect.any(String) },
    });
    const step = (as: Actor, body: Record<string, unknown>, requestId?: string) =>
      call(as, 'POST', `/exit-rounds/${V}/2016/steps`, { ...body, ...(requestId ? { requestId } : {}) });

    const appraised = await step(VILLAGE_COMMITTEE, { type: 'appraise', recordRef: 'appraisal-2016', agreed: ids }, `appraise-${RUN}`);
    expect(appraised.json()).toMatchObject({ phase: 'village-steps', refused: [] });
    expect((await step(VILLAGE_COMMITTEE, { type: 'appraise', recordRef: 'appraisal-2016', agreed: ids }, `appraise-${RUN}`)).json()).toEqual(appraised.json());
    // A step out of order is the workflow's refusal: 409 with its code and both languages.
    const early = await step(TOWNSHIP, { type: 'postNotice' });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'EXIT_ROUND_STEPS_PENDING', zh: expect.any(String), en: expect.any(String) });
    const checked = await step(TEAM, { type: 'check', confirmed: ids, findings: 'visited' });
    expect(checked.json()).toMatchObject({ phase: 'village-steps', nextActor: { step: 'consent', action: 'exit-round.consent' } });
    expect((await step(TOWNSHIP, { type: 'consent', householdIds: ids, consents: true, recordRef: 'signed-2016' })).statusCode).toBe(200);
    expect((await step(TOWNSHIP, { type: 'postNotice' })).json()).toMatchObject({ phase: 'in-notice' });
    await until('the round at township review', status, { ok: (s) => s.phase === 'township-review' });
    expect((await step(TOWNSHIP, { type: 'townshipReview', approved: ids, note: 'ok' })).json()).toMatchObject({ phase: 'announcing' });
    expect((await step(COUNTY, { type: 'announce' })).json()).toMatchObject({ phase: 'announced', accepted: expect.arrayContaining(ids) });
    expect((await status()).counts).toEqual({ exited: 4 });
    expect((await call(TEAM, 'GET', `/households/${ids[0]}`)).json()).toMatchObject({ status: 'exited', exit: { year: 2016 } });

    const progress = () =>
      call(COUNTY, 'GET', '/progress?year=2016').then((r) => r.json<{ countyId: string; years: { households: { net: number }; people: { net: number } }[] }>());
    const p = await until('four households exited in progress', progress, { ok: (x) => x.years[0]!.households.net === 4 });
    expect(p).toMatchObject({
      countyId: 'song',
      year: 2016,
      years: [{ year: 2016, households: { exited: 4, net: 4 }, people: { exited: 12, returned: 0, net: 12, target: null } }],
    });
    const city = (await call(CITY, 'GET', '/progress?year=2016')).json<{ years: { people: { target: number }; villages: { target: number } }[]; counties: unknown[] }>();
    expect(city.years[0]).toMatchObject({ people: { target: 48_805 }, villages: { target: 214 } });
    expect(city.counties).toHaveLength(13);

    // The village: registered by the county, its exit started by the township and its status read.
    const before = await api.eventCount();
    const notRegistered = await call(TOWNSHIP, 'POST', '/village-exits', { villageId: V, year: 2016, ruralPopulation: 1_000, checklist: FULL_CHECKLIST });
    expect(notRegistered.statusCode).toBe(409);
    expect(notRegistered.json()).toMatchObject({ code: 'VILLAGE_NOT_REGISTERED' });
    expect(await api.eventCount()).toBe(before);
    expect((await call(COUNTY, 'POST', '/registry/villages', { villageId: V })).statusCode).toBe(201);
    const v = await call(TOWNSHIP, 'POST', '/village-exits', { villageId: V, year: 2016, ruralPopulation: 1_000, checklist: FULL_CHECKLIST });
    expect(v.statusCode).toBe(201);
    // The answer carries the status once the application has run, and who acts next: the county reviews.
    expect(v.json()).toMatchObject({ status: { phase: 'awaiting-review', nextActor: { step: 'review', role: 'county-official', roleZh: '县扶贫办干部' } } });
    // A village that does not meet the standard is refused at once, naming the failing test (not 201 and a block on a later GET).
    const V2 = `vil-song-y${RUN}`;
    expect((await call(COUNTY, 'POST', '/registry/villages', { villageId: V2 })).statusCode).toBe(201);
    const short = await call(TOWNSHIP, 'POST', '/village-exits', { villageId: V2, year: 2016, ruralPopulation: 1_000, checklist: FULL_CHECKLIST.slice(1) });
    expect(short.statusCode).toBe(422);
    expect(short.json()).toMatchObject({ code: 'VILLAGE_CHECKLIST_INCOMPLETE', zh: expect.stringContaining('未达到村退出标准') });
    const vstatus = () => call(TEAM, 'GET', `/village-exits/${V}/2016`).then((r) => r.json<{ phase: string; incidence?: unknown }>());
    expect(await until('the village exit awaiting review', vstatus, { ok: (s) => s.phase === 'awaiting-review' })).toMatchObject({
      phase: 'awaiting-review',
      incidence: { poorRemaining: 0, population: 1_000 },
    });
    expect((await call(TOWNSHIP, 'POST', `/village-exits/${V}/2016/steps`, { type: 'review', approved: true })).json()).toMatchObject({ code: 'ACCESS_ROLE_NOT_ALLOWED' });
    expect((await call(COUNTY, 'POST', `/village-exits/${V}/2016/steps`, { type: 'review', approved: true, note: 'ok' })).json()).toMatchObject({ phase: 'in-notice' });
    await until('the village exit awaiting its announcement', vstatus, { ok: (s) => s.phase === 'awaiting-announcement' });
    expect((await call(COUNTY, 'POST', `/village-exits/${V}/2016/steps`, { type: 'announce' })).json()).toMatchObject({ phase: 'exited' });
    const withVillage = await until('the village exited in progress', progress, {
      ok: (x) => (x as unknown as { years: { villages: { exited: number } }[] }).years[0]!.villages.exited === 1,
    });
    expect(withVillage).toMatchObject({ years: [{ villages: { exited: 1 } }] });
  });

  it('monitoring flags an exited household; its review is started by the records and decided over HTTP, and progress counts it net', async () => {
    const id = household(V, 1).householdId;
    const r = await call(TEAM, 'POST', '/exits/records', { records: [{ ...aboveLine(id, 2017), perCapitaIncome: '4,200.00元' }] });
    expect(r.json()).toMatchObject({ flagged: [id], reviews: [{ householdId: id, year: 2017, workflowId: `return-review-${id}-2017` }] });
    const step = (as: Actor, body: Record<string, unknown>) => call(as, 'POST', `/return-reviews/${id}/2017/steps`, body);
    expect((await step(TEAM, { type: 'visit', findings: 'illness; income fell' })).json()).toMatchObject({ phase: 'visited', nextActor: { step: 'postNotice' } });
    expect((await step(TEAM, { type: 'decide', returnsToPoverty: true, reason: 'x' })).json()).toMatchObject({ code: 'ACCESS_ROLE_NOT_ALLOWED' });
    expect((await step(TOWNSHIP, { type: 'postNotice' })).json()).toMatchObject({ phase: 'in-notice' });
    await until('the return review awaiting its decision', () => call(TEAM, 'GET', `/return-reviews/${id}/2017`).then((x) => x.json<{ phase: string }>()), {
      ok: (s) => s.phase === 'awaiting-decision',
    });
    expect((await step(COUNTY, { type: 'decide', returnsToPoverty: true, reason: 'income below the line' })).json()).toMatchObject({ phase: 'returned' });
    const p = await until(
      'the return in progress',
      () => call(COUNTY, 'GET', '/progress?county=song&year=2016').then((x) => x.json<{ years: { households: { returned: number; net: number }; people: { net: number } }[] }>()),
      { ok: (x) => x.years[0]!.households.returned === 1 },
    );
    expect(p.years[0]).toMatchObject({ households: { exited: 4, returned: 1, net: 3 }, people: { exited: 12, returned: 3, net: 9 } });
  });
});
