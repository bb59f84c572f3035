import { CliError } from '../args';
import { fundCommandEventId } from '../../services/fund-commands';
import { describeOutcome, parseFundCommand } from './fund-commands';

describe('tuopin fund freeze|unfreeze|return', () => {
  it("parses a return with the amount in 万 as exact fen and the actor in the fund's county", () => {
    const p = parseFundCommand('return', ['--fund', 'fund-song-2016-central-01', '--amount', '12.3456万', '--reason', '项目结余收回', '--as', 'qian.li', '--request-id', 'ret-1']);
    expect(p.requestId).toBe('ret-1');
    expect(p.command).toMatchObject({
      type: 'ReturnFund',
      data: { fundId: 'fund-song-2016-central-01', amount: 12_345_600, reason: '项目结余收回' },
      meta: { actor: { userId: 'qian.li', role: 'county-finance', countyId: 'song' } },
    });
  });

  it('the city office freezes without a county', () => {
    const p = parseFundCommand('freeze', ['--fund', 'fund-song-2016-central-01', '--reason', '审计发现问题', '--as', 'city.office.1', '--role', 'city-poverty-office']);
    expect(p.command.type).toBe('FreezeFund');
    expect(p.command.meta.actor).toEqual({ userId: 'city.office.1', role: 'city-poverty-office' });
  });

  it.each([
    ['a missing reason', 'unfreeze', ['--fund', 'fund-song-2016-central-01', '--as', 'qian.li'], '--reason'],
    ['an amount on a freeze', 'freeze', ['--fund', 'fund-song-2016-central-01', '--reason', 'x', '--as', 'qian.li', '--amount', '1万'], 'amount'],
    ['a negative return', 'return', ['--fund', 'fund-song-2016-central-01', '--reason', 'x', '--as', 'qian.li', '--amount', '-1万'], '--amount'],
    ['a bad fund id', 'freeze', ['--fund', 'song', '--reason', 'x', '--as', 'qian.li'], '--fund'],
  ] as const)('refuses %s naming the flag', (_, verb, argv, flag) => {
    const e = (() => {
      try {
        parseFundCommand(verb, [...argv]);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).message).toContain(flag);
  });

  it('one request id on one fund and command is one event id; another command or fund is another', () => {
    const a = fundCommandEventId('fund-song-2016-a1', 'FreezeFund', 'r-1');
    expect(fundCommandEventId('fund-song-2016-a1', 'FreezeFund', 'r-1')).toBe(a);
    expect(fundCommandEventId('fund-song-2016-a1', 'UnfreezeFund', 'r-1')).not.toBe(a);
    expect(fundCommandEventId('fund-song-2016-a2', 'FreezeFund', 'r-1')).not.toBe(a);
  });
});

describe('what tuopin fund freeze|unfreeze|return did: the English scripts read first, then the Chinese', () => {
  const done = { ok: true as const, duplicate: false, fundId: 'fund-song-2016-central-01', position: 7, streamVersion: 3, eventId: 'e-1' };
  it.each([
    ['return', ['--amount', '1万'], 'returned 10,000.00元 from fund-song-2016-central-01 at store position 7, stream version 3, event e-1 已收回 10,000.00元'],
    ['freeze', [], 'froze fund-song-2016-central-01 at store position 7, stream version 3, event e-1 已冻结'],
    ['unfreeze', [], 'unfroze fund-song-2016-central-01 at store position 7, stream version 3, event e-1 已解冻'],
  ] as const)('%s', (verb, extra, line) => {
    const p = parseFundCommand(verb, ['--fund', 'fund-song-2016-central-01', '--reason', 'x', '--as', 'qian.li', ...extra]);
    expect(describeOutcome(p, done as never)).toBe(line);
    expect(describeOutcome(p, { ...done, duplicate: true } as never)).toMatch(/^already recorded: .* 此前已记录：/);
  });
});
