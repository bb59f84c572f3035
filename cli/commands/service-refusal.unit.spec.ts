import { ProcessNotFound, UpdateRefused } from '../../services/errors';
import { CliError } from '../args';
import { asCliRefusal } from './service-refusal';

const told = (e: unknown): CliError => {
  try {
    asCliRefusal(e);
  } catch (thrown) {
    return thrown as CliError;
  }
  throw new Error('asCliRefusal returned');
};

describe('asCliRefusal: a service refusal as the CLI tells it', () => {
  it('tells a missing process (a project that does not exist) with its code in English and Chinese, not as a crash', () => {
    const e = told(new ProcessNotFound('project-prj-song-2016-0999', 'PROJECT_NOT_FOUND'));
    expect(e).toBeInstanceOf(CliError);
    expect(e.code).toBe('CLI_NOT_FOUND');
    expect(e.message).toBe('no project prj-song-2016-0999 (it does not exist or has ended)\n项目 prj-song-2016-0999 不存在或已结束');
  });

  it('tells any other missing process by its workflow id', () => {
    const e = told(new ProcessNotFound('identification-vil-song-0001-2018'));
    expect([e.code, e.message]).toEqual(['CLI_NOT_FOUND', 'no process identification-vil-song-0001-2018\n该办理流程不存在：identification-vil-song-0001-2018']);
  });

  it("tells a refused Update by the domain's code and both messages", () => {
    const e = told(new UpdateRefused({ code: 'FUND_FROZEN', en: 'the fund is frozen', zh: '资金已冻结' }));
    expect(e).toBeInstanceOf(CliError);
    expect(e.code).toBe('FUND_FROZEN');
    expect(e.message).toBe('the fund is frozen\n资金已冻结');
  });

  it('passes anything else on as it came', () => {
    const other = new Error('connection refused');
    expect(told(other)).toBe(other);
  });
});
