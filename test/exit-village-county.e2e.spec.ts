import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { readStream } from '../infra/eventstore';
import { importHouseholdFile } from '../infra/registry/register';
import { registerPoorVillage } from '../services/village-exits';
import { CHECKLIST_ITEMS } from '../domain/village/checklist';
import { villageExit } from '../workflows/village-exit';
import { countyExit } from '../workflows/county-exit';
import { villageExitStatusQuery, villageExitStepUpdate, villageExitWorkflowId, type VillageExitInput } from '../workflows/village-exit.messages';
import { countyExitWorkflowId } from '../workflows/county-exit.messages';
import { actor, household } from './support/exit-households';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';

const SALT = 'test-salt-for-village-county-0123456789';
const FULL_CHECKLIST = CHECKLIST_ITEMS.map((i) => ({ item: i.id, result: i.kind === 'considered' ? ('considered' as const) : ('met' as const), evidenceRef: `evidence-${i.id}` }));
const suffix = () => randomBytes(3).toString('hex');

describe('village and county exits (real Temporal, PostgreSQL, NATS)', () => {
  let stack: TestStack;
  // The county registers the poor village first (its own act); the exit workflow takes a registered village.
  const start = async (villageId: string, ruralPopulation: number, checklist: VillageExitInput['checklist']) => {
    await registerPoorVillage(stack.db.appDb, {
      type: 'RegisterPoorVillage',
      data: { villageId, countyId: 'song', registeredYear: 2015 },
      meta: { actor: actor('county-official'), now: new Date().toISOString() },
    });
    return stack.client.workflow.start(villageExit, {
      taskQueue: stack.cfg.TEMPORAL_EXIT_TASK_QUEUE,
      workflowId: `${villageExitWorkflowId(villageId, 2016)}-${suffix()}`,
      args: [
        {
          villageId,
          countyId: 'song',
          year: 2016,
          ruralPopulation,
          checklist,
          township: actor('township-official'),
          county: actor('county-official'),
          noticeSeconds: 3,
          correlationId: `test-${villageId}`,
        },
      ],
    });
  };

  beforeAll(async () => {
    stack = await startTestStack('exitvillage');
    // Two poor households of three in each village: six poor people remain.
    for (const [v, base] of [
      ['vil-song-v21', 60],
      ['vil-song-v19', 70],
      ['vil-song-v18', 80],
    ] as const) {
      const rows = [household(v, base + 1), household(v, base + 2)];
      await importHouseholdFile(stack.db.appDb, { name: `${v}.json`, text: JSON.stringify(rows), actor: actor('county-official'), salt: SALT });
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a village at 2.1% incidence cannot exit: the application is refused with the incidence test and its numbers', async () => {
    const h = await start('vil-song-v21', 286, FULL_CHECKLIST);
    const r = await h.result();
    expect(r.phase).toBe('blocked');
    expect(r.incidence).toEqual({ poorRemaining: 6, population: 286 });
    expect(r.blockedBy).toMatchObject({ code: 'VILLAGE_INCIDENCE_TOO_HIGH', en: 'incidence 2.10% (6/286) is not below 2%' });
    const types = (await readStream(stack.db.appDb, 'village-vil-song-v21')).map((e) => e.type);
    expect(types).not.toContain('VillageExitApplied');
  });

  it('at 1.9% without its checklist closed it cannot exit either', async () => {
    const r = await (
      await start(
        'vil-song-v18',
        316,
        FULL_CHECKLIST.filter((c) => c.item !== 'broadband'),
      )
    ).result();
    expect(r.blockedBy).toMatchObject({ code: 'VILLAGE_CHECKLIST_INCOMPLETE', details: { items: ['broadband'] } });
  });

  it('a village at 1.9% with its checklist exits: review, notice, announcement', async () => {
    const h = await start('vil-song-v19', 316, FULL_CHECKLIST);
    const atPhase = (phase: string) => until(`the village exit at ${phase}`, () => h.query(villageExitStatusQuery), { ok: (s) => s.phase === phase });
    await atPhase('awaiting-review');
    const early = await h.executeUpdate(villageExitStepUpdate, { args: [{ type: 'announce', actor: actor('county-official') }] }).catch((e: unknown) => e);
    expect((early as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'VILLAGE_EXIT_WRONG_PHASE' });
    await h.executeUpdate(villageExitStepUpdate, { args: [{ type: 'review', actor: actor('county-official'), approved: true, note: 'ok' }] });
    await atPhase('awaiting-announcement');
    await h.executeUpdate(villageExitStepUpdate, { args: [{ type: 'announce', actor: actor('county-official') }] });
    const r = await h.result();
    expect(r).toMatchObject({ phase: 'exited', incidence: { poorRemaining: 6, population: 316 } });
    const events = await readStream(stack.db.appDb, 'village-vil-song-v19');
    expect(events.at(-1)).toMatchObject({ type: 'VillageExited', data: { year: 2016, poorRemaining: 6, population: 316, countyId: 'song' } });
    expect(events.filter((e) => e.type === 'VillageChecklistItemChecked')).toHaveLength(CHECKLIST_ITEMS.length);
  });

  it('a county failing the 90% villages test is blocked with that reason', async () => {
    const h = await stack.client.workflow.start(countyExit, {
      taskQueue: stack.cfg.TEMPORAL_EXIT_TASK_QUEUE,
      workflowId: `${countyExitWorkflowId('song', 2019)}-${suffix()}`,
      args: [
        {
          countyId: 'song',
          year: 2019,
          ruralPopulation: 400_000,
          nonRegisteredHouseholds: 100_000,
          county: actor('county-official'),
          noticeSeconds: 3,
          correlationId: 'test-county-song',
        },
      ],
    });
    const r = await h.result();
    expect(r.phase).toBe('blocked');
    expect(r.figures).toEqual({ poorRemaining: 18, ruralPopulation: 400_000, poorVillagesExited: 1 });
    expect(r.blockedBy).toMatchObject({ code: 'COUNTY_TOO_FEW_VILLAGES_EXITED', en: 'poor villages exited 1.05% (1/95) is below 90%' });
    expect(await readStream(stack.db.appDb, 'county-song')).toHaveLength(0);
  });
});
