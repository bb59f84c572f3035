import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** npm run chaos tells its flags as npm run demo does, before it starts any service: English first, then Chinese; the usage in the locale's language. */
const dataDir = mkdtempSync(path.join(tmpdir(), 'chaos-flags-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const chaos = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'main.ts'), ...args], {
    env: { PATH: process.env.PATH ?? '', TUOPIN_DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
  });

describe('npm run chaos refuses a flag as the demo does', () => {
  it('--kills, with its label, and nothing after the message', () => {
    const r = chaos(['--kills', 'x']);
    expect([r.status, r.stderr]).toEqual([1, '--kills: "x" must be a whole number from 0 to 1000\n  “强行终止工作进程的次数”（kills）：“x”须为 0 至 1000 之间的整数\n']);
  });
  it('an unknown flag, with the usage in the locale’s language', () => {
    const r = chaos(['--bogus'], { LANG: 'zh_CN.UTF-8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^unknown flag --bogus\n {2}不认识的选项：--bogus\nusage: npm run chaos -- /);
    expect(r.stderr).toContain('NATS 中断的秒数（默认 60）');
    expect(r.stderr).not.toContain('sonic boom');
  });
  it('--help in English under LANG=C, exit 0', () => {
    const r = chaos(['--help'], { LANG: 'C' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('  --nats-down-s   how long NATS is down, in seconds (default 60)');
  });
});
