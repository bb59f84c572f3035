import { CliError } from './args';
import { readFlags, scaleFlag, wholeFlag } from './run-flags';
import type { UsageEntry } from './usage';

const FLAGS: readonly UsageEntry[] = [
  { syntax: ['--seed  '], en: 'the seed', zh: '种子' },
  { syntax: ['--day-ms'], en: 'a day', zh: '一天' },
];

const refusal = (f: () => unknown): CliError => {
  try {
    f();
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error('not refused');
};

describe("a run script's flags (npm run demo, npm run chaos)", () => {
  it('reads --name value and --name=value of the flags its table lists', () => {
    const flag = readFlags(['--seed', 's1', '--day-ms=20'], FLAGS, 'usage');
    expect([flag('seed'), flag('day-ms'), flag('scale')]).toEqual(['s1', '20', undefined]);
  });
  it('refuses an unknown flag in English, then Chinese, then the usage', () => {
    const e = refusal(() => readFlags(['--seed', 's', '--bogus'], FLAGS, 'usage: x'));
    expect([e.code, e.message]).toEqual(['CLI_USAGE', 'unknown flag --bogus\n  不认识的选项：--bogus\nusage: x']);
  });
  it('refuses a whole number out of bounds with its label', () => {
    expect(wholeFlag(undefined, 'kills', 20, 0, 1000)).toBe(20);
    expect(refusal(() => wholeFlag('x', 'kills', 20, 0, 1000)).message.split('\n')).toEqual([
      '--kills: "x" must be a whole number from 0 to 1000',
      '  “强行终止工作进程的次数”（kills）：“x”须为 0 至 1000 之间的整数',
    ]);
    expect(refusal(() => wholeFlag('0', 'nats-down-s', 60, 1, 3600)).message).toContain('“NATS 中断秒数”（nats-down-s）：“0”须为 1 至 3600 之间的整数');
  });
  it('refuses a scale as --scale', () => {
    expect(scaleFlag('county:song,1/100').label).toBe('county:song,1/100');
    expect(refusal(() => scaleFlag('county:beijing')).message).toMatch(/^--scale: "county:beijing" must be .*\n {2}“规模”（scale）：/);
  });
});
