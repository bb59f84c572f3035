import { domainError } from '../domain/shared/errors';
import { UpdateRefused } from '../services/errors';
import { insideNotice, lane, newTally, type SimContext } from './context';

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

describe('a lane', () => {
  it('runs at most n at once, in the order asked, and passes results and failures through', async () => {
    const run = lane(2);
    let now = 0;
    let most = 0;
    const order: number[] = [];
    const job = (i: number) =>
      run(async () => {
        now += 1;
        most = Math.max(most, now);
        order.push(i);
        await new Promise((r) => setTimeout(r, 5));
        now -= 1;
        if (i === 3) throw new Error('three');
        return i;
      });
    const all = await Promise.allSettled([1, 2, 3, 4, 5].map(job));
    expect(most).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(all.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([1, 2, 'three', 4, 5]);
    expect(await run(async () => 'after')).toBe('after');
  });
});
