import { daySchema } from './ids';

describe('daySchema', () => {
  it('takes a day that exists', () => {
    expect(daySchema.parse('2016-02-29')).toBe('2016-02-29');
  });

  it.each(['2017-02-29', '2016-13-01', '2016-1-1', 'hostile', '\u0000', 'x'.repeat(100_000), '2016-02-29T00:00:00Z'])('refuses %#, never throws', (text) => {
    const r = daySchema.safeParse(text);
    expect(r.success).toBe(false);
  });
});
