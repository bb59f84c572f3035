import { OneAtATime } from './one-at-a-time';

const tick = () => new Promise((r) => setImmediate(r));

describe('OneAtATime', () => {
  it('runs steps one after another in arrival order, even when several wait at once', async () => {
    const lock = new OneAtATime();
    const log: string[] = [];
    let inside = 0;
    let most = 0;
    const step = (name: string) =>
      lock.run(async () => {
        inside += 1;
        most = Math.max(most, inside);
        log.push(`${name}:in`);
        await tick();
        log.push(`${name}:out`);
        inside -= 1;
        return name;
      });
    const results = await Promise.all([step('a'), step('b'), step('c'), step('d')]);
    expect(results).toEqual(['a', 'b', 'c', 'd']);
    expect(most).toBe(1);
    expect(log).toEqual(['a:in', 'a:out', 'b:in', 'b:out', 'c:in', 'c:out', 'd:in', 'd:out']);
    expect(lock.busy).toBe(false);
  });

  it('takes a free lock at once, so nothing can slip in before the first step starts', () => {
    const lock = new OneAtATime();
    void lock.run(() => new Promise(() => undefined));
    expect(lock.busy).toBe(true);
  });

  it('passes the lock on when a step fails', async () => {
    const lock = new OneAtATime();
    const failing = lock.run(async () => {
      throw new Error('refused');
    });
    const next = lock.run(async () => 'ran');
    await expect(failing).rejects.toThrow('refused');
    await expect(next).resolves.toBe('ran');
    expect(lock.busy).toBe(false);
  });
});
