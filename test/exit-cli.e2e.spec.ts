import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { importHouseholdFile } from '../infra/registry/register';
import { CHECKLIST_ITEMS } from '../domain/village/checklist';
import { villageExitStatus } from '../services/village-exits';
import { actor, household } from './support/exit-households';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';

const run = promisify(execFile);

// Each CLI process compiles on start with tsx: minutes on a loaded two-core machine.
jest.setTimeout(400_000);

/** Fresh ids per run: exit workflow ids name the village or household and the year, on a shared Temporal server. */
const RUN = randomBytes(3).toString('hex');
const V = `vil-song-c${RUN}`;
const OFFICIAL = ['--as', 'co.song', '--role', 'county-official', '--county', 'song'];
const TOWNSHIP = ['--as', 'tw.song', '--role', 'township-official', '--county', 'song'];

describe('village, county and return-review exits from a terminal: tuopin exit village|county|review …', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('exitcli');
    await importHouseholdFile(stack.db.appDb, {
      name: `${V}.json`,
      text: JSON.stringify([household(V, 1), household(V, 2)]),
      actor: actor('county-official'),
      salt: stack.cfg.MEMBER_KEY_SALT,
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const tuopin = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    const env = { ...process.env, ...stack.env, LOG_LEVEL: 'warn' };
    try {
      const r = await run('bin/tuopin', ['exit', ...args], { env, encoding: 'utf8' });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, stdout: x.stdout, stderr: x.stderr };
    }
  };

  it('registers a poor village, starts its exit, takes the county review and reads its status', async () => {
    const notRegistered = await tuopin('village', 'start', '--village', V, '--year', '2016', '--rural-population', '1000', '--checklist', '[]', ...TOWNSHIP);
    expect(notRegistered.code).not.toBe(0);
    expect(notRegistered.stderr).toMatch(/VILLAGE_NOT_REGISTERED/);
    const registered = await tuopin('village', 'register', '--village', V, ...OFFICIAL);
    expect(registered.stdout).toMatch(new RegExp(`registered ${V} at store position \\d+`));

    const dir = await mkdtemp(path.join(tmpdir(), 'tuopin-exit-cli-'));
    const checklist = path.join(dir, 'checklist.json');
    await writeFile(checklist, JSON.stringify(CHECKLIST_ITEMS.map((i) => ({ item: i.id, result: i.kind === 'considered' ? 'considered' : 'met', evidenceRef: `ev-${i.id}` }))));
    const started = await tuopin('village', 'start', '--village', V, '--year', '2016', '--rural-population', '1000', '--checklist', `@${checklist}`, ...TOWNSHIP);
    expect(started.stdout).toMatch(new RegExp(`^started village-exit-${V}-2016 `));
    await until('the village exit awaiting review', () => villageExitStatus(stack.client, V, 2016), { ok: (s) => s?.phase === 'awaiting-review' });

    const wrongRole = await tuopin('village', 'step', '--village', V, '--year', '2016', '--step', 'review', '--data', '{"approved":true}', ...TOWNSHIP);
    expect(wrongRole.code).not.toBe(0);
    expect(wrongRole.stderr).toMatch(/ACCESS_ROLE_NOT_ALLOWED/);
    const reviewed = await tuopin('village', 'step', '--village', V, '--year', '2016', '--step', 'review', '--data', '{"approved":true,"note":"ok"}', ...OFFICIAL);
    expect(reviewed.stdout).toMatch(/review: the village exit is at in-notice/);
    const status = await tuopin('village', 'status', '--village', V, '--year', '2016');
    expect(JSON.parse(status.stdout)).toMatchObject({ villageId: V, phase: 'in-notice', incidence: { poorRemaining: 6, population: 1000 } });
  });

  it('refuses a county exit out of the official’s county and a review step the household is not ready for, naming the code', async () => {
    const outside = await tuopin(
      'county',
      'start',
      '--of',
      'song',
      '--year',
      '2019',
      '--rural-population',
      '400000',
      '--non-registered-households',
      '1000',
      '--as',
      'co.lc',
      '--role',
      'county-official',
      '--county',
      'luanchuan',
    );
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toMatch(/ACCESS_OUT_OF_COUNTY/);

    const id = household(V, 1).householdId;
    const started = await tuopin('review', 'start', '--household', id, '--year', '2017', '--as', 'wt.song', '--role', 'work-team', '--county', 'song');
    expect(started.stdout).toMatch(new RegExp(`started return-review-${id}-2017`));
    // A household still poor was never exited: there is nothing to review, and the workflow says so.
    const visit = await tuopin(
      'review',
      'step',
      '--household',
      id,
      '--year',
      '2017',
      '--step',
      'visit',
      '--data',
      '{"findings":"x"}',
      '--as',
      'wt.song',
      '--role',
      'work-team',
      '--county',
      'song',
    );
    expect(visit.code).not.toBe(0);
    expect(visit.stderr).toMatch(/^error \[[A-Z_]+\]/);
    const progress = await tuopin('progress', '--county', 'song', '--year', '2016');
    expect(progress.stdout).toMatch(/嵩县\s+total\s+0 of 54144/);
  });
});
