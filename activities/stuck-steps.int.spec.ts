import { MockActivityEnvironment } from '@temporalio/testing';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { initialState, type ProjectEvent } from '../domain/project';
import { c, P, project } from '../domain/project/project.fixtures';
import { developmentActors } from '../test/support/token-keys';
import { listAnomaliesPage } from '../services/anomaly-queries';
import { scrape } from '../infra/metrics';
import { createProjectActivities, type AppendProjectEventsInput } from './project-activities';
import { stuckStepInterceptor } from './stuck-steps';

jest.setTimeout(60_000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('stuckstep');
  // A store that refuses this project's events with an error that may heal (57P03: cannot connect now), so Temporal would retry.
  await sql`
    CREATE FUNCTION test_refuse_project() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.stream_id = ${sql.lit(`project-${P}`)} THEN RAISE EXCEPTION 'the store refuses this stream (test)' USING ERRCODE = '57P03'; END IF;
      RETURN NEW;
    END $$`.execute(t.adminDb);
  await sql`CREATE TRIGGER test_refuse_project BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION test_refuse_project()`.execute(t.adminDb);
});
afterAll(async () => {
  await t.drop();
});

const proposed = project.decide(c.propose(), initialState());
if (!proposed.ok) throw new Error(proposed.error.code);
const input: AppendProjectEventsInput = {
  projectId: P,
  countyId: 'song',
  expectedVersion: 'no-stream',
  step: '0:propose',
  events: proposed.events as ProjectEvent[],
  actor: c.propose().meta.actor,
  correlationId: `project-${P}`,
  causationId: 'req-1',
  businessDate: '2016-03-10',
};

/** The real activity through the real interceptor, at a given attempt of a policy of 100 (workflows/retry-policies.ts). */
const attempt = (n: number, activityId = '3') => {
  const activities = createProjectActivities({ db: t.appDb, actors: developmentActors(), simulation: true });
  const env = new MockActivityEnvironment(
    {
      attempt: n,
      activityType: 'appendProjectEvents',
      activityId,
      workflowExecution: { workflowId: `project-${P}`, runId: 'run-1' },
      retryPolicy: { maximumAttempts: 100, nonRetryableErrorTypes: ['EventStoreInvalid'] },
    },
    { interceptors: [stuckStepInterceptor({ db: t.appDb })] },
  );
  return env.run(activities.appendProjectEvents, input);
};

const stuck = async (county: 'song' | 'luanchuan' = 'song') => (await listAnomaliesPage(t.appDb, { county, kind: 'step-stuck', asOf: '2016-03-10' }, { limit: 50 })).items;

describe('a step the store keeps refusing is an anomaly and a metric', () => {
  it('before the fifth attempt it is an ordinary retry: nothing listed', async () => {
    await expect(attempt(4)).rejects.toThrow('the store refuses this stream');
    expect(await stuck()).toEqual([]);
  });

  it('from the fifth attempt it is listed as step-stuck in its county, recorded although the append itself fails', async () => {
    await expect(attempt(5)).rejects.toThrow('the store refuses this stream');
    const [a, ...rest] = await stuck();
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      kind: 'step-stuck',
      countyId: 'song',
      projectId: P,
      stage: 'retrying',
      zh: '步骤 appendProjectEvents 第 5 次尝试仍失败，仍在重试',
      code: 'error',
      detail: { workflowId: `project-${P}`, activityType: 'appendProjectEvents', attempts: 5, maxAttempts: 100, error: expect.stringContaining('the store refuses this stream') },
    });
    expect(await stuck('luanchuan')).toEqual([]);
    // Nothing of the step reached the store.
    const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM events WHERE stream_id = ${`project-${P}`}`.execute(t.appDb);
    expect(rows[0]!.n).toBe('0');
  });

  it('the last attempt its policy allows failing makes it failed, needing a person; the metric counts it by state', async () => {
    await expect(attempt(100)).rejects.toThrow('the store refuses this stream');
    const [a] = await stuck();
    expect(a).toMatchObject({ stage: 'failed', zh: '步骤 appendProjectEvents 尝试 100 次后失败，流程停在此步，须人工处理', detail: { attempts: 100 } });
    const { body } = await scrape(t.appDb);
    expect(body).toMatch(/^tuopin_stuck_steps\{state="failed",service="tuopin"\} 1$/m);
    expect(body).toMatch(/^tuopin_stuck_step_attempts_total\{activity="appendProjectEvents",service="tuopin"\} 2$/m);
  });

  it('a stuck step that then succeeds is shown as recovered', async () => {
    await sql`DROP TRIGGER test_refuse_project ON events`.execute(t.adminDb);
    await expect(attempt(7, '4')).resolves.toMatchObject({ duplicate: false });
    const items = await stuck();
    expect(items.map((a) => [a.detail.activityId, a.stage])).toEqual([
      ['3', 'failed'],
      ['4', 'recovered'],
    ]);
    expect(items[1]!.zh).toBe('步骤 appendProjectEvents 曾反复失败，第 7 次尝试后完成');
  });
});
