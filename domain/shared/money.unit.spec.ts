import fc from 'fast-check';
import { fen, fenSchema, formatWan, formatYuan, MONEY_FORMAT, moneySchema, parseMoney, withYuan } from './money';

const ok = (s: string) => {
  const r = parseMoney(s);
  if (!r.ok) throw new Error(`refused ${s}: ${r.reason}`);
  return r.fen;
};
const reason = (s: string) => {
  const r = parseMoney(s);
  if (r.ok) throw new Error(`accepted ${s} as ${r.fen}`);
  return r.reason;
};

describe('parseMoney: amounts as the plan writes them, exact to the fen', () => {
  it.each([
    ['12.34', 1234],
    ['12.34元', 1234],
    ['12.3元', 1230],
    ['0.01', 1],
    ['0', 0],
    ['2855元', 285_500],
    ['350万', 350_000_000],
    ['350万元', 350_000_000],
    ['0.000001万', 1],
    ['18228.5万', 18_228_500_000],
    // the plan's industry sum: 2,662,921.82万
    ['2662921.82万', 2_662_921_820_000],
    ['209693.104万', 209_693_104_000],
    [' 105万 ', 105_000_000],
    // as finance offices write them: thousands grouped, 亿 for the plan's totals
    ['1,150,000.00元', 115_000_000],
    ['1,150,000', 115_000_000],
    ['1150000', 115_000_000],
    ['115万', 115_000_000],
    ['1,050万元', 1_050_000_000],
    ['641.8亿元', 6_418_000_000_000],
    ['0.0000000001亿', 1],
  ])('%s is %i fen', (s, expected) => expect(ok(s)).toBe(expected));

  it.each([
    ['', /required/],
    ['-5', /negative/],
    ['-5万', /negative/],
    ['1.234', /at most 2 decimals/],
    ['1.2345678万', /at most 6 decimals/],
    ['1e6', /not an amount/],
    ['1,00', /not an amount/],
    ['1,0000', /not an amount/],
    [',100', /not an amount/],
    ['1,000,', /not an amount/],
    ['1.5亿万', /not an amount/],
    ['12.', /not an amount/],
    ['.5', /not an amount/],
    ['NaN', /not an amount/],
    ['Infinity', /not an amount/],
    ['0x10', /not an amount/],
    ['350 万 元', /not an amount/],
    ['1万元元', /not an amount/],
  ])('refuses %j', (s, why) => expect(reason(s)).toMatch(why));

  it('refuses a string longer than any amount before a pattern sees it (a lazy pattern took seconds on 40,000 spaces)', () => {
    expect(reason('1' + ' '.repeat(40_000) + '2')).toMatch(/at most 40 characters/);
    expect(reason(' '.repeat(1 << 20) + '1万')).toMatch(/at most 40 characters/);
    expect(moneySchema.safeParse('1'.repeat(41)).error?.issues[0]?.message).toMatch(/at most 40 characters/);
    expect(ok('1' + ' '.repeat(30) + '万')).toBe(1_000_000);
    expect(ok('12' + ' '.repeat(30) + '元')).toBe(1_200);
  });

  it('refuses an amount beyond what a number holds exactly', () => {
    expect(reason('9999999999999999')).toMatch(/too large/);
    expect(reason('9999999999万')).toMatch(/too large|not an amount/);
  });

  it('round-trips every yuan amount through formatting (integer arithmetic only)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 14 }), (n) => {
        expect(ok(formatYuan(n))).toBe(n);
        expect(ok(formatYuan(n).replace(/,/g, ''))).toBe(n);
      }),
    );
  });

  it('round-trips every 万元 amount through formatWan', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 14 }), (n) => expect(ok(formatWan(n))).toBe(n)));
  });
});

describe('fen values', () => {
  it('fenSchema takes whole, non-negative, safe numbers only, naming the rule', () => {
    expect(fenSchema.parse(105_000_000)).toBe(105_000_000);
    expect(fenSchema.safeParse(1.5).error?.issues[0]?.message).toBe('must be a whole number of fen');
    expect(fenSchema.safeParse(-1).error?.issues[0]?.message).toBe('must not be negative');
    expect(fenSchema.safeParse(2 ** 53).success).toBe(false);
    expect(fenSchema.safeParse('100').success).toBe(false);
  });

  it('fen() refuses floats and negatives', () => {
    expect(() => fen(0.1 + 0.2)).toThrow(RangeError);
    expect(() => fen(-1)).toThrow(RangeError);
    expect(fen(7)).toBe(7);
  });

  it('moneySchema reports the parse failure as its message', () => {
    expect(moneySchema.safeParse('1.234').error?.issues[0]?.message).toMatch(/at most 2 decimals/);
    expect(moneySchema.parse('350万')).toBe(350_000_000);
  });

  it('moneySchema refuses a JSON number, saying how to write the amount', () => {
    const m = moneySchema.safeParse(1250).error?.issues[0]?.message;
    expect(m).toMatch(/JSON number is not accepted/);
    expect(m).toContain('"115万"');
    expect(m).toContain('"1,150,000.00元"');
    expect(moneySchema.safeParse(null).error?.issues[0]?.message).toMatch(/must be a string/);
    expect(MONEY_FORMAT.zh).toContain('"115万"');
  });

  it('formats exactly', () => {
    expect(formatYuan(105_000_000)).toBe('1,050,000.00元');
    expect(formatYuan(1)).toBe('0.01元');
    expect(formatWan(105_000_000)).toBe('105万');
    expect(formatWan(1)).toBe('0.000001万');
  });
});

describe('withYuan: details for people', () => {
  it('puts the 元 beside every …Fen amount, nested too, and leaves the rest', () => {
    expect(withYuan({ askedFen: 18_900_000, code: 'X', n: 3, rows: [{ paidFen: 1 }], capFen: 1.5 })).toEqual({
      asked: '189,000.00元',
      askedFen: 18_900_000,
      code: 'X',
      n: 3,
      rows: [{ paid: '0.01元', paidFen: 1 }],
      capFen: 1.5,
    });
  });
  it('never overwrites a field already there', () => expect(withYuan({ asked: 'kept', askedFen: 5 })).toEqual({ asked: 'kept', askedFen: 5 }));
});
