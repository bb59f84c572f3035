import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { importHouseholdFile } from '../infra/registry/register';
import { actor, household, householdBody } from './support/exit-households';
import { startTestStack, type TestStack } from './support/stack';

const run = promisify(execFile);

// Each CLI process may compile on start: minutes on a loaded two-core machine.
jest.setTimeout(400_000);

const RUN = randomBytes(3).toString('hex');
const V = `vil-song-k${RUN}`;
const TOWNSHIP = ['--as', 'tw.song', '--role', 'township-official', '--county', 'song'];
const TEAM = ['--as', 'wt.song', '--role', 'work-team', '--county', 'song'];
const COMMITTEE = ['--as', 'vc.song', '--role', 'village-committee', '--county', 'song'];
const COUNTY = ['--as', 'co.song', '--role', 'county-official', '--county', 'song'];

describe('识别 and 动态调整 from a terminal: tuopin exit identify|remove …', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('identcli');
    await importHouseholdFile(stack.db.appDb, { name: `${V}.json`, text: JSON.stringify([household(V, 1)]), actor: actor('county-official'), salt: stack.cfg.MEMBER_KEY_SALT });
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

  it('opens a round, records an application, appraises it and posts the village notice', async () => {
    const round = ['--village', V, '--year', '2017'];
    expect((await tuopin('identify', 'start', ...round, ...TOWNSHIP)).stdout).toMatch(`started identification-${V}-2017`);
    const { countyId: _c, villageId: _v, registeredYear: _y, ...file } = householdBody(V, 2);
    const applied = await tuopin('identify', 'apply', ...round, '--data', JSON.stringify({ ...file, recordRef: `sqs-${RUN}` }), ...TEAM);
    expect(applied.stdout).toMatch(`application of ${file.householdId} recorded: the round is at applying`);
    expect(applied.stdout).toMatch('已申请，待评议');
    const byTeam = await tuopin('identify', 'step', ...round, '--step', 'appraise', '--data', JSON.stringify({ agreed: [file.householdId], recordRef: 'm' }), ...TEAM);
    expect(byTeam.code).not.toBe(0);
    expect(byTeam.stderr).toMatch(/ACCESS_ROLE_NOT_ALLOWED/);
    const appraised = await tuopin('identify', 'step', ...round, '--step', 'appraise', '--data', JSON.stringify({ agreed: [file.householdId], recordRef: 'm' }), ...COMMITTEE);
    expect(appraised.stdout).toMatch('next: 乡镇干部');
    const posted = await tuopin('identify', 'step', ...round, '--step', 'postVillageNotice', ...TOWNSHIP);
    expect(posted.stdout).toMatch('the round is at village-notice (村公示中)');
    const status = await tuopin('identify', 'status', ...round);
    expect(JSON.parse(status.stdout)).toMatchObject({ phase: 'village-notice', households: [{ householdId: file.householdId, status: 'village-notice' }] });
  });

  it('proposes a removal with its reason and posts its notice; the county may not decide before the notice ends; no reason, no removal', async () => {
    const hh = household(V, 1).householdId;
    const noReason = await tuopin('remove', 'propose', '--household', hh, '--year', '2018', '--record', 'r', ...COMMITTEE);
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toMatch(/--reason/);
    expect((await tuopin('remove', 'propose', '--household', hh, '--year', '2018', '--reason', 'moved-away', '--record', `qczm-${RUN}`, ...COMMITTEE)).stdout).toMatch(
      'HouseholdRemovalProposed',
    );
    expect((await tuopin('remove', 'notice', '--household', hh, ...TOWNSHIP)).stdout).toMatch('HouseholdRemovalNoticePosted');
    const early = await tuopin('remove', 'decide', '--household', hh, '--approved', 'yes', ...COUNTY);
    expect(early.code).not.toBe(0);
    expect(early.stderr).toMatch(/EXIT_NOTICE_RUNNING[\s\S]*公示期未满/);
  });
});
