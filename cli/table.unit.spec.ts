import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUND_BALANCE_NAMES } from '../domain/names';
import { columnTotals, displayWidth, headerOf, renderTable, writeRows, type Column } from './table';

interface Row {
  readonly id: string;
  readonly name: string;
  readonly budgetFen: number;
  readonly year: number;
}

const COLUMNS: readonly Column<Row>[] = [
  { key: 'id', header: 'id', value: (r) => r.id },
  { key: 'name', header: 'name', value: (r) => r.name },
  { key: 'year', header: 'year', value: (r) => r.year, kind: 'number' },
  { key: 'budgetFen', header: 'budget', value: (r) => r.budgetFen, kind: 'money', total: true },
];

const ROWS: readonly Row[] = [
  { id: 'prj-song-1', name: '车村镇通村道路硬化', budgetFen: 105_000_000, year: 2016 },
  { id: 'prj-song-22', name: 'road', budgetFen: 1, year: 2017 },
  { id: 'prj-song-333', name: '豫财农〔2016〕1号', budgetFen: 99, year: 2018 },
];

describe('displayWidth', () => {
  it('counts a Chinese character, fullwidth punctuation and 〔〕 as two columns, ASCII as one', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('嵩县')).toBe(4);
    expect(displayWidth('豫财农〔2016〕1号')).toBe(2 * 6 + 5);
    expect(displayWidth('（一）')).toBe(6);
    expect(displayWidth('1,050,000.00元')).toBe(12 + 2);
  });

  it('gives combining marks and zero-width joiners no column', () => {
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('a\u200bb')).toBe(2);
  });
});

describe('renderTable', () => {
  const lines = renderTable(ROWS, COLUMNS, { total: '3 project(s)' });

  it('lines every row up to the same display width, whatever Chinese it holds', () => {
    const widths = new Set(lines.filter((l) => !l.startsWith('-')).map((l) => displayWidth(l)));
    // Every line is as wide as the widest row; only trailing blanks of the last column are trimmed, and it is right-aligned.
    expect(widths.size).toBe(1);
  });

  it('starts each column at the same display column in every row (CJK cells padded by their width, not their length)', () => {
    // The year column follows the Chinese names: it must start at one display column on the header and every row.
    const starts = lines
      .slice(0, 5)
      .filter((l) => !l.startsWith('-'))
      .map((l) => displayWidth(l.slice(0, l.search(/ (year|20\d\d) /))));
    expect(new Set(starts).size).toBe(1);
  });

  it('right-aligns money formatted by formatYuan and numbers; left-aligns text', () => {
    expect(lines[0]).toMatch(/^id\s+name\s+year\s+budget$/);
    expect(lines[2]).toMatch(/ 2016\s+1,050,000\.00元$/);
    expect(lines[3]).toMatch(/\s0\.01元$/);
    const ends = lines.filter((l) => /元$/.test(l)).map((l) => displayWidth(l));
    expect(new Set(ends).size).toBe(1);
  });

  it('adds a total row under a rule, summed in integer fen', () => {
    expect(lines[lines.length - 2]).toMatch(/^-+( +-+)+$/);
    expect(lines[lines.length - 1]).toMatch(/^3 project\(s\)\s+1,050,001\.00元$/);
    expect(columnTotals(ROWS, COLUMNS)).toEqual({ budgetFen: 105_000_100 });
  });

  it('sums fen exactly where floating yuan would not (0.1 + 0.2)', () => {
    const rows = [10, 20].map((f, i) => ({ id: `r${i}`, name: '', budgetFen: f, year: 2016 }));
    expect(renderTable(rows, COLUMNS, { total: 'total' }).at(-1)).toMatch(/0\.30元$/);
  });

  it('refuses a total that is not a whole number of fen', () => {
    expect(() => columnTotals([{ ...ROWS[0]!, budgetFen: 1.5 }], COLUMNS)).toThrow(/budgetFen: 1.5 is not a whole number/);
  });

  it('prints a header and rule for no rows', () => {
    expect(renderTable([], COLUMNS)).toEqual(['id  name  year  budget', '--  ----  ----  ------']);
  });
});

describe('writeRows', () => {
  it('writes { items, totals } as JSON for scripts instead of the table, money in fen', () => {
    const lines: string[] = [];
    writeRows((l = '') => lines.push(l), ROWS, COLUMNS, { json: true, total: 'x' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({ items: ROWS, totals: { budgetFen: 105_000_100 } });
  });

  it('writes the table lines otherwise', () => {
    const lines: string[] = [];
    writeRows((l = '') => lines.push(l), ROWS, COLUMNS);
    expect(lines).toEqual(renderTable(ROWS, COLUMNS));
  });
});

describe("the commands' tables are titled in Chinese first", () => {
  it('headerOf: the Chinese name, then the English', () => {
    expect(headerOf(FUND_BALANCE_NAMES.allocatedUnpaidFen)).toBe('已安排未拨付 allocated, unpaid');
  });

  // Every literal column title in cli/commands holds Chinese (or is empty: a key-value table's value column).
  const dir = join(__dirname, 'commands');
  const titles = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
    .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/header: '([^']*)'/g)].map((m) => `${f}: ${m[1]!}`));
  it('finds them (the scan itself works)', () => {
    expect(titles.length).toBeGreaterThan(40);
  });
  it.each(titles.filter((t) => !t.endsWith(': ')))('%s', (t) => {
    expect(t).toMatch(/[\u4e00-\u9fff]/);
  });
});
