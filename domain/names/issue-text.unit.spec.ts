import { z } from 'zod';
import { moneySchema } from '../shared/money';
import { describeIssue, inputIssueOf } from './issue-text';

const issuesOf = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('accepted');
  return r.error.issues.map((i) => describeIssue(inputIssueOf(i), 'body'));
};

describe('a refused input, told in both languages with the field and the rule', () => {
  const body = z
    .object({
      amount: moneySchema,
      name: z.string().min(1, { error: 'must not be empty' }).max(5),
      countyId: z.enum(['song', 'luanchuan']),
      records: z.array(z.object({ perCapitaIncome: moneySchema }).strict()),
      fiscalYear: z.number().int().min(2016),
    })
    .strict();

  it('a JSON number for an amount: refused with how to write one', () => {
    const [i] = issuesOf(body.pick({ amount: true }), { amount: 1250 });
    expect(i).toEqual({
      field: 'body.amount',
      fieldZh: '金额',
      rule: 'invalid_type',
      zh: expect.stringMatching(/^“金额”（body\.amount）：不接受数字形式的金额；金额须写成字符串.*"115万".*"1,150,000\.00元"/),
      en: expect.stringMatching(/^body\.amount: a JSON number is not accepted for an amount; write an amount as a string/),
    });
  });

  it('an amount that is no amount: the format, in Chinese', () => {
    const [i] = issuesOf(body.pick({ amount: true }), { amount: '一百万' });
    expect(i!.zh).toMatch(/^“金额”（body\.amount）：金额须写成字符串/);
  });

  it('nested fields by their own label, list positions kept in the path', () => {
    const [i] = issuesOf(body.pick({ records: true }), { records: [{ perCapitaIncome: '4200' }, { perCapitaIncome: 4200 }] });
    expect(i).toMatchObject({ field: 'body.records.1.perCapitaIncome', fieldZh: '人均纯收入' });
  });

  it.each([
    [{ name: '' }, '“项目名称”（body.name）：不能为空'],
    [{ name: 'abcdefg' }, '“项目名称”（body.name）：最多 5 个字符'],
    [{ countyId: 'nowhere' }, '“县”（body.countyId）：须为以下之一：song（嵩县）、luanchuan（栾川县）'],
    [{ fiscalYear: 2015 }, '“年度”（body.fiscalYear）：不得小于 2016'],
    [{ fiscalYear: 'twenty' }, '“年度”（body.fiscalYear）：须为数字'],
    [{}, '“项目名称”（body.name）：必填'],
  ])('%j → %s', (value, zh) => {
    const key = Object.keys(value)[0] ?? 'name';
    const [i] = issuesOf(body.pick({ [key]: true } as never), value);
    expect(i!.zh).toBe(zh);
  });

  it('an unknown field is named by its key', () => {
    const [i] = issuesOf(body.pick({ name: true }), { name: 'ok', proposedBy: 'x' });
    expect(i).toMatchObject({ field: 'body', rule: 'unrecognized_keys', zh: '“请求内容”（body）含有不接受的字段：proposedBy' });
  });

  it('a field without a Chinese label is still named by its path, and a custom rule may bring its own Chinese', () => {
    const i = describeIssue({ code: 'custom', path: ['zzz'], message: 'must be odd', params: { params: { zh: '须为奇数' } } }, 'query');
    expect(i).toEqual({ field: 'query.zzz', rule: 'custom', zh: '“query.zzz”：须为奇数', en: 'query.zzz: must be odd' });
  });

  it("a field named like an object's own property (constructor, toString) is named by its path, never given a function for a label", () => {
    // Found by test/api-fuzz (seed 1313159436): a benefit round's `standards` with such a key made the 400 fail its own schema (a 500).
    const standards = z.record(z.string(), z.number().int());
    for (const key of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) {
      const [i] = issuesOf(z.object({ standards }), { standards: { [key]: 'x' } });
      expect(i).toMatchObject({ field: `body.standards.${key}` });
      expect(i).not.toHaveProperty('fieldZh');
      expect(typeof i!.zh).toBe('string');
    }
  });
});
