import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readStream } from '../infra/eventstore';
import { importHouseholdFile } from '../infra/registry/register';
import { parseYearlyRecords, recordYearly } from '../infra/registry/yearly-records';
import { exitRound } from '../workflows/exit-round';
import { exitRoundStatusQuery, exitRoundStepUpdate, exitRoundWorkflowId, type ExitRoundStepRequest } from '../workflows/exit-round.messages';
import { returnReview } from '../workflows/return-review';
import { returnReviewStatusQuery, returnReviewStepUpdate, returnReviewWorkflowId, type ReturnReviewStepRequest } from '../workflows/return-review.messages';
import { readProgress } from '../services/exit-progress';
import { aboveLine, actor, household } from './support/exit-households';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import { saveHistory } from './support/project-walk';
import { workflowBundle } from '../workers/workflow-bundle';

const VILLAGE = 'vil-song-r01';
const SALT = 'test-salt-for-exit-round-0123456789';

describe('a village exit round, from assessment to the county announcement (real Temporal, PostgreSQL, NATS)', () => {
  let stack: TestStack;
  let handle: WorkflowHandle<typeof exitRound>;
  const hh = [1, 2, 3, 4, 5].map((n) => household(VILLAGE, n));
  const [a, b, refuser, objected, poorStill] = hh.map((h) => h.householdId) as [string, string, string, string, string];
  const step = (req: ExitRoundStepRequest) => handle.executeUpdate(exitRoundStepUpdate, { args: [req] });
  const status = () => handle.query(exitRoundStatusQuery);

  beforeAll(async () => {
    stack = await startTestStack('exitround');
    await importHouseholdFile(stack.db.appDb, { name: `${VILLAGE}.json`, text: JSON.stringify(hh, null, 1), actor: actor('county-official'), salt: SALT });
    await recordYearly(stack.db.appDb, parseYearlyRecords([a, b, refuser, objected].map((id) => aboveLine(id))), { actor: actor('work-team') });
    await recordYearly(stack.db.appDb, parseYearlyRecords([{ ...aboveLine(poorStill), perCapitaIncome: '2000' }]), { actor: actor('work-team') });
    // The township's early review and the inspector's objection must come inside the notice: two Updates after it is posted, each
    // of them seconds on a loaded machine.
    handle = await stack.client.workflow.start(exitRound, {
      taskQueue: stack.cfg.TEMPORAL_EXIT_TASK_QUEUE,
      workflowId: `${exitRoundWorkflowId(VILLAGE, 2016)}-${randomBytes(3).toString('hex')}`,
      args: [{ villageId: VILLAGE, countyId: 'song', year: 2016, assessor: actor('work-team'), noticeSeconds: 12, correlationId: `test-round-${VILLAGE}` }],
    });
    await until('the round past assessing', status, { ok: (s) => s.phase !== 'assessing' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('assesses every household with the policy version, runs the village steps and the notice, and announces the exits', async () => {
    const s0 = await status();
    expect(s0.counts).toEqual({ assessed: 4, 'not-eligible': 1 });
    const [assessed] = (await readStream(stack.db.appDb, `household-${poorStill}`)).filter((e) => e.type === 'HouseholdAssessedForExit');
    expect(assessed!.data).toMatchObject({ eligible: false, policy: { id: 'poverty-line', version: 2, year: 2016 }, threshold: 314_600 });

    // 民主评议 is the 村两委's; the work team checks; a township official records consent (three people).
    const byTeam = await step({ type: 'appraise', actor: actor('work-team'), recordRef: 'r01-appraisal-2016', agreed: [a] }).catch((e: unknown) => e);
    expect((byTeam as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'ACCESS_ROLE_NOT_ALLOWED' });
    await step({ type: 'appraise', actor: actor('village-committee'), recordRef: 'r01-appraisal-2016', agreed: [a, b, refuser, objected] });
    await step({ type: 'check', actor: actor('work-team'), confirmed: [a, b, refuser, objected], findings: 'visited' });
    // No exit without the household's consent: the notice cannot go up while one is missing.
    const byChecker = await step({ type: 'consent', actor: actor('work-team'), householdIds: [a], consents: true, recordRef: 'signed-2016' }).catch((e: unknown) => e);
    expect((byChecker as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'ACCESS_CHECKER_CANNOT_RECORD_CONSENT' });
    await step({ type: 'consent', actor: actor('township-official'), householdIds: [a, b, objected], consents: true, recordRef: 'signed-2016' });
    const early = await step({ type: 'postNotice', actor: actor('township-official') }).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((early as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'EXIT_ROUND_STEPS_PENDING' });
    const refused = await step({ type: 'consent', actor: actor('township-official'), householdIds: [refuser], consents: false, recordRef: 'refused-2016' });
    expect(refused.accepted).toEqual([refuser]);

    await step({ type: 'postNotice', actor: actor('township-official') });
    // During the notice: the township cannot review yet.
    const tooSoon = await step({ type: 'townshipReview', actor: actor('township-official'), approved: [a, b] }).catch((e: unknown) => e);
    expect((tooSoon as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'EXIT_ROUND_WRONG_PHASE' });
    await step({ type: 'object', actor: actor('inspector'), householdId: objected, objectionId: 'obj-1', summary: 'income source not stable' });

    await until('the round at township review', status, { ok: (s) => s.phase === 'township-review' });
    await step({ type: 'townshipReview', actor: actor('township-official'), approved: [a, b], note: 'ok' });
    const wrongRole = await step({ type: 'announce', actor: actor('township-official') }).catch((e: unknown) => e);
    expect((wrongRole as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'ACCESS_ROLE_NOT_ALLOWED' });
    await step({ type: 'announce', actor: actor('county-official') });

    const result = await handle.result();
    expect([...result.exited].sort()).toEqual([a, b].sort());
    expect(result.peopleExited).toBe(6);
    const events = await readStream(stack.db.appDb, `household-${a}`);
    expect(events.map((e) => e.type)).toEqual([
      'HouseholdRegistered',
      'HouseholdIncomeRecorded',
      'HouseholdGuaranteesUpdated',
      'HouseholdAssessedForExit',
      'HouseholdVillageAppraised',
      'HouseholdWorkTeamChecked',
      'HouseholdConsentRecorded',
      'HouseholdExitNoticePosted',
      'HouseholdTownshipReviewed',
      'HouseholdExitAnnounced',
    ]);
    expect(events.at(-1)!.data).toMatchObject({ year: 2016, memberCount: 3, policy: { id: 'poverty-line', year: 2016 } });
    expect(events.at(-1)!.metadata.temporal?.workflowId).toBe(handle.workflowId);
    await saveHistory(handle, 'exit-round-steps-local');
  });

  it('takes each step inside the workflow task that took its Update (a local activity), and its history replays', async () => {
    const history = await handle.fetchHistory();
    const E = temporal.api.enums.v1.EventType;
    const types = (history.events ?? []).map((e) => e.eventType);
    const activities = (history.events ?? [])
      .filter((e) => e.eventType === E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
    // Only the village's household list is a regular activity: no step waits for an activity task and a second workflow task.
    expect(activities).toEqual(['listVillageHouseholds']);
    expect(types.filter((t) => t === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED).length).toBeGreaterThanOrEqual(7);
    const replayed = await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history).then(
      () => 'replayed',
      (e: Error) => e.message,
    );
    expect(replayed).toBe('replayed');
  });

  it('a household that refuses consent leaves the round and stays registered as poor', async () => {
    const events = await readStream(stack.db.appDb, `household-${refuser}`);
    expect(events.slice(-2).map((e) => [e.type, (e.data as { reason?: string }).reason])).toEqual([
      ['HouseholdConsentRecorded', undefined],
      ['HouseholdRemovedFromExitRound', 'consent-refused'],
    ]);
    expect(events.some((e) => e.type === 'HouseholdExitAnnounced')).toBe(false);
    const s = await status();
    expect(s.households.find((h) => h.householdId === refuser)).toEqual({ householdId: refuser, status: 'removed', reason: 'consent-refused' });
  });

  it('an objection during the notice removes the household from the round', async () => {
    const events = await readStream(stack.db.appDb, `household-${objected}`);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['HouseholdExitObjectionRaised', 'HouseholdRemovedFromExitRound']);
    expect(events.at(-1)!.data).toMatchObject({ reason: 'objection-raised' });
    const s = await status();
    expect(s.households.find((h) => h.householdId === objected)).toMatchObject({ status: 'removed', reason: 'objection-raised' });
    expect(s.phase).toBe('announced');
  });

  it('monitoring flags an exited household whose income falls under 1.5 × the line; after visit, notice and county decision it re-enters', async () => {
    // 2017 line 3,335 yuan: the monitoring line is 5,002.50; 4,200 is under it.
    const r = await recordYearly(
      stack.db.appDb,
      parseYearlyRecords([aboveLine(a, 2017), aboveLine(b, 2017)].map((x) => ({ ...x, perCapitaIncome: x.householdId === a ? '4200' : '9000' }))),
      { actor: actor('work-team') },
    );
    expect(r.flagged).toEqual([a]);
    const review = await stack.client.workflow.start(returnReview, {
      taskQueue: stack.cfg.TEMPORAL_EXIT_TASK_QUEUE,
      workflowId: `${returnReviewWorkflowId(a, 2017)}-${randomBytes(3).toString('hex')}`,
      // The early decision must come inside the notice: long enough for its Update on a loaded machine.
      args: [{ householdId: a, countyId: 'song', year: 2017, noticeSeconds: 6, correlationId: `test-return-${a}` }],
    });
    const rstep = (req: ReturnReviewStepRequest) => review.executeUpdate(returnReviewStepUpdate, { args: [req] });
    await rstep({ type: 'visit', actor: actor('work-team'), findings: 'illness in the family; income fell' });
    await rstep({ type: 'postNotice', actor: actor('township-official') });
    const early = await rstep({ type: 'decide', actor: actor('county-official'), returnsToPoverty: true, reason: 'income below the line' }).catch((e: unknown) => e);
    expect((early as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'RETURN_NOTICE_RUNNING' });
    await until('the return review awaiting its decision', () => review.query(returnReviewStatusQuery), { ok: (s) => s.phase === 'awaiting-decision' });
    await rstep({ type: 'decide', actor: actor('county-official'), returnsToPoverty: true, reason: 'income below the line' });
    expect(await review.result()).toMatchObject({ phase: 'returned' });
    const types = (await readStream(stack.db.appDb, `household-${a}`)).map((e) => e.type).slice(-6);
    expect(types).toEqual([
      'HouseholdIncomeRecorded',
      'HouseholdFlaggedForReturnRisk',
      'HouseholdGuaranteesUpdated',
      'HouseholdReturnReviewVisited',
      'HouseholdReturnNoticePosted',
      'HouseholdReturnedToPoverty',
    ]);
    // The progress read model: both exits counted for 2016, one of them since returned.
    await until('one returned household in exit_progress', () => stack.db.appDb.selectFrom('exit_progress').selectAll().where('returned', '=', true).execute(), {
      ok: (rows) => rows.length === 1,
    });
    const rows = await stack.db.appDb.selectFrom('exit_progress').select(['id', 'exit_year', 'member_count', 'returned']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: a, exit_year: 2016, member_count: 3, returned: true },
      { id: b, exit_year: 2016, member_count: 3, returned: false },
    ]);
    expect(await readProgress(stack.db.appDb, 'song')).toEqual([
      { countyId: 'song', year: 2016, households: 2, returnedHouseholds: 1, people: 6, returnedPeople: 3, villages: 0, countyExited: false },
    ]);
  });
});
