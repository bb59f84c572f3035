import { optionalText, requiredLine, requiredText, textProblem, unstorable } from './text';

describe('the well-formed-text rule', () => {
  const line = requiredLine(20);
  const refusedBy = (s: string) => {
    const r = line.safeParse(s);
    return r.success ? null : r.error.issues[0]?.message;
  };

  it('takes plain Chinese and English text, trimmed', () => {
    expect(line.parse('  车村镇通村道路硬化 ')).toBe('车村镇通村道路硬化');
    expect(line.parse('Road 𠀀 (CJK ext. B)')).toBe('Road 𠀀 (CJK ext. B)');
  });

  it.each([
    ['a lone high surrogate', 'a\ud800', /well-formed/],
    ['a lone low surrogate', '\udc00b', /well-formed/],
    ['NUL', 'a\u0000b', /NUL/],
    ['a control character', 'a\u0007b', /control/],
    ['a line break in one-line text', 'a\nb', /line breaks/],
    ['a C1 control', 'a\u0085b', /control/],
    ['a right-to-left override', 'abc\u202Edef', /bidirectional/],
    ['an isolate', '\u2066abc\u2069', /bidirectional/],
    ['the replacement character (invalid UTF-8 sent)', 'a\uFFFDb', /U\+FFFD/],
    ['decomposed text (not NFC)', 'e\u0301', /NFC/],
    ['zero-width spaces only', '\u200B\u200B\u200B', /empty/],
    ['a word joiner and a BOM only', '\u2060\uFEFF', /empty/],
    ['spaces only', '   ', /empty/],
    ['the empty string', '', /empty/],
    ['too long', 'x'.repeat(21), /at most 20/],
  ])('refuses %s, saying why', (_, input, why) => {
    expect(refusedBy(input)).toMatch(why);
  });

  it('allows line breaks and tabs in several-line text, and empty optional text', () => {
    expect(requiredText(50).parse('第一行\n\t第二行')).toBe('第一行\n\t第二行');
    expect(optionalText(50).parse('')).toBe('');
    expect(optionalText(50).safeParse('a\u0000').success).toBe(false);
    expect(optionalText(50).safeParse('\u200B\u200B').success).toBe(false);
    expect(requiredText(50).safeParse('\u200B\n').success).toBe(false);
  });

  it('checks the length first, so a huge string costs no more than its length', () => {
    const r = requiredLine(100).safeParse('1'.repeat(1 << 20));
    expect(r.success).toBe(false);
    expect(r.error?.issues).toHaveLength(1);
  });

  it('names what jsonb cannot store', () => {
    expect(unstorable('a\u0000')).toBe(true);
    expect(unstorable('\ud800')).toBe(true);
    expect(unstorable('嵩县\u202E')).toBe(false);
    expect(textProblem('ok')).toBeNull();
  });
});
