import { until } from './until';

/** A probe answering from a list, one answer a call, the last one from then on. */
const answers = <T>(...values: T[]) => {
  let calls = 0;
  const read = async (): Promise<T> => values[Math.min(calls++, values.length - 1)]!;
  return { read, calls: () => calls };
};

describe('until', () => {
  it('returns the first value that is not undefined, null or false, reading again until then', async () => {
    const p = answers<{ id: string } | undefined | null | false>(undefined, null, false, { id: 'f-1' }, { id: 'f-2' });
    await expect(until('the row', p.read, { intervalMs: 1 })).resolves.toEqual({ id: 'f-1' });
    expect(p.calls()).toBe(4);
  });

  it('with ok, returns the value read once ok holds', async () => {
    const p = answers({ phase: 'assessing' }, { phase: 'assessing' }, { phase: 'township-review' });
    await expect(until('the review', p.read, { ok: (s) => s.phase !== 'assessing', intervalMs: 1 })).resolves.toEqual({ phase: 'township-review' });
    expect(p.calls()).toBe(3);
  });

  it('with a type guard for ok, returns the narrowed value', async () => {
    type Answer = { status: number; body: string } | { error: string };
    const p = answers<Answer>({ error: 'ECONNREFUSED' }, { status: 503, body: 'draining' });
    const r = await until('a status', p.read, { ok: (a): a is { status: number; body: string } => 'status' in a, intervalMs: 1 });
    expect(r.status).toBe(503);
  });

  it('takes a synchronous probe', async () => {
    let n = 0;
    await expect(until('the third call', () => ++n === 3, { intervalMs: 1 })).resolves.toBe(true);
  });

  it('on timeout throws an error naming what it waited for and the last value read', async () => {
    const p = answers({ phase: 'assessing', round: 'r-1' });
    await expect(until('the round past assessing', p.read, { ok: (s) => s.phase !== 'assessing', timeoutMs: 30, intervalMs: 5 })).rejects.toThrow(
      "until: the round past assessing did not hold within 30 ms; last read: { phase: 'assessing', round: 'r-1' }",
    );
  });

  it('on timeout of a boolean condition says it read false', async () => {
    await expect(until('never', () => false, { timeoutMs: 10, intervalMs: 1 })).rejects.toThrow('until: never did not hold within 10 ms; last read: false');
  });

  it('reads at least once, even with no time to wait', async () => {
    await expect(until('at once', async () => 'here', { timeoutMs: 0 })).resolves.toBe('here');
  });

  it('ends the wait at once with the error the probe threw, not a timeout', async () => {
    const refused = new Error('connection refused');
    let calls = 0;
    const read = async (): Promise<string | undefined> => {
      calls++;
      if (calls === 2) throw refused;
      return undefined;
    };
    await expect(until('the row', read, { intervalMs: 1 })).rejects.toBe(refused);
    expect(calls).toBe(2);
  });

  it('ends the wait with the error ok threw', async () => {
    const wrong = new Error('a refusal where a phase was expected');
    await expect(
      until('the phase', async () => 'refused', {
        ok: () => {
          throw wrong;
        },
      }),
    ).rejects.toBe(wrong);
  });
});
