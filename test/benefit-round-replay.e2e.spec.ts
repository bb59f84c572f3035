import { randomBytes } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import type { Actor } from '../domain/shared/actor';
import { actor, householdBody } from './support/exit-households';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { benefitRoundIdFor, benefitRoundWorkflowId } from '../workflows/benefit-round.messages';
import { workflowBundle } from '../workers/workflow-bundle';

/**
 * A benefit round refused at its draft ends at once; its status is then answered by replaying its
 * history (a query to a closed workflow). Histories whose first actor-assertion patch came after the
 * notice terms' local activity, in a later workflow task, did not replay (seen intermittently: in CI,
 * and here twice before the start marked its patches first): POST /benefit-rounds answered 500
 * instead of the draft's refusal. Each history this spec makes must replay.
 */
const RUN = randomBytes(3).toString('hex');
const V = `vil-song-z${RUN}`;
const DRAFTER: Actor = { userId: 'li.county', role: 'county-official', countyId: 'song' };

describe('a benefit round refused at its draft', () => {
  let stack: TestStack;
  let api: TestApi;
  beforeAll(async () => {
    stack = await startTestStack('benefit-replay');
    api = await startTestApi(stack, { noticeDaySeconds: 1 });
    const h = householdBody(V, 1);
    expect((await api.app.inject({ method: 'POST', url: '/registry/households', headers: await api.bearer(actor('county-official')), payload: h as never })).statusCode).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  // Whether the draft's local activity resolves in the first workflow task depends on timing: three rounds, each must replay.
  it.each(['a', 'b', 'c'])('answers the refusal, not 500, and its history replays (township %s)', async (k) => {
    const TWP = `twp-song-z${k}${RUN}`;
    // Nobody in the village is enrolled in 中职: the list would be empty.
    const r = await api.app.inject({
      method: 'POST',
      url: '/benefit-rounds',
      headers: await api.bearer(DRAFTER),
      payload: { programmeId: 'secondary-vocational-grant', townshipId: TWP, villageIds: [V], period: '2019' },
    });
    expect(r.statusCode).toBeGreaterThanOrEqual(400);
    expect(r.statusCode).toBeLessThan(500);
    const handle = stack.client.workflow.getHandle(benefitRoundWorkflowId(benefitRoundIdFor('secondary-vocational-grant', TWP, '2019')));
    await handle.result();
    const replayed = await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory()).then(
      () => 'replayed',
      (e: Error) => e.message,
    );
    expect(replayed).toBe('replayed');
  });
});
