import { CliError } from '../args';
import { parsePayment } from './project-money';

const PAY = [
  '--project',
  'prj-song-2016-road0001',
  '--fund',
  'fund-song-2016-central-01',
  '--allocation',
  'prj-song-2016-road0001:a6',
  '--milestone',
  'advance',
  '--payee',
  'acct-6222-01',
  '--amount',
  '18.9万',
  '--use',
  'road-works',
  '--as',
  'qian.li',
];

describe('tuopin project pay --household', () => {
  it('sends the plain account as the payee and the household beside it', () => {
    const p = parsePayment([...PAY, '--household', 'hh-song-00042']);
    expect(p.request).toMatchObject({ payee: 'acct-6222-01', householdId: 'hh-song-00042', amount: 18_900_000 });
  });

  it('without it names no household', () => {
    expect(parsePayment(PAY).request).not.toHaveProperty('householdId');
  });

  it.each(['hh-song-00042.acct-6222-01', '张三', '410325197503121111'])('refuses --household %s naming the flag', (bad) => {
    const e = (() => {
      try {
        parsePayment([...PAY, '--household', bad]);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).code).toBe('CLI_INVALID_INPUT');
    expect((e as CliError).message).toMatch(/^--household: must look like hh-<county>-<serial>/);
  });
});
