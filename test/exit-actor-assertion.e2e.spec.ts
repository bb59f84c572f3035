import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { issueToken } from '../infra/tokens/tokens';
import { generateTokenKeyPair, tokenKeysOf } from '../infra/tokens/token-keys';
import { parseConfig } from '../infra/config';
import { readStream } from '../infra/eventstore';
import { importHouseholdFile } from '../infra/registry/register';
import { parseYearlyRecords, recordYearly } from '../infra/registry/yearly-records';
import { registerPoorVillage } from '../services/village-exits';
import { fileComplaint } from '../services/complaints';
import { complaintAnswerUpdate, type ComplaintAnswerRequest } from '../workflows/complaint-case.messages';
import { CHECKLIST_ITEMS } from '../domain/village/checklist';
import type { Actor } from '../domain/shared/actor';
import { exitRound } from '../workflows/exit-round';
import { exitRoundStatusQuery, exitRoundStepUpdate, type ExitRoundStepRequest } from '../workflows/exit-round.messages';
import { villageExit } from '../workflows/village-exit';
import { villageExitStatusQuery, villageExitStepUpdate, type VillageExitStepRequest } from '../workflows/village-exit.messages';
import { countyExit } from '../workflows/county-exit';
import { returnReview } from '../workflows/return-review';
import { returnReviewStepUpdate, type ReturnReviewStepRequest } from '../workflows/return-review.messages';
import { benefitRound } from '../workflows/benefit-round';
import { benefitRoundStatusQuery } from '../workflows/benefit-round.messages';
import { aboveLine, actor, belowLine, household } from './support/exit-households';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import { otherKeys } from './support/token-keys';

jest.setTimeout(240_000);

const SALT = 'test-salt-for-exit-assertions-0123';
const FULL_CHECKLIST = CHECKLIST_ITEMS.map((i) => ({ item: i.id, result: i.kind === 'considered' ? ('considered' as const) : ('met' as const), evidenceRef: `evidence-${i.id}` }));
const suffix = () => randomBytes(3).toString('hex');

const codeOf = (e: unknown): string | undefined => (e instanceof WorkflowUpdateFailedError ? (e.cause as { type?: string } | undefined)?.type : undefined);
const refusedWith = async (p: Promise<unknown>, code: string) =>
  expect(
    codeOf(
      await p.then(
        () => undefined,
        (e: unknown) => e,
      ),
    ),
  ).toBe(code);

/**
 * Issue 11 point 5 for the exit, return-review and benefit processes: none believes the actor it is
 * sent. The worker runs in production mode with the deployment's token keys; every start and Update
 * goes straight to Temporal (as anyone who reaches its port could), and the activity that records
 * the step checks the actor assertion before anything is written.
 */
describe('actor assertions: exit rounds, village and county exits, return reviews and benefit rounds prove who acts', () => {
  const pair = generateTokenKeyPair('prod-exits', randomBytes(32));
  const production = { TUOPIN_MODE: 'production', MEMBER_KEY_SALT: 'a-salt-of-this-test-only', PII_MASTER_KEY: randomBytes(32).toString('base64') };
  const issuer = tokenKeysOf(parseConfig({ ...production, API_TOKEN_SIGNING_KEY: pair.signing }));
  const sign = async (a: Actor) => (await issueToken(issuer, a, 600)).token;
  const forge = async (a: Actor) => (await issueToken(otherKeys(), a, 600)).token;
  let stack: TestStack;
  const length = async (stream: string) => (await readStream(stack.db.appDb, stream)).length;
  beforeAll(async () => {
    stack = await startTestStack('exit-assert', { env: { ...production, API_TOKEN_PUBLIC_KEYS: pair.public } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('an exit round: a start with a forged assessor records nothing; Updates without, with a forged or with another person’s token are refused and append nothing', async () => {
    const village = 'vil-song-a01';
    const hh = [1, 2].map((n) => household(village, 300 + n));
    const ids = hh.map((h) => h.householdId);
    await importHouseholdFile(stack.db.appDb, { name: `${village}.json`, text: JSON.stringify(hh), actor: actor('county-official'), salt: SALT });
    await recordYearly(stack.db.appDb, parseYearlyRecords(ids.map((id) => aboveLine(id))), { actor: actor('work-team') });
    const lengths = async () => Promise.all(ids.map((id) => length(`household-${id}`)));
    const before = await lengths();
    const start = (assertion: string) =>
      stack.client.workflow.start(exitRound, {
        taskQueue: stack.cfg.TEMPORAL_EXIT_TASK_QUEUE,
        workflowId: `exit-round-${village}-2016-${suffix()}`,
        args: [{ villageId: village, countyId: 'song', year: 2016, assessor: actor('work-team'), assertion, noticeSeconds: 4, correlationId: `t-${village}` }],
      });

    const forged = await start(await forge(actor('work-team')));
    await expect(forged.result()).rejects.toThrow();
    expect(await lengths()).toEqual(before);

    const h: WorkflowHandle<typeof exitRound> = await start(await sign(actor('work-team')));
    await until('the round past assessing', () => h.query(exitRoundStatusQuery), { ok: (s) => s.phase !== 'assessing' });
    const assessed = await lengths();
    expect(assessed).toEqual(before.map((n) => n + 1));
    const committee = actor('village-committee');
    const appraise: ExitRoundStepRequest = { type: 'appraise', actor: committee, recordRef: 'a01-appraisal-2016', agreed: ids };
    const step = (req: ExitRoundStepRequest) => h.executeUpdate(exitRoundStepUpdate, { args: [req] });
    await refusedWith(step(appraise), 'ACTOR_ASSERTION_MISSING');
    await refusedWith(step({ ...appraise, assertion: await forge(committee) }), 'ACTOR_ASSERTION_INVALID');
    // The work team's own valid token, sent as the village committee: the separation of duties holds.
    await refusedWith(step({ ...appraise, assertion: await sign(actor('work-team')) }), 'ACTOR_ASSERTION_MISMATCH');
    await refusedWith(step({ ...appraise, actor: { userId: 'system.deadlines', role: 'administrator' } }), 'ACTOR_SYSTEM_RESERVED');
    expect(await lengths()).toEqual(assessed);
    expect((await step({ ...appraise, assertion: await sign(committee) })).accepted).toEqual(ids);
    expect(await lengths()).toEqual(assessed.map((n) => n + 1));
    await h.terminate('test over');
  });

  it('a village exit: a start with a forged township official records nothing; a forged county review is refused and appends nothing', async () => {
    const village = 'vil-song-a19';
    await importHouseholdFile(stack.db.appDb, {
      name: `${village}.json`,
      text: JSON.stringify([household(village, 401), household(village, 402)]),
      actor: actor('county-official'),
      salt: SALT,
    });
    await registerPoorVillage(stack.db.appDb, {
      type: 'RegisterPoorVillage',
      data: { villageId: village, countyId: 'song', registeredYear: 2015 },
      meta: { actor: actor('county-official'), now: new Date().toISOString() },
    });
    const stream = `village-${village}`;
    const start = (assertion: string) =>
      stack.client.workflow.start(villageExit, {
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
            assertion,
            county: actor('county-official'),
            noticeSeconds: 3,
            correlationId: `t-${village}`,
          },
        ],
      });
    const forged = await start(await forge(actor('township-official')));
    await expect(forged.result()).rejects.toThrow();
    expect(await length(stream)).toBe(1);

    const h = await start(await sign(actor('township-official')));
    await until('the village exit awaiting review', () => h.query(villageExitStatusQuery), { ok: (s) => s.phase === 'awaiting-review' });
    const applied = await length(stream);
    const county = actor('county-official');
    const review: VillageExitStepRequest = { type: 'review', actor: county, approved: true, note: '同意' };
    const step = (req: VillageExitStepRequest) => h.executeUpdate(villageExitStepUpdate, { args: [req] });
    await refusedWith(step(review), 'ACTOR_ASSERTION_MISSING');
    await refusedWith(step({ ...review, assertion: await forge(county) }), 'ACTOR_ASSERTION_INVALID');
    await refusedWith(step({ ...review, assertion: await sign(actor('township-official')) }), 'ACTOR_ASSERTION_MISMATCH');
    expect(await length(stream)).toBe(applied);
    // Proved: the review, and the township's notice that follows it under the township proved at the start.
    expect((await step({ ...review, assertion: await sign(county) })).phase).toBe('in-notice');
    expect((await readStream(stack.db.appDb, stream)).slice(applied).map((e) => e.type)).toEqual(['VillageExitReviewed', 'VillageExitNoticePosted']);
    await h.terminate('test over');
  });

  it('a county exit started with a forged applicant records nothing', async () => {
    const h = await stack.client.workflow.start(countyExit, {
      taskQueue: stack.cfg.TEMPORAL_EXIT_TASK_QUEUE,
      workflowId: `county-exit-song-2016-${suffix()}`,
      args: [
        {
          countyId: 'song',
          year: 2016,
          ruralPopulation: 316,
          nonRegisteredHouseholds: 100,
          county: actor('county-official'),
          assertion: await forge(actor('county-official')),
          noticeSeconds: 3,
          correlationId: 't-county-song',
        },
      ],
    });
    const r = await h.result();
    expect(r.phase).toBe('blocked');
    expect(r.blockedBy?.code).toBe('ACTOR_ASSERTION_INVALID');
    expect(await length('county-song')).toBe(0);
  });

  it('a return review: a visit by a forged work team is refused and appends nothing', async () => {
    const village = 'vil-song-a02';
    const [x] = [household(village, 501)];
    await importHouseholdFile(stack.db.appDb, { name: `${village}.json`, text: JSON.stringify([x]), actor: actor('county-official'), salt: SALT });
    await recordYearly(stack.db.appDb, parseYearlyRecords([belowLine(x!.householdId)]), { actor: actor('work-team') });
    const stream = `household-${x!.householdId}`;
    const before = await length(stream);
    const h = await stack.client.workflow.start(returnReview, {
      taskQueue: stack.cfg.TEMPORAL_EXIT_TASK_QUEUE,
      workflowId: `return-review-${x!.householdId}-2016-${suffix()}`,
      args: [{ householdId: x!.householdId, countyId: 'song', year: 2016, noticeSeconds: 3, correlationId: 't-review' }],
    });
    const team = actor('work-team');
    const visit: ReturnReviewStepRequest = { type: 'visit', actor: team, findings: '家中有人患病' };
    const step = (req: ReturnReviewStepRequest) => h.executeUpdate(returnReviewStepUpdate, { args: [req] });
    await refusedWith(step(visit), 'ACTOR_ASSERTION_MISSING');
    await refusedWith(step({ ...visit, assertion: await forge(team) }), 'ACTOR_ASSERTION_INVALID');
    await refusedWith(step({ ...visit, assertion: await sign(actor('township-official')) }), 'ACTOR_ASSERTION_MISMATCH');
    expect(await length(stream)).toBe(before);
    // Proved, the visit goes on to the household's own rules (which refuse a household not flagged).
    const proved = await step({ ...visit, assertion: await sign(team) }).then(
      () => undefined,
      (e: unknown) => codeOf(e),
    );
    expect(proved ?? '').not.toMatch(/^ACTOR_/);
    await h.terminate('test over');
  });

  it('a complaint: an answer by a forged county official is refused and appends nothing', async () => {
    const village = 'vil-song-a03';
    const [x] = [household(village, 551)];
    await importHouseholdFile(stack.db.appDb, { name: `${village}.json`, text: JSON.stringify([x]), actor: actor('county-official'), salt: SALT });
    const filed = await fileComplaint(stack.db.appDb, stack.client, stack.taskQueue, {
      subject: { kind: 'household', householdId: x!.householdId },
      channel: 'hotline-12317',
      category: 'not-paid',
      summary: '补助未到账',
      actor: actor('township-official'),
      now: new Date().toISOString(),
    });
    const stream = `complaint-${filed.complaintId}`;
    const before = await length(stream);
    const h = stack.client.workflow.getHandle(filed.workflowId);
    const county = actor('county-official');
    const answer: ComplaintAnswerRequest = { actor: county, finding: 'not-upheld', answer: '已核实，补助已按时发放' };
    const step = (req: ComplaintAnswerRequest) => h.executeUpdate(complaintAnswerUpdate, { args: [req] });
    await refusedWith(step(answer), 'ACTOR_ASSERTION_MISSING');
    await refusedWith(step({ ...answer, assertion: await forge(county) }), 'ACTOR_ASSERTION_INVALID');
    await refusedWith(step({ ...answer, assertion: await sign(actor('township-official')) }), 'ACTOR_ASSERTION_MISMATCH');
    expect(await length(stream)).toBe(before);
    expect((await step({ ...answer, assertion: await sign(county) })).phase).toBe('answered');
    expect(await length(stream)).toBe(before + 1);
  });

  it('a benefit round started with a forged drafter draws up no list', async () => {
    const roundId = `br-song-2016-edu-${suffix()}`;
    const h = await stack.client.workflow.start(benefitRound, {
      taskQueue: stack.cfg.TEMPORAL_TASK_QUEUE,
      workflowId: `benefit-round-${roundId}`,
      args: [
        {
          roundId,
          programmeId: 'education-subsidy',
          countyId: 'song',
          townshipId: 'twp-song-01',
          villageIds: ['vil-song-a01'],
          period: '2016-s1',
          drafter: actor('township-official'),
          assertion: await forge(actor('township-official')),
          noticeSeconds: 3,
          correlationId: `t-${roundId}`,
        },
      ],
    });
    const r = await h.result();
    expect(r.phase).toBe('refused');
    expect(r.error?.code).toBe('ACTOR_ASSERTION_INVALID');
    expect((await h.query(benefitRoundStatusQuery).catch(() => r)).phase).toBe('refused');
    expect(await length(`benefit-${roundId}`)).toBe(0);
  });
});
