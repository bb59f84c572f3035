import type { Context } from '@temporalio/activity';
import type { ActivityExecuteInput } from '@temporalio/worker';
import type { Logger } from '../infra/logger';
import { STUCK_AFTER_ATTEMPTS, stuckStepCounts, stuckStepInterceptor } from './stuck-steps';

const contextAt = (attempt: number) =>
  ({ info: { attempt, activityType: 'recordPayment', activityId: '7', workflowExecution: { workflowId: 'project-prj-song-2016-0001', runId: 'r1' } } }) as unknown as Context;

describe('a stuck step is surfaced', () => {
  const logged: { fields: Record<string, unknown>; msg: string }[] = [];
  const logger = { error: (fields: Record<string, unknown>, msg: string) => void logged.push({ fields, msg }) } as unknown as Logger;
  const run = (attempt: number, fn: () => Promise<unknown>) =>
    stuckStepInterceptor(logger)(contextAt(attempt)).inbound!.execute!({ args: [] } as unknown as ActivityExecuteInput, fn);

  it(`is quiet for the first ${STUCK_AFTER_ATTEMPTS - 1} attempts`, async () => {
    await expect(run(STUCK_AFTER_ATTEMPTS - 1, async () => 'ok')).resolves.toBe('ok');
    expect(logged).toEqual([]);
  });

  it('from the fifth attempt logs an error naming the workflow, the activity and the attempt, counts it, and passes the failure on', async () => {
    const before = stuckStepCounts().recordPayment ?? 0;
    await expect(run(STUCK_AFTER_ATTEMPTS, async () => Promise.reject(new Error('connection refused')))).rejects.toThrow('connection refused');
    expect(stuckStepCounts().recordPayment).toBe(before + 1);
    expect(logged[0]).toEqual({
      fields: expect.objectContaining({ workflowId: 'project-prj-song-2016-0001', activityType: 'recordPayment', attempt: STUCK_AFTER_ATTEMPTS }),
      msg: 'step stuck: its activity is still failing',
    });
    expect(logged[1]?.msg).toBe('stuck step failed again');
  });
});
