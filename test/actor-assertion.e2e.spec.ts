import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { trialBalance } from '../infra/payment-rail/ledger-accounts';
import { issueToken } from '../infra/tokens/tokens';
import { generateTokenKeyPair, tokenKeysOf } from '../infra/tokens/token-keys';
import { parseConfig } from '../infra/config';
import { startProposal } from '../services/project-proposals';
import type { Actor } from '../domain/shared/actor';
import type { Fen } from '../domain/shared/money';
import { projectFundUpdate, projectWorkflowId, type ProjectStepRequest } from '../workflows/project-lifecycle.messages';
import { startTestStack, type TestStack } from './support/stack';
import { otherKeys } from './support/token-keys';
import {
  APPROVER,
  appropriate,
  codeOf,
  CONTRACTOR,
  FINANCE,
  newProjectId,
  pay,
  PROPOSER,
  refusedWith,
  step,
  streamLength,
  TARGET,
  TEST_POLICIES,
  TOWNSHIP,
  VILLAGE_RECORD,
} from './support/project-walk';

jest.setTimeout(180_000);

/**
 * Issue 11 point 5: a workflow believes no actor it is sent. Its worker runs in production mode with
 * the deployment's token keys; every Update is sent straight to Temporal (as anyone who reaches its
 * port could), and the activity that records the decision checks the actor assertion.
 */
describe('actor assertions: the actor of every project command is proved where the decision is recorded', () => {
  const pair = generateTokenKeyPair('prod-test', randomBytes(32));
  const production = { TUOPIN_MODE: 'production', MEMBER_KEY_SALT: 'a-salt-of-this-test-only', PII_MASTER_KEY: randomBytes(32).toString('base64') };
  const issuer = tokenKeysOf(parseConfig({ ...production, API_TOKEN_SIGNING_KEY: pair.signing }));
  const sign = async (actor: Actor) => (await issueToken(issuer, actor, 600)).token;
  const forge = async (actor: Actor) => (await issueToken(otherKeys(), actor, 600)).token;
  const asserted = async (req: ProjectStepRequest): Promise<ProjectStepRequest> => ({ ...req, assertion: await sign(req.actor) });
  let stack: TestStack;
  const fundId = `fund-song-2016-central-${Date.now().toString(36).slice(-4)}`;

  beforeAll(async () => {
    stack = await startTestStack('actor-assert', { env: { ...production, API_TOKEN_PUBLIC_KEYS: pair.public } });
    await appropriate(stack.db.appDb, fundId, 'central', 500_000_000);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const propose = async (assertion: string | undefined): Promise<WorkflowHandle> => {
    const projectId = newProjectId();
    await startProposal(
      stack.client,
      {
        type: 'ProposeProject',
        data: {
          projectId,
          countyId: 'song',
          category: 'transport',
          name: '车村镇通村道路硬化',
          budget: 105_000_000 as Fen,
          fiscalYear: 2016,
          villageRecord: VILLAGE_RECORD,
          performanceTarget: TARGET,
          subsidyBases: [{ standard: 'village-road-renovation', quantity: 3000 }],
        },
        meta: { actor: PROPOSER, now: new Date().toISOString() },
      },
      stack.taskQueue,
      { policies: TEST_POLICIES },
      assertion,
    );
    return stack.client.workflow.getHandle(projectWorkflowId(projectId));
  };

  it('refuses a proposal started without an assertion or with a forged one: the process fails and nothing is recorded', async () => {
    for (const assertion of [undefined, await forge(PROPOSER)]) {
      const h = await propose(assertion);
      await expect(h.result()).rejects.toThrow();
      expect(await streamLength(stack.db.appDb, `project-${h.workflowId.replace(/^project-/, '')}`)).toBe(0);
    }
  });

  it('refuses a step with no assertion, a forged one, one for someone else, or a system id; takes the proved one', async () => {
    const h = await propose(await sign(PROPOSER));
    const stream = `project-${h.workflowId.replace(/^project-/, '')}`;
    const approve: ProjectStepRequest = { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP };
    await refusedWith(step(h, approve), 'ACTOR_ASSERTION_MISSING');
    await refusedWith(step(h, { ...approve, assertion: await forge(TOWNSHIP) }), 'ACTOR_ASSERTION_INVALID');
    // The proposer's own valid token, sent as the township official: separation of duties holds.
    await refusedWith(step(h, { ...approve, assertion: await sign(PROPOSER) }), 'ACTOR_ASSERTION_MISMATCH');
    await refusedWith(step(h, { ...approve, actor: { userId: 'system.deadlines', role: 'administrator' } }), 'ACTOR_SYSTEM_RESERVED');
    expect(await streamLength(stack.db.appDb, stream)).toBe(1);
    expect((await step(h, await asserted(approve))).stage).toBe('township-reviewed');
    expect(await streamLength(stack.db.appDb, stream)).toBe(2);
  });

  it('refuses funding and a payment by forged finance before any money moves or the rail is asked', async () => {
    const h = await propose(await sign(PROPOSER));
    await step(h, await asserted({ type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP }));
    await step(h, await asserted({ type: 'ApproveAtCounty', data: { documentNumber: '嵩扶贫〔2016〕12号' }, actor: APPROVER }));
    await step(h, await asserted({ type: 'PublishNotice', data: {}, actor: APPROVER }));
    for (let i = 0; ; i++) {
      try {
        await step(h, await asserted({ type: 'EnterLibrary', data: {}, actor: APPROVER }));
        break;
      } catch (e) {
        if (!(e instanceof WorkflowUpdateFailedError && codeOf(e) === 'PROJECT_NOTICE_RUNNING') || i > 40) throw e;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const fundLength = await streamLength(stack.db.appDb, `fund-${fundId}`);
    await refusedWith(
      h.executeUpdate(projectFundUpdate, { args: [{ fundId, amount: 105_000_000 as Fen, actor: FINANCE, assertion: await forge(FINANCE) }] }),
      'ACTOR_ASSERTION_INVALID',
    );
    expect(await streamLength(stack.db.appDb, `fund-${fundId}`)).toBe(fundLength);
    const a = await h.executeUpdate(projectFundUpdate, { args: [{ fundId, amount: 105_000_000 as Fen, actor: FINANCE, assertion: await sign(FINANCE) }] });
    await step(
      h,
      await asserted({
        type: 'StartConstruction',
        data: { contractId: 'ctr-song-2016-001', contractor: CONTRACTOR, contractAmount: 105_000_000 as Fen, advanceBp: 3000, retentionBp: 300, warrantyMonths: 12 },
        actor: APPROVER,
      }),
    );
    const transfers = (await trialBalance(stack.db.appDb)).transfers;
    await refusedWith(pay(h, { fundId, allocationId: a.allocationId, milestone: 'advance', amount: 31_500_000 }), 'ACTOR_ASSERTION_MISSING');
    await refusedWith(pay(h, { fundId, allocationId: a.allocationId, milestone: 'advance', amount: 31_500_000, assertion: await forge(FINANCE) }), 'ACTOR_ASSERTION_INVALID');
    expect((await trialBalance(stack.db.appDb)).transfers).toBe(transfers);
    const paid = await pay(h, { fundId, allocationId: a.allocationId, milestone: 'advance', amount: 31_500_000, assertion: await sign(FINANCE) });
    expect(paid.paymentId).toMatch(/:p\d+$/);
    expect((await trialBalance(stack.db.appDb)).transfers).toBe(transfers + 1);
  });
});
