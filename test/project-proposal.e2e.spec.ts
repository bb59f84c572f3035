import { execFileSync } from 'node:child_process';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { readStream, readAll } from '../infra/eventstore';
import { parseProposal } from '../cli/commands/project-propose';
import { startProposal } from '../services/project-proposals';
import { takeStep } from '../cli/commands/project-step';
import { waitForNatsMessage, waitForProposal, waitForSummary } from '../cli/commands/project-path';
import { CliError } from '../cli/args';
import { developmentActors } from './support/token-keys';
import { createProjectActivities, type AppendProjectEventsResult } from '../activities/project-activities';
import { projectStatusQuery, projectWorkflowId } from '../workflows/project-lifecycle.messages';
import { startTestStack, type TestStack } from './support/stack';

const VILLAGE_RECORD = JSON.stringify({
  partyBranchProposedOn: '2016-03-01',
  twoCommitteesDeliberatedOn: '2016-03-03',
  partyMembersReviewedOn: '2016-03-05',
  villagersResolvedOn: '2016-03-08',
  resolutionPublishedOn: '2016-03-10',
  minutesRef: 'song-chezhen-2016-007',
});

const proposeArgs = (over: Record<string, string> = {}): string[] =>
  Object.entries({
    as: 'li.ming',
    county: '嵩县',
    category: 'transport',
    name: '车村镇通村道路硬化',
    budget: '105万',
    year: '2016',
    'village-record': VILLAGE_RECORD,
    subsidy: 'village-road-renovation:3000',
    ...over,
  }).map(([k, v]) => `--${k}=${v}`);

describe('a county project proposal travels the whole path: CLI → Temporal → PostgreSQL → NATS → read model', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('proposal');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('records the proposal once, relays it to JetStream under its event id and shows it in project_summary', async () => {
    const { command } = parseProposal(proposeArgs());
    const started = await startProposal(stack.client, command, stack.taskQueue);
    expect(started.workflowId).toBe(projectWorkflowId(command.data.projectId));

    const recorded = await waitForProposal(stack.client, stack.db.appDb, started.projectId);
    const [event] = await readStream(stack.db.appDb, `project-${started.projectId}`);
    expect(event).toMatchObject({ type: 'ProjectProposed', position: recorded.position, streamVersion: 1 });
    expect(event!.data).toMatchObject({ projectId: started.projectId, countyId: 'song', budget: 105_000_000, proposedBy: 'li.ming' });
    expect(event!.metadata).toMatchObject({
      actor: { userId: 'li.ming', role: 'county-official', countyId: 'song' },
      countyId: 'song',
      correlationId: started.workflowId,
      temporal: { workflowId: started.workflowId, runId: started.runId },
    });

    const seq = await waitForNatsMessage(stack.events.nc, stack.events.streamName, `${stack.events.subjectPrefix}.project.song`, recorded.eventId);
    expect(seq).toBeGreaterThan(0);

    const row = await waitForSummary(stack.db.appDb, started.projectId, recorded.position);
    expect(row).toEqual({ stage: 'proposed', budgetFen: 105_000_000, lastEventPosition: recorded.position });
  });

  it('takes a human step as an Update, answers a repeated request id without applying it twice, and refuses the proposer', async () => {
    const { command } = parseProposal(proposeArgs({ name: '库区乡饮水安全' }));
    const started = await startProposal(stack.client, command, stack.taskQueue);
    await waitForProposal(stack.client, stack.db.appDb, started.projectId);

    const refusal = takeStep(stack.client, started.projectId, {
      type: 'ApproveAtTownship',
      data: { opinion: '同意' },
      actor: { userId: 'li.ming', role: 'township-official', countyId: 'song' },
    });
    await expect(refusal).rejects.toMatchObject({ code: 'ACCESS_PROPOSER_CANNOT_REVIEW' });
    expect(await readStream(stack.db.appDb, `project-${started.projectId}`)).toHaveLength(1);

    const step = { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: { userId: 'wang.fang', role: 'township-official', countyId: 'song' } } as const;
    const first = await takeStep(stack.client, started.projectId, step, 'req-township-1');
    const again = await takeStep(stack.client, started.projectId, step, 'req-township-1');
    expect(first.stage).toBe('township-reviewed');
    expect(again).toEqual(first);
    expect(await readStream(stack.db.appDb, `project-${started.projectId}`)).toHaveLength(2);

    const status = await stack.client.workflow.getHandle(started.workflowId).query(projectStatusQuery);
    expect(status).toMatchObject({ stage: 'township-reviewed', streamVersion: 2, nextActor: { roles: ['county-official'], notBy: 'li.ming' } });
  });

  it('a step out of county scope is refused as an Update failure with the domain code', async () => {
    const { command } = parseProposal(proposeArgs({ name: '白河乡产业路' }));
    const started = await startProposal(stack.client, command, stack.taskQueue);
    await waitForProposal(stack.client, stack.db.appDb, started.projectId);
    const handle = stack.client.workflow.getHandle(started.workflowId);
    const err = await handle
      .executeUpdate('projectStep', {
        args: [{ type: 'ApproveAtTownship', data: { opinion: 'ok' }, actor: { userId: 'zhao.lei', role: 'township-official', countyId: 'luanchuan' } }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((err as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'ACCESS_OUT_OF_COUNTY' });
  });

  it('a retried append activity (same workflow, same step) appends nothing and returns the first positions', async () => {
    const { command } = parseProposal(proposeArgs({ id: 'prj-song-2016-retry001' }));
    const activities = createProjectActivities({ db: stack.db.appDb, actors: developmentActors(), simulation: true });
    const env = new MockActivityEnvironment({ workflowExecution: { workflowId: 'project-prj-song-2016-retry001', runId: 'run-1' }, activityId: '1' });
    const input = {
      projectId: command.data.projectId,
      countyId: command.data.countyId,
      expectedVersion: 'no-stream' as const,
      step: '1:proposal',
      events: [{ type: 'ProjectProposed', data: { ...command.data, proposedBy: 'li.ming', proposedAt: '2016-03-15T00:00:00.000Z' } }],
      actor: command.meta.actor,
      correlationId: 'project-prj-song-2016-retry001',
      causationId: 'project-prj-song-2016-retry001/proposal',
      businessDate: '2016-03-15',
    };
    const first: AppendProjectEventsResult = await env.run(activities.appendProjectEvents, input);
    const retry: AppendProjectEventsResult = await env.run(activities.appendProjectEvents, input);
    expect(first.duplicate).toBe(false);
    expect(retry).toEqual({ ...first, duplicate: true });
    expect(await readStream(stack.db.appDb, 'project-prj-song-2016-retry001')).toHaveLength(1);
  });

  it('refuses bad input at the boundary, naming each flag and the rule, and appends nothing', async () => {
    const before = (await readAll(stack.db.appDb, { limit: 10_000 })).events.length;
    const bad = (over: Record<string, string>) => {
      try {
        parseProposal(proposeArgs(over));
      } catch (e) {
        expect(e).toBeInstanceOf(CliError);
        return (e as CliError).message;
      }
      throw new Error('accepted bad input');
    };
    expect(bad({ county: '东城区' })).toMatch(/^--county: "东城区" is not one of the plan's 13 counties/);
    expect(bad({ budget: '1.234' })).toMatch(/^--budget: .*at most 2 decimals/);
    expect(bad({ budget: '1e6' })).toMatch(/^--budget: /);
    expect(bad({ budget: '-5' })).toMatch(/^--budget: an amount must not be negative/);
    expect(bad({ name: '   ' })).toMatch(/^--name: must not be empty/);
    expect(bad({ 'village-record': '{}' })).toMatch(/--village-record\.partyBranchProposedOn/);
    expect(bad({ subsidy: 'village-road-renovation:1000,village-road-renovation:2000' })).toMatch(/a subsidy standard may be stated only once/);
    expect(bad({ subsidy: 'village-road-renovation' })).toMatch(/^--subsidy: must be <standard>:<quantity>/);
    expect((await readAll(stack.db.appDb, { limit: 10_000 })).events.length).toBe(before);
  });
});

describe('the stack script', () => {
  it('is idempotent: a second `up` reuses the running Temporal server', () => {
    const run = () => execFileSync('npx', ['tsx', 'infra/stack/cli.ts', 'up'], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn' } });
    run();
    const second = run();
    expect(second).toMatch(/Temporal: (reusing dev server \(pid \d+\)|a server already answers|using )/);
    expect(second).not.toMatch(/started dev server/);
  });
});
