import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { listedWorkflowIds, startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';

const run = promisify(execFile);

// Two dozen CLI processes and two waits (the scaled notice and warranty) on a loaded two-core machine.
jest.setTimeout(600_000);

const ROOT = path.join(__dirname, '..');

/** The README's worked example: the shell block after "Then, in the same shell", as a reader copies it. */
export const walkthroughScript = (): string => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const from = readme.indexOf('### Worked example');
  const then = readme.indexOf('Then, in the same shell', from);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(then));
  if (from < 0 || then < 0 || !block) throw new Error('README.md has no worked example block');
  return block[1]!;
};

describe('the README’s worked example: a road from proposal to closure, through bin/tuopin as a reader runs it', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('readme-walk');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('every command succeeds; the project closes fully paid, its ledger reconciles, and Temporal finds it by 嵩县', async () => {
    // The README's own setup: a declared time scale, allowed in the namespace the test runs in.
    const env = { ...process.env, ...stack.env, TUOPIN_SECONDS_PER_DAY: '0.05', TUOPIN_SIMULATION_NAMESPACES: stack.cfg.TEMPORAL_NAMESPACE, LOG_LEVEL: 'warn' };
    const r = await run('bash', ['-e', '-o', 'pipefail', '-c', walkthroughScript()], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }).catch(
      (e: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`the walkthrough stopped: ${e.message}\n--- stdout\n${e.stdout ?? ''}\n--- stderr\n${e.stderr ?? ''}`);
      },
    );
    const out = r.stdout;
    const projectId = /^proposed (prj-song-2016-walk\d+)/m.exec(out)?.[1];
    expect(projectId).toBeDefined();
    // The guide printed at the proposal names the township's step and keeps the proposer out.
    expect(out).toMatch(/乡镇审核通过 ApproveAtTownship — 乡镇干部（township-official）；申报人（li.ming）除外/);
    expect(out).toMatch(/HandOverAsset: \S+ is now closed \(.*\) 资产移交，现为已办结/);
    expect(out).toMatch(/阶段 stage\s+已办结（closed）/);
    expect(out).toMatch(/paid\s+1,050,000.00元/);
    expect(out).toMatch(/平衡 invariant\s+holds to the fen 到分相符/);

    const found = await until('the project listed under 嵩县', () => listedWorkflowIds(stack.client, `TuopinCountyName="嵩县" AND WorkflowId="project-${projectId}"`), {
      ok: (ids) => ids.length > 0,
    });
    expect(found).toEqual([`project-${projectId}`]);
    // And not under another county's name.
    expect(await listedWorkflowIds(stack.client, `TuopinCountyName="栾川县" AND WorkflowId="project-${projectId}"`)).toEqual([]);
  });
});
