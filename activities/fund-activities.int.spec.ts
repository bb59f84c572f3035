import { MockActivityEnvironment } from '@temporalio/testing';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { appendToStream, readStream } from '../infra/eventstore';
import { evolve, initialState, type ProjectEvent, type ProjectState } from '../domain/project';
import { c, P, project, T, who, wan } from '../domain/project/project.fixtures';
import { appropriateFund } from '../services/appropriate-fund';
import { developmentActors } from '../test/support/token-keys';
import { createFundActivities, type AllocateFundingInput, type FundStepResult } from './fund-activities';
import { projectKept } from './fund-streams';

jest.setTimeout(60_000);

const FUND = 'fund-song-2017-retry-01';
let t: TestDatabase;
let version = 0;

beforeAll(async () => {
  t = await createTestDatabase('fundact');
  const r = await appropriateFund(
    t.appDb,
    {
      type: 'AppropriateFund',
      data: { fundId: FUND, source: 'central', fiscalYear: 2017, countyId: 'song', documentNumber: 'doc-1', amount: wan(100), earmark: ['transport'] },
      meta: { actor: who.finance, now: T.proposal },
    },
    { creditTreasury: false },
  );
  expect(r.ok).toBe(true);
  // The project as its workflow would have left it: in the library, waiting for money.
  let s: ProjectState = initialState();
  const events: ProjectEvent[] = [];
  for (const cmd of [c.propose(), c.townshipApprove(), c.countyApprove(), c.publishNotice(), c.enterLibrary()]) {
    const d = project.decide(cmd, s);
    if (!d.ok) throw new Error(d.error.code);
    events.push(...(d.events as ProjectEvent[]));
    s = d.events.reduce<ProjectState>((x, e) => evolve(x, e as ProjectEvent), s);
  }
  const appended = await appendToStream(
    t.appDb,
    `project-${P}`,
    'no-stream',
    events.map((e, i) => ({
      eventId: `seed-${i}`,
      type: e.type,
      data: e.data,
      metadata: { actor: who.approver, countyId: 'song', correlationId: 'c', causationId: 'c', businessDate: '2017-03-20' },
    })),
  );
  version = appended.streamVersions[`project-${P}`]!;
});
afterAll(async () => {
  await t.drop();
});

describe('allocateFunding', () => {
  const env = () => new MockActivityEnvironment({ workflowExecution: { workflowId: `project-${P}`, runId: 'run-1' }, activityId: '6' });
  const input = (over: Partial<AllocateFundingInput> = {}): AllocateFundingInput => ({
    projectId: P,
    countyId: 'song',
    step: '6:fund',
    actor: who.finance,
    now: T.funding,
    correlationId: `project-${P}`,
    causationId: 'req-fund-1',
    projectVersion: version,
    fundId: FUND,
    allocationId: `${P}:a6`,
    amount: wan(63),
    ...over,
  });

  it('a retried attempt whose first one committed returns the first result and appends nothing', async () => {
    const activities = createFundActivities({ db: t.appDb, actors: developmentActors() });
    const first: FundStepResult = await env().run(activities.allocateFunding, input());
    const retry: FundStepResult = await env().run(activities.allocateFunding, input());
    expect(first).toMatchObject({ ok: true, duplicate: false, streamVersion: version + 1 });
    expect(retry).toEqual({ ...first, duplicate: true });
    const fundEvents = await readStream(t.appDb, `fund-${FUND}`);
    expect(fundEvents.map((e) => e.type)).toEqual(['FundAppropriated', 'FundAllocated']);
  });

  it('a shortfall is a refusal with the fund’s code, and nothing is appended to either stream', async () => {
    const activities = createFundActivities({ db: t.appDb, actors: developmentActors() });
    const r = await env().run(activities.allocateFunding, input({ step: '7:fund', projectVersion: version + 1, allocationId: `${P}:a7`, amount: wan(40) }));
    expect(r).toMatchObject({ ok: false, error: { code: 'FUND_INSUFFICIENT', details: { askedFen: wan(40), availableFen: wan(37) } } });
    expect(await readStream(t.appDb, `project-${P}`)).toHaveLength(version + 1);
    expect(await readStream(t.appDb, `fund-${FUND}`)).toHaveLength(2);
  });

  it('refuses to write when the project stream moved under the workflow (a second writer), without retrying', async () => {
    const activities = createFundActivities({ db: t.appDb, actors: developmentActors() });
    await expect(env().run(activities.allocateFunding, input({ step: '8:fund', projectVersion: version, allocationId: `${P}:a8`, amount: wan(1) }))).rejects.toMatchObject({
      type: 'EXPECTED_VERSION_CONFLICT',
      nonRetryable: true,
    });
  });

  it('keeps the project as the command left it, so the next fund command or payment check reads only what came after (issue 18: not the whole stream)', async () => {
    const kept = projectKept.states.get(t.appDb, `project-${P}`);
    const stored = await readStream(t.appDb, `project-${P}`);
    expect(kept).toMatchObject({ version: version + 1, eventId: stored.at(-1)!.eventId, position: stored.at(-1)!.position });
    expect(kept!.state).toMatchObject({ funded: wan(63) });
  });
});
