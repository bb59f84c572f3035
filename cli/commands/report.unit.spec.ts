import { CliError, parseFlags } from '../args';
import { reportFlags } from './report';

describe('tuopin report flags', () => {
  it('takes a store position or a day that exists, and refuses anything else before the database is asked', () => {
    expect(parseFlags(['--as-of', '6119'], reportFlags)['as-of']).toBe('6119');
    expect(parseFlags(['--as-of', '2019-12-31', '--county', '嵩县'], reportFlags)).toEqual({ 'as-of': '2019-12-31', county: 'song' });
    for (const bad of ['2026-13-01', '2019-02-30', '12.5', '0x10', 'yesterday', '2019-12-31T00:00']) {
      expect(() => parseFlags(['--as-of', bad], reportFlags)).toThrow(CliError);
      expect(() => parseFlags(['--as-of', bad], reportFlags)).toThrow(/--as-of: must be a store position .* that exists/);
    }
    expect(() => parseFlags(['--county', 'atlantis'], reportFlags)).toThrow(/--county/);
  });
});
