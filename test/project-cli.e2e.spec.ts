import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readStream } from '../infra/eventstore';
import { startTestStack, type TestStack } from './support/stack';
import { CONTRACTOR, fundState, startProject, toLibrary } from './support/project-walk';

const run = promisify(execFile);

// A dozen CLI processes, each compiling on start with tsx: minutes on a loaded two-core machine.
jest.setTimeout(400_000);

describe('the whole money path from a terminal: tuopin fund … / tuopin project fund|pay|cancel …', () => {
  let stack: TestStack;
  const fundId = `fund-song-2016-cli-${Date.now().toString(36).slice(-4)}`;
  beforeAll(async () => {
    stack = await startTestStack('cli');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const tuopin = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    const env = {
      ...process.env,
      DATABASE_URL: stack.cfg.DATABASE_URL,
      DATABASE_ADMIN_URL: stack.cfg.DATABASE_ADMIN_URL,
      NATS_STREAM: stack.cfg.NATS_STREAM,
      NATS_SUBJECT_PREFIX: stack.cfg.NATS_SUBJECT_PREFIX,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      LOG_LEVEL: 'warn',
    };
    try {
      const r = await run('bin/tuopin', args, { env, encoding: 'utf8' });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, stdout: x.stdout, stderr: x.stderr };
    }
  };

  it('appropriates, funds, pays and cancels as the roles that take each step; bad flags are named', async () => {
    const bad = await tuopin(
      'fund',
      'appropriate',
      '--as',
      'qian.li',
      '--county',
      '嵩县',
      '--fund',
      fundId,
      '--source',
      'central',
      '--year',
      '2016',
      '--document',
      '豫财农〔2016〕1号',
      '--amount',
      '1.234',
      '--earmark',
      'transport',
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--amount: .*at most 2 decimals/);

    const appropriated = await tuopin(
      'fund',
      'appropriate',
      '--as',
      'qian.li',
      '--county',
      '嵩县',
      '--fund',
      fundId,
      '--source',
      'central',
      '--year',
      '2016',
      '--document',
      '豫财农〔2016〕1号',
      '--amount',
      '200万',
      '--earmark',
      'transport,water',
    );
    expect(appropriated.stderr).toBe('');
    expect(appropriated.stdout).toMatch(new RegExp(`appropriated ${fundId}: 2,000,000.00元`));
    expect(appropriated.stdout).toMatch(/invariant\s+holds to the fen/);

    const h = await startProject(stack);
    const projectId = h.workflowId.replace(/^project-/, '');
    await toLibrary(h);

    const funded = await tuopin('project', 'fund', '--project', projectId, '--fund', fundId, '--amount', '105万', '--as', 'qian.li');
    expect(funded.stdout).toMatch(new RegExp(`allocation (${projectId}:a\\d+): ${projectId} is now funded`));
    const allocationId = /allocation (\S+):/.exec(funded.stdout)![1]!;

    const started = await tuopin(
      'project',
      'step',
      '--project',
      projectId,
      '--step',
      'StartConstruction',
      '--as',
      'zhang.wei',
      '--role',
      'county-official',
      '--data',
      JSON.stringify({ contractId: 'ctr-song-2016-cli', contractor: CONTRACTOR, contractAmount: '105万', advanceBp: 3000, retentionBp: 300, warrantyMonths: 0 }),
    );
    expect(started.stdout).toMatch(/is now under-construction/);

    const tooMuch = await tuopin(
      'project',
      'pay',
      '--project',
      projectId,
      '--fund',
      fundId,
      '--allocation',
      allocationId,
      '--milestone',
      'advance',
      '--payee',
      CONTRACTOR,
      '--amount',
      '40万',
      '--use',
      'road-works',
      '--as',
      'qian.li',
    );
    expect(tooMuch.code).not.toBe(0);
    expect(tooMuch.stderr).toMatch(/PAYMENT_ADVANCE_OUT_OF_RANGE/);

    const paid = await tuopin(
      'project',
      'pay',
      '--project',
      projectId,
      '--fund',
      fundId,
      '--allocation',
      allocationId,
      '--milestone',
      'advance',
      '--payee',
      CONTRACTOR,
      '--amount',
      '31.5万',
      '--use',
      'road-works',
      '--as',
      'qian.li',
      '--request-id',
      'cli-advance-1',
    );
    expect(paid.stdout).toMatch(/paid 31.5万元 as \S+ \(rail transfer trf-/);
    const again = await tuopin(
      'project',
      'pay',
      '--project',
      projectId,
      '--fund',
      fundId,
      '--allocation',
      allocationId,
      '--milestone',
      'advance',
      '--payee',
      CONTRACTOR,
      '--amount',
      '31.5万',
      '--use',
      'road-works',
      '--as',
      'qian.li',
      '--request-id',
      'cli-advance-1',
    );
    expect(again.stdout).toBe(paid.stdout);

    // Finance may not cancel a project: the county office does.
    const wrongRole = await tuopin('project', 'cancel', '--project', projectId, '--reason', '资金调整', '--as', 'qian.li', '--role', 'county-finance');
    expect(wrongRole.stderr).toMatch(/ACCESS_ROLE_NOT_ALLOWED/);
    const cancelled = await tuopin('project', 'cancel', '--project', projectId, '--reason', '资金调整', '--as', 'zhang.wei');
    expect(cancelled.stdout).toMatch(/cancelled/);
    await h.result();

    const shown = await tuopin('fund', 'show', fundId);
    expect(shown.stdout).toMatch(/paid\s+315,000.00元/);
    expect(shown.stdout).toMatch(/available\s+1,685,000.00元/);
    expect(shown.stdout).toMatch(/released 735,000.00元/);
    const f = await fundState(stack.db.appDb, fundId);
    expect(f).toMatchObject({ available: 168_500_000, paid: 31_500_000, allocatedUnpaid: 0 });
    expect((await readStream(stack.db.appDb, `project-${projectId}`)).filter((e) => e.type === 'ProjectPaymentRecorded')).toHaveLength(1);
  });
});
