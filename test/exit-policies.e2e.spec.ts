import { randomBytes } from 'node:crypto';
import { readStream } from '../infra/eventstore';
import { importHouseholdFile } from '../infra/registry/register';
import { parseYearlyRecords, recordYearly } from '../infra/registry/yearly-records';
import { registerPoorVillage } from '../services/village-exits';
import { CHECKLIST_ITEMS } from '../domain/village/checklist';
import { exitRound } from '../workflows/exit-round';
import { exitRoundStatusQuery, exitRoundStepUpdate, type ExitRoundStepRequest } from '../workflows/exit-round.messages';
import { villageExit } from '../workflows/village-exit';
import { villageExitStatusQuery, villageExitStepUpdate } from '../workflows/village-exit.messages';
import { aboveLine, actor, household } from './support/exit-households';
import { saveHistory } from './support/project-walk';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';

jest.setTimeout(240_000);

const DAY = 86_400;
const SALT = 'test-salt-for-exit-policies-0123';
const FULL_CHECKLIST = CHECKLIST_ITEMS.map((i) => ({ item: i.id, result: i.kind === 'considered' ? ('considered' as const) : ('met' as const), evidenceRef: `evidence-${i.id}` }));
const suffix = () => randomBytes(3).toString('hex');

/**
 * Issue 11 point 15 for the exit processes: whoever started an exit round or a village exit chose
 * its 公示's length (the input's noticeSeconds), so a 5-second notice ran. Outside a namespace
 * configured for tests or simulation the process now takes the notice in force from the domain.
 */
describe('an exit decides by the notice in force, not by the one its starter sends', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // This worker's namespace is not configured for simulation: a production namespace.
    stack = await startTestStack('exit-policies', { env: { TUOPIN_SIMULATION_NAMESPACES: 'tuopin-sim-*' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('an exit round started with a 5-second notice posts the plan’s 7 days', async () => {
    const village = 'vil-song-p01';
    const hh = [1, 2].map((n) => household(village, 600 + n));
    const ids = hh.map((h) => h.householdId);
    await importHouseholdFile(stack.db.appDb, { name: `${village}.json`, text: JSON.stringify(hh), actor: actor('county-official'), salt: SALT });
    await recordYearly(stack.db.appDb, parseYearlyRecords(ids.map((id) => aboveLine(id))), { actor: actor('work-team') });
    const h = await stack.client.workflow.start(exitRound, {
      taskQueue: stack.cfg.TEMPORAL_EXIT_TASK_QUEUE,
      workflowId: `exit-round-${village}-2016-${suffix()}`,
      args: [{ villageId: village, countyId: 'song', year: 2016, assessor: actor('work-team'), noticeSeconds: 5, correlationId: `t-${village}` }],
    });
    await until('the round past assessing', () => h.query(exitRoundStatusQuery), { ok: (s) => s.phase !== 'assessing' });
    const step = (req: ExitRoundStepRequest) => h.executeUpdate(exitRoundStepUpdate, { args: [req] });
    await step({ type: 'appraise', actor: actor('village-committee'), recordRef: 'p01-appraisal-2016', agreed: ids });
    await step({ type: 'check', actor: actor('work-team'), confirmed: ids, findings: 'visited' });
    await step({ type: 'consent', actor: actor('township-official'), householdIds: ids, consents: true, recordRef: 'signed-2016' });
    const posted = Date.now();
    expect((await step({ type: 'postNotice', actor: actor('township-official') })).phase).toBe('in-notice');
    const notice = (await readStream(stack.db.appDb, `household-${ids[0]}`)).find((e) => e.type === 'HouseholdExitNoticePosted')!.data as {
      endsAt: string;
      minimumSeconds: number;
    };
    expect(notice.minimumSeconds).toBe(7 * DAY);
    expect(Date.parse(notice.endsAt) - posted).toBeGreaterThanOrEqual(7 * DAY * 1000 - 60_000);
    expect(Date.parse((await h.query(exitRoundStatusQuery)).noticeEndsAt!)).toBe(Date.parse(notice.endsAt));
    await h.terminate('test over: the notice runs 7 days');
    await saveHistory(h, 'exit-round-notice-in-force');
  });

  it('a village exit started with a 5-second notice posts the plan’s 7 days after the county’s review', async () => {
    const village = 'vil-song-p19';
    await importHouseholdFile(stack.db.appDb, {
      name: `${village}.json`,
      text: JSON.stringify([household(village, 701), household(village, 702)]),
      actor: actor('county-official'),
      salt: SALT,
    });
    await registerPoorVillage(stack.db.appDb, {
      type: 'RegisterPoorVillage',
      data: { villageId: village, countyId: 'song', registeredYear: 2015 },
      meta: { actor: actor('county-official'), now: new Date().toISOString() },
    });
    const h = await stack.client.workflow.start(villageExit, {
      taskQueue: stack.cfg.TEMPORAL_EXIT_TASK_QUEUE,
      workflowId: `village-exit-${village}-2016-${suffix()}`,
      args: [
        {
          villageId: village,
          countyId: 'song',
          year: 2016,
          ruralPopulation: 316,
          checklist: FULL_CHECKLIST,
          township: actor('township-official'),
          county: actor('county-official'),
          noticeSeconds: 5,
          correlationId: `t-${village}`,
        },
      ],
    });
    await until('the village exit awaiting review', () => h.query(villageExitStatusQuery), { ok: (s) => s.phase === 'awaiting-review' });
    const posted = Date.now();
    expect((await h.executeUpdate(villageExitStepUpdate, { args: [{ type: 'review', actor: actor('county-official'), approved: true, note: '同意' }] })).phase).toBe('in-notice');
    const notice = (await readStream(stack.db.appDb, `village-${village}`)).find((e) => e.type === 'VillageExitNoticePosted')!.data as { endsAt: string; minimumSeconds: number };
    expect(notice.minimumSeconds).toBe(7 * DAY);
    expect(Date.parse(notice.endsAt) - posted).toBeGreaterThanOrEqual(7 * DAY * 1000 - 60_000);
    await h.terminate('test over: the notice runs 7 days');
  });
});
