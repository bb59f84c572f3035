import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** npm run demo's refusals of its flags, checked before it touches the stack: English first, then Chinese with the flag's label. */
const demo = (...args: string[]): { status: number | null; stderr: string[] } => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'demo.ts'), ...args], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr.trimEnd().split('\n') };
};

describe('npm run demo tells a refused flag as the CLI does', () => {
  it('--day-ms', () => {
    expect(demo('--day-ms', '0')).toEqual({
      status: 1,
      stderr: ['--day-ms: "0" must be a number of milliseconds from 1 to 86400000', '  “一天的毫秒数”（day-ms）：“0”须为 1 至 86400000 之间的毫秒数'],
    });
  });
  it('--scale', () => {
    const { status, stderr } = demo('--scale', 'county:beijing');
    expect(status).toBe(1);
    expect(stderr[0]).toMatch(/^--scale: "county:beijing" must be county:<id>\[,n\/m\] with <id> one of [a-z, ]*song, /);
    expect(stderr[1]).toMatch(/^ {2}“规模”（scale）：“county:beijing”须为 county:<县代码>\[,比例\]（县代码为 [a-z、]*song、/);
  });
  it('an unknown flag, with the usage in the locale’s language', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'demo.ts'), '--bogus'], {
      env: { PATH: process.env.PATH ?? '', LANG: 'zh_CN.UTF-8' },
      encoding: 'utf8',
    });
    expect(r.stderr).toMatch(/^unknown flag --bogus\n {2}不认识的选项：--bogus\nusage: npm run demo -- /);
    expect(r.stderr).toContain('一个工作日折合的实际毫秒数');
  });
});
