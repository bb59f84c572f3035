import { z } from 'zod';
import { CliError, parseFlags } from './args';

const refusal = (argv: string[]): CliError => {
  try {
    parseFlags(argv, z.object({ year: z.coerce.number().int().min(2016), limit: z.coerce.number().int().max(500).optional() }).strict());
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error('accepted');
};

/** A refused flag is told as the API tells a refused field: the flag and the rule, in English first, then in Chinese with its label. */
describe('parseFlags: a refused flag in both languages', () => {
  it('names the flag and the rule in English, then the Chinese label and the rule in Chinese', () => {
    const e = refusal(['--year', '1999']);
    expect(e.code).toBe('CLI_INVALID_INPUT');
    expect(e.message).toBe('--year: Too small: expected number to be >=2016\n  “年度”（year）：不得小于 2016');
  });
  it('every refused flag gets its two lines', () => {
    const lines = refusal(['--year', '1999', '--limit', '9999']).message.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^--limit: /);
    expect(lines[3]).toMatch(/[\u4e00-\u9fff]/);
  });
});
