import { deciderSpec } from '../shared/testing';
import { householdDecider } from './index';
import { ALL_MET, cmd, historyOf, register, yuan } from './fixtures';

/**
 * Issue 14 point 6: an exit is judged against one series, the administrative 脱贫标准 of its year.
 * Version 1 took 2016 from the statistical line (2,952 yuan), so a household at 3,000 yuan exited
 * in 2016 although the 2016 exit standard (3,146 yuan) was above its income.
 */
const spec = deciderSpec(householdDecider);
const T2016 = { income: '2016-10-20T09:00:00+08:00', assess: '2016-11-01T09:00:00+08:00' };
const poorIn2016 = (perHead: number) =>
  historyOf([
    register(),
    cmd('RecordIncome', { year: 2016, perCapitaIncome: yuan(perHead), stableIncomeSource: true }, 'work-team', T2016.income),
    cmd('UpdateGuarantees', { year: 2016, guarantees: ALL_MET }, 'work-team', T2016.income),
  ]);

describe('household exit: judged against the year’s 脱贫标准 (administrative series) only', () => {
  it('given 3,000 yuan a head in 2016, when assessed for a 2016 exit, then not eligible: 3,000 is above the statistical line 2,952 but not above the exit standard 3,146', () => {
    const [assessed] = spec
      .given(poorIn2016(3000))
      .when(cmd('AssessForExit', { year: 2016 }, 'work-team', T2016.assess))
      .thenAccepts();
    expect(assessed!.data).toMatchObject({ year: 2016, eligible: false, threshold: 314_600, policy: { id: 'poverty-line', version: 2, year: 2016 } });
    expect((assessed!.data as { explanation: { zh: string } }).explanation.zh).toBe('按脱贫标准（第2版，2016年）暂不能脱贫：人均纯收入3,000.00元未超过2016年脱贫标准3,146.00元');
  });

  it('given 3,147 yuan a head in 2016, when assessed, then eligible under the 2016 exit standard', () => {
    const [assessed] = spec
      .given(poorIn2016(3147))
      .when(cmd('AssessForExit', { year: 2016 }, 'work-team', T2016.assess))
      .thenAccepts();
    expect(assessed!.data).toMatchObject({ eligible: true, threshold: 314_600 });
  });

  it('the zh explanation names the policy in Chinese, never by its English id', () => {
    const [assessed] = spec
      .given(poorIn2016(3147))
      .when(cmd('AssessForExit', { year: 2016 }, 'work-team', T2016.assess))
      .thenAccepts();
    expect((assessed!.data as { explanation: { zh: string } }).explanation.zh).not.toMatch(/poverty-line|\/v\d/);
  });
});
