import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** `npm run stack -- stop` ends .ci/run: it must end with its line, not with pino throwing over it. */
const dataDir = mkdtempSync(path.join(tmpdir(), 'stack-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const stack = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'cli.ts'), ...args], {
    // A data folder of its own: no dev server of ours is running there, so nothing is stopped.
    env: { PATH: process.env.PATH ?? '', TUOPIN_DATA_DIR: dataDir },
    encoding: 'utf8',
  });

describe('npm run stack ends once its log file is open', () => {
  it('stop with nothing to stop: its line, exit 0, no "sonic boom is not ready yet"', () => {
    const r = stack(['stop']);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '[stack] Temporal: no dev server of ours is running\n', '']);
  });
  it('an unknown command: its refusal, exit 1', () => {
    const r = stack(['bogus']);
    expect([r.status, r.stderr]).toEqual([1, '[stack] unknown command "bogus": use up or stop\n']);
  });
});
