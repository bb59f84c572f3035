import { fundErrors } from '../fund/errors';
import { benefitErrors } from '../benefit/errors';
import { policyZh } from './policies';

/**
 * Issue 14 point 14: a Chinese message names categories, fund sources and policies by their Chinese
 * names, never by the English ids machines keep (专款专用：该资金不得用于“transport”类项目 before).
 */
const ASCII_ID = /[“（][a-z]+(-[a-z]+)*[”）/]/;

describe('zh messages use zh names', () => {
  it('given a fund earmarked for water, when it would pay a transport project, then the refusal names 交通 in zh', () => {
    const e = fundErrors.notEarmarked('transport', ['water']);
    expect(e.zh).toBe('专款专用：该资金不得用于“交通”类项目');
    expect(e.zh).not.toMatch(ASCII_ID);
  });
  it('benefit refusals name the fund source and the category in zh', () => {
    expect(benefitErrors.fundNotAllowed('credit', ['central']).zh).toBe('该政策不能由“扶贫信贷资金”支付');
    expect(benefitErrors.fundNotEarmarked('education').zh).not.toMatch(ASCII_ID);
  });
  it('a policy is cited by its zh name and version', () => {
    expect(policyZh({ id: 'poverty-fund-negative-list', version: 2 })).toBe('扶贫资金负面清单（第2版）');
  });
});
