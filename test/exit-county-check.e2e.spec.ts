import { registerPoorVillage } from '../services/village-exits';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { composeResidentId } from '../domain/household/resident-id';
import { CHECKLIST_ITEMS } from '../domain/village/checklist';
import { COUNTY_SCOPED_ROLES, type Actor, type Role } from '../domain/shared/actor';
import { DEFAULT_HOUSEHOLD_RULES } from '../domain/household';
import { readStream } from '../infra/eventstore';
import { importHouseholdFile } from '../infra/registry/register';
import { parseYearlyRecords, recordYearly } from '../infra/registry/yearly-records';
import { applyHouseholdBatch, type BatchCommandType } from '../infra/registry/household-batch';
import { drawIndexes } from '../activities/exit-activities';
import { villageExit } from '../workflows/village-exit';
import { villageExitStatusQuery, villageExitStepUpdate } from '../workflows/village-exit.messages';
import type { CountyExitStatus } from '../workflows/county-exit.messages';
import { storeDigestAt } from '../infra/eventstore/store-digest';
import { countySampleSeed } from '../domain/county';
import { startTestApi } from './support/api';
import { ALL_MET } from './support/exit-households';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';

/**
 * 西工区 (an urban district: all poor villages out, poor reduced by more than 90%) from registration
 * to its exit: households exited (set up through the decider with stepped times), villages exited
 * through the workflow, then the county's exit through the API: the provincial check's sample seeded
 * from the store digest fixed at application, at least the policy's minimum drawn, and the
 * 综合贫困发生率 recorded with the sampled 漏评 carried to the county.
 */
const C = 'xigong' as const;
const as = (role: Role): Actor => (COUNTY_SCOPED_ROLES.includes(role) ? { userId: `${role}-xg`, role, countyId: C } : { userId: `${role}-xg`, role });
const VILLAGES = ['vil-xigong-001', 'vil-xigong-002', 'vil-xigong-003'];
const hh = (v: number) => ({
  householdId: `hh-xigong-c${v}`,
  countyId: C,
  villageId: VILLAGES[v - 1]!,
  registeredYear: 2015,
  members: [{ idNumber: composeResidentId('410303', `1970030${v}`, 100 + v), relation: 'householder' as const }],
  causes: ['illness'],
  perCapitaIncome: 200_000,
  stableIncomeSource: false,
  guarantees: ALL_MET,
});
const NON_REGISTERED = 5_000;

describe('a county exit with the provincial check and its third-party sample (real Temporal, PostgreSQL, NATS)', () => {
  let stack: TestStack;
  const suffix = () => randomBytes(3).toString('hex');

  beforeAll(async () => {
    stack = await startTestStack('exitcounty');
    const db = stack.db.appDb;
    await importHouseholdFile(db, { name: 'xigong.json', text: JSON.stringify([1, 2, 3].map(hh)), actor: as('county-official'), salt: 'test-salt-for-county-check-0123' });
    await recordYearly(
      db,
      parseYearlyRecords([1, 2, 3].map((v) => ({ householdId: `hh-xigong-c${v}`, year: 2016, perCapitaIncome: '6000', stableIncomeSource: true, guarantees: ALL_MET }))),
      { actor: as('work-team') },
    );
    // Each household's exit steps in order, with times a notice apart (the decider reads no clock).
    const t0 = Date.now();
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();
    const steps: [BatchCommandType, Role, Record<string, unknown>, number][] = [
      ['AssessForExit', 'work-team', { year: 2016 }, 0],
      // 民主评议 is the village committee's; whoever appraised or checked a household may not record its consent.
      ['AppraiseInVillage', 'village-committee', { agreed: true, recordRef: 'appraisal' }, 1],
      ['CheckByWorkTeam', 'work-team', { confirmed: true, findings: 'ok' }, 2],
      ['RecordConsent', 'township-official', { consents: true, recordRef: 'signed' }, 3],
      ['PostExitNotice', 'township-official', { endsAt: at(4 + 7 * 86_400) }, 4],
      ['ReviewByTownship', 'township-official', { approved: true, note: 'ok' }, 5 + 7 * 86_400],
      ['AnnounceExit', 'county-official', {}, 6 + 7 * 86_400],
    ];
    for (const [type, role, data, s] of steps) {
      const out = await applyHouseholdBatch(
        db,
        {
          step: type,
          items: [1, 2, 3].map((v) => ({ householdId: `hh-xigong-c${v}`, type, data })),
          actor: as(role),
          now: at(s),
          rules: DEFAULT_HOUSEHOLD_RULES,
          correlationId: 'setup',
          causationId: 'setup',
        },
        { workflowId: 'test-setup-xigong' },
      );
      expect(out.every((o) => o.ok)).toBe(true);
    }
    // The three poor villages exit through their workflow.
    const checklist = CHECKLIST_ITEMS.map((i) => ({ item: i.id, result: i.kind === 'considered' ? ('considered' as const) : ('met' as const), evidenceRef: `ev-${i.id}` }));
    await Promise.all(
      VILLAGES.map(async (villageId) => {
        await registerPoorVillage(stack.db.appDb, {
          type: 'RegisterPoorVillage',
          data: { villageId, countyId: C, registeredYear: 2015 },
          meta: { actor: as('county-official'), now: new Date().toISOString() },
        });
        const h = await stack.client.workflow.start(villageExit, {
          taskQueue: stack.cfg.TEMPORAL_EXIT_TASK_QUEUE,
          workflowId: `village-exit-${villageId}-2016-${suffix()}`,
          args: [
            {
              villageId,
              countyId: C,
              year: 2016,
              ruralPopulation: 1_000,
              checklist,
              township: as('township-official'),
              county: as('county-official'),
              noticeSeconds: 2,
              correlationId: `t-${villageId}`,
            },
          ],
        });
        await until(`${villageId} awaiting review`, () => h.query(villageExitStatusQuery), { ok: (s) => s.phase === 'awaiting-review' });
        await h.executeUpdate(villageExitStepUpdate, { args: [{ type: 'review', actor: as('county-official'), approved: true }] });
        await until(`${villageId} awaiting its announcement`, () => h.query(villageExitStatusQuery), { ok: (s) => s.phase === 'awaiting-announcement' });
        await h.executeUpdate(villageExitStepUpdate, { args: [{ type: 'announce', actor: as('county-official') }] });
        expect((await h.result()).phase).toBe('exited');
      }),
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('through the API: the seed is the store digest fixed at application, the sample at least the policy’s minimum, and the 综合贫困发生率 recorded with the sampled 漏评 in it', async () => {
    const api = await startTestApi(stack, { noticeDaySeconds: 0.3 });
    const send = async (actor: Actor, url: string, payload: object) =>
      api.app.inject({ method: 'POST', url, headers: await api.bearer(actor), payload: payload as Record<string, unknown> });
    const status = async () => (await api.app.inject({ method: 'GET', url: `/county-exits/${C}/2016`, headers: await api.bearer(as('county-official')) })).json<CountyExitStatus>();
    const started = await send(as('county-official'), '/county-exits', { countyId: C, year: 2016, ruralPopulation: 60_000, nonRegisteredHouseholds: NON_REGISTERED });
    expect(started.statusCode).toBe(201);
    await until('the county exit awaiting the city', status, { ok: (s) => s.phase === 'awaiting-city' });
    const steps = `/county-exits/${C}/2016/steps`;
    expect((await send(as('city-poverty-office'), steps, { type: 'cityPreCheck', passed: true, findings: '档案齐全' })).statusCode).toBe(200);

    // The application recorded the store digest at the head when the county applied; anyone can recompute it.
    const applied = (await readStream(stack.db.appDb, 'county-xigong')).find((e) => e.type === 'CountyExitApplied')!;
    const basis = (applied.data as { sampleBasis: { position: number; digest: string } }).sampleBasis;
    expect(basis.position).toBeLessThan(applied.position);
    expect((await storeDigestAt(stack.db.appDb, basis.position)).digest).toBe(basis.digest);
    const seed = countySampleSeed(C, 2016, basis);

    const check = {
      type: 'provincialCheck',
      evaluator: 'third-party-evaluator-01',
      approval: { approving: 96, asked: 100 },
      incomeGrowthBp: { county: 900, province: 850 },
      servicesAtOrNearProvince: true,
    };
    const before = await api.eventCount();
    // The checker brings no seed, and draws no fewer than the policy's minimum: both refused, nothing recorded.
    const withSeed = await send(as('province-poverty-office'), steps, { ...check, seed: 'chosen-by-checker' });
    expect(withSeed.statusCode).toBe(400);
    const tooFew = await send(as('province-poverty-office'), steps, { ...check, nonRegisteredToSample: 10 });
    expect(tooFew.statusCode).toBe(409);
    expect(tooFew.json()).toMatchObject({ code: 'COUNTY_SAMPLE_TOO_SMALL' });
    // 省级核查 is the province's: a Luoyang inspector is refused.
    expect((await send(as('inspector'), steps, check)).statusCode).toBe(403);
    expect(await api.eventCount()).toBe(before);

    // The evaluators find the first drawn non-registered household poor: 1 of 300.
    const first = drawIndexes(`${seed}:non-registered`, NON_REGISTERED, 300)[0]!;
    const r = await send(as('province-poverty-office'), steps, { ...check, foundPoor: [`nr-xigong-${first + 1}`] });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ phase: 'in-notice', sample: { seed, drawn: 303, wronglyExited: 0, missedPoor: 1 } });
    const recorded = (await readStream(stack.db.appDb, 'county-xigong')).find((e) => e.type === 'CountyProvincialCheckRecorded')!;
    // 西工区 is a 面上县: the figures are recorded and do not block. 60,000 rural people, 3 registered
    // (all exited), 59,997 not registered: 1/300 of them is ≈200 missed, so the composite is 0.33%.
    expect(recorded.data).toMatchObject({
      passed: true,
      sample: { seed, households: 303 },
      missedPoor: { found: 1, checked: 300 },
      frames: { poorRemaining: 0, exitedHouseholds: 3, exitedPeople: 3, nonRegisteredHouseholds: NON_REGISTERED, nonRegisteredPeople: 59_997 },
      composite: { unexited: 0, wronglyExitedEstimate: 0, missedEstimate: 200, ruralPopulation: 60_000, tested: false, policy: { id: 'county-check', version: 1 } },
    });
    const findings = await sql<{ kind: string; finding: string; n: string }>`
      SELECT kind, finding, count(*) AS n FROM county_check_findings WHERE seed = ${seed} GROUP BY kind, finding ORDER BY kind, finding`.execute(stack.db.appDb);
    expect(findings.rows.map((x) => [x.kind, x.finding, Number(x.n)])).toEqual([
      ['exited', 'meets-standard', 3],
      ['non-registered', 'missed-poor', 1],
      ['non-registered', 'not-poor', 299],
    ]);

    await until('the county exit awaiting its announcement', status, { ok: (s) => s.phase === 'awaiting-announcement' });
    expect((await send(as('city-poverty-office'), steps, { type: 'announce' })).statusCode).toBe(403);
    expect((await send(as('province-government'), steps, { type: 'announce' })).statusCode).toBe(200);
    const events = await readStream(stack.db.appDb, 'county-xigong');
    // The notice is recorded under the provincial office that checked and posted it, not an account named at the start.
    expect(events.find((e) => e.type === 'CountyExitNoticePosted')).toMatchObject({ data: { by: 'province-poverty-office-xg' } });
    expect(events.at(-1)).toMatchObject({ type: 'CountyExited', data: { year: 2016, poorCounty: false, by: 'province-government-xg' } });
    await api.app.close();
  });
});
