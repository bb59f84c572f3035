import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromObject } from './support/project-walk';
import { workflowBundle } from '../workers/workflow-bundle';

const DIR = path.join(__dirname, 'histories');

/**
 * Every saved history of a finished project run must replay on today's workflow code. A change to
 * the commands a workflow issues breaks this test unless it is guarded by patched().
 */
describe('saved workflow histories replay deterministically', () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();

  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('replays each one without a nondeterminism error', async () => {
    const histories = files.map((f) => {
      const saved = JSON.parse(readFileSync(path.join(DIR, f), 'utf8')) as { workflowId: string; history: unknown };
      return { workflowId: `${f}:${saved.workflowId}`, history: historyFromObject(saved.history) };
    });
    const failures: string[] = [];
    for await (const r of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
      if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
