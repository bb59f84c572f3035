import { domainError } from '../domain/shared/errors';
import { UpdateRefused } from '../services/errors';
import { insideNotice, newTally, type SimContext } from './context';

describe('a step inside a scaled notice', () => {
  const ctx = () => ({ tally: newTally() }) as unknown as SimContext;

  it('is taken when it arrives in time', async () => {
    const x = ctx();
    await expect(insideNotice(x, async () => 'ok')).resolves.toBe(true);
    expect(x.tally.refusals).toEqual({});
  });

  it('is counted and dropped when the notice ended before it arrived', async () => {
    const x = ctx();
    const ended = new UpdateRefused(domainError('EXIT_NOTICE_ENDED', '公示期已结束', 'the notice period has ended'));
    await expect(insideNotice(x, () => Promise.reject(ended))).resolves.toBe(false);
    expect(x.tally.refusals).toEqual({ EXIT_NOTICE_ENDED: 1 });
  });

  it('fails the run on any other refusal or error', async () => {
    const other = new UpdateRefused(domainError('EXIT_NOT_IN_NOTICE', '不在公示名单中', 'not in notice'));
    await expect(insideNotice(ctx(), () => Promise.reject(other))).rejects.toBe(other);
    await expect(insideNotice(ctx(), () => Promise.reject(new Error('down')))).rejects.toThrow('down');
  });
});
