import type { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput } from '@temporalio/worker';
import type { Logger } from '../infra/logger';
import { stuckStepAttempts } from '../infra/metrics';
import { STUCK_AFTER_ATTEMPTS, stuckStepInterceptor } from './stuck-steps';

const contextAt = (attempt: number, maximumAttempts = 100) =>
  ({
    info: {
      attempt,
      activityType: 'recordPayment',
      activityId: '7',
      workflowExecution: { workflowId: 'project-prj-song-2016-0001', runId: 'r1' },
      retryPolicy: { maximumAttempts, nonRetryableErrorTypes: ['EventStoreInvalid'] },
    },
  }) as unknown as Context;

const counted = async (): Promise<number> => (await stuckStepAttempts.get()).values.find((v) => v.labels.activity === 'recordPayment')?.value ?? 0;

describe('a stuck step is surfaced', () => {
  const logged: { fields: Record<string, unknown>; msg: string }[] = [];
  const logger = { error: (fields: Record<string, unknown>, msg: string) => void logged.push({ fields, msg }) } as unknown as Logger;
  const run = (ctx: Context, fn: () => Promise<unknown>) => stuckStepInterceptor({ logger })(ctx).inbound!.execute!({ args: [] } as unknown as ActivityExecuteInput, fn);
  beforeEach(() => void logged.splice(0));

  it(`is quiet for the first ${STUCK_AFTER_ATTEMPTS - 1} attempts, also when one is refused for good (a refusal, not a stuck step)`, async () => {
    await expect(run(contextAt(STUCK_AFTER_ATTEMPTS - 1), async () => 'ok')).resolves.toBe('ok');
    await expect(run(contextAt(1), async () => Promise.reject(ApplicationFailure.create({ type: 'EventStoreInvalid', message: 'bad', nonRetryable: true })))).rejects.toThrow(
      'bad',
    );
    expect(logged).toEqual([]);
  });

  it('from the fifth attempt logs an error naming the workflow, the activity and the attempt, counts it in the metric, and passes the failure on', async () => {
    const before = await counted();
    await expect(run(contextAt(STUCK_AFTER_ATTEMPTS), async () => Promise.reject(new Error('connection refused')))).rejects.toThrow('connection refused');
    expect(await counted()).toBe(before + 1);
    expect(logged[0]).toEqual({
      fields: expect.objectContaining({ workflowId: 'project-prj-song-2016-0001', activityType: 'recordPayment', attempt: STUCK_AFTER_ATTEMPTS }),
      msg: 'step stuck: its activity is still failing',
    });
    expect(logged[1]).toEqual({ fields: expect.objectContaining({ ends: false }), msg: 'stuck step failed again' });
  });

  it('says when the last attempt its policy allows fails: the step fails', async () => {
    await expect(run(contextAt(100), async () => Promise.reject(new Error('connection refused')))).rejects.toThrow('connection refused');
    expect(logged[1]).toEqual({ fields: expect.objectContaining({ ends: true, attempt: 100 }), msg: 'stuck step failed: the step fails' });
  });
});
