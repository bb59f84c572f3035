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
import { countyExit } from '../workflows/county-exit';
import { villageExitStatusQuery, villageExitStepUpdate } from '../workflows/village-exit.messages';
import { countyExitStatusQuery, countyExitStepUpdate, type CountyExitStepRequest } from '../workflows/county-exit.messages';
import { ALL_MET } from './support/exit-households';
import { startTestStack, type TestStack } from './support/stack';

/**
 * 西工区 (an urban district: all poor villages out, poor reduced by more than 90%) from registration
 * to its exit: households exited (set up through the decider with stepped times), villages exited
 * through the workflow, then the county's provincial check with its seeded sample.
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
const SEED = 'province-2016-xigong';
const NON_REGISTERED = 5_000;

describe('a county exit with the provincial check and its third-party sample (real Temporal, PostgreSQL, NATS)', () => {
  let stack: TestStack;
  const suffix = () => randomBytes(3).toString('hex');
  const startCounty = () =>
    stack.client.workflow.start(countyExit, {
      taskQueue: stack.cfg.TEMPORAL_EXIT_TASK_QUEUE,
      workflowId: `county-exit-xigong-2016-${suffix()}`,
      args: [
        {
          countyId: C,
          year: 2016,
          ruralPopulation: 60_000,
          nonRegisteredHouseholds: NON_REGISTERED,
          county: as('county-official'),
          noticeSeconds: 2,
          correlationId: 'test-county-xigong',
        },
      ],
    });
  const province = (foundPoor: string[]): CountyExitStepRequest => ({
    type: 'provincialCheck',
    actor: as('province-poverty-office'),
    seed: SEED,
    evaluator: 'third-party-evaluator-01',
    exitedToSample: 3,
    nonRegisteredToSample: 10,
    foundPoor,
    approval: { approving: 96, asked: 100 },
    incomeGrowthBp: { county: 900, province: 850 },
    servicesAtOrNearProvince: true,
  });
  const until = async (cond: () => Promise<boolean>) => {
    for (let i = 0; i < 150 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 200));
  };

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
        await until(async () => (await h.query(villageExitStatusQuery)).phase === 'awaiting-review');
        await h.executeUpdate(villageExitStepUpdate, { args: [{ type: 'review', actor: as('county-official'), approved: true }] });
        await until(async () => (await h.query(villageExitStatusQuery)).phase === 'awaiting-announcement');
        await h.executeUpdate(villageExitStepUpdate, { args: [{ type: 'announce', actor: as('county-official') }] });
        expect((await h.result()).phase).toBe('exited');
      }),
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a failed provincial test blocks the exit with the reason; the seeded sample and each finding are recorded', async () => {
    const h = await startCounty();
    await until(async () => (await h.query(countyExitStatusQuery)).phase === 'awaiting-city');
    expect((await h.query(countyExitStatusQuery)).figures).toEqual({ poorRemaining: 0, ruralPopulation: 60_000, poorVillagesExited: 3 });
    await h.executeUpdate(countyExitStepUpdate, { args: [{ type: 'cityPreCheck', actor: as('city-poverty-office'), passed: true, findings: 'files complete' }] });
    // The evaluators find the first drawn non-registered household poor: 1 of 10 missed is 10%.
    const first = drawIndexes(`${SEED}:non-registered`, NON_REGISTERED, 10)[0]!;
    const s = await h.executeUpdate(countyExitStepUpdate, { args: [province([`nr-xigong-${first + 1}`])] });
    expect(s.phase).toBe('blocked');
    expect(s.blockedBy).toMatchObject({ code: 'COUNTY_MISSED_POOR_TOO_HIGH', en: 'missed-poor rate 10.00% (1/10) is not below 2%' });
    expect(s.sample).toEqual({ seed: SEED, drawn: 13, wronglyExited: 0, missedPoor: 1 });
    expect((await h.result()).phase).toBe('blocked');
    const findings = await sql<{ kind: string; finding: string; n: string }>`
      SELECT kind, finding, count(*) AS n FROM county_check_findings WHERE seed = ${SEED} GROUP BY kind, finding ORDER BY kind, finding`.execute(stack.db.appDb);
    expect(findings.rows.map((r) => [r.kind, r.finding, Number(r.n)])).toEqual([
      ['exited', 'meets-standard', 3],
      ['non-registered', 'missed-poor', 1],
      ['non-registered', 'not-poor', 9],
    ]);
    const last = (await readStream(stack.db.appDb, 'county-xigong')).at(-1)!;
    expect(last).toMatchObject({ type: 'CountyProvincialCheckRecorded', data: { passed: false, sample: { seed: SEED, households: 13 }, missedPoor: { found: 1, checked: 10 } } });
  });

  it('applying again, a clean check leads to the notice and the announcement (摘帽)', async () => {
    const h = await startCounty();
    await until(async () => (await h.query(countyExitStatusQuery)).phase === 'awaiting-city');
    await h.executeUpdate(countyExitStepUpdate, { args: [{ type: 'cityPreCheck', actor: as('city-poverty-office'), passed: true }] });
    // 省级核查 is the province's: a Luoyang inspector or the city is refused before anything is recorded.
    await expect(h.executeUpdate(countyExitStepUpdate, { args: [{ ...province([]), actor: as('inspector') }] })).rejects.toMatchObject({
      cause: { type: 'ACCESS_ROLE_NOT_ALLOWED' },
    });
    const s = await h.executeUpdate(countyExitStepUpdate, { args: [province([])] });
    expect(s.phase).toBe('in-notice');
    await until(async () => (await h.query(countyExitStatusQuery)).phase === 'awaiting-announcement');
    // The city may not announce 摘帽; the provincial government does.
    await expect(h.executeUpdate(countyExitStepUpdate, { args: [{ type: 'announce', actor: as('city-poverty-office') }] })).rejects.toMatchObject({
      cause: { type: 'ACCESS_ROLE_NOT_ALLOWED' },
    });
    await h.executeUpdate(countyExitStepUpdate, { args: [{ type: 'announce', actor: as('province-government') }] });
    expect(await h.result()).toMatchObject({ phase: 'exited' });
    const events = await readStream(stack.db.appDb, 'county-xigong');
    // The notice is recorded under the provincial office that checked and posted it, not an account named at the start.
    expect(events.filter((e) => e.type === 'CountyExitNoticePosted').at(-1)).toMatchObject({
      data: { by: 'province-poverty-office-xg' },
      metadata: { actor: { role: 'province-poverty-office' } },
    });
    expect(events.at(-1)).toMatchObject({ type: 'CountyExited', data: { year: 2016, poorCounty: false, by: 'province-government-xg' } });
  });
});
