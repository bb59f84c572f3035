import { formatYuan } from '../domain/shared/money';
import type { Name } from '../domain/names/name';

type Out = (line?: string) => void;

/**
 * A column of a terminal table. `money` values are integer fen, printed with formatYuan and summed
 * exactly; `number` values are right-aligned; text is left-aligned.
 */
export interface Column<T> {
  /** The total's name in `--json` output. */
  readonly key: string;
  readonly header: string;
  readonly value: (row: T) => string | number | boolean | null | undefined;
  readonly kind?: 'text' | 'number' | 'money';
  /** Summed in the total row (money or number columns). */
  readonly total?: boolean;
}

/** A column's title as the tables print one: the Chinese people read, then the English word scripts and readers of English know it by ("事项 event"). */
export const headerOf = (n: Name): string => `${n.zh} ${n.en}`;

export interface TableOptions {
  /** Adds a total row with this label in the first column. */
  readonly total?: string;
}

// East Asian Wide and Fullwidth ranges (UAX #11) that occur in Chinese text, plus the wide emoji blocks.
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];
// Combining marks, zero-width spaces and joiners, variation selectors: they take no column.
const ZERO: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f],
  [0x200b, 0x200f],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
];
const inRanges = (cp: number, ranges: readonly (readonly [number, number])[]): boolean => ranges.some(([a, b]) => cp >= a && cp <= b);

/** Terminal columns a string takes: a Chinese character takes two. */
export const displayWidth = (s: string): number => {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || inRanges(cp, ZERO)) continue;
    w += inRanges(cp, WIDE) ? 2 : 1;
  }
  return w;
};

const pad = (s: string, width: number, align: 'left' | 'right'): string => {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'right' ? fill + s : s + fill;
};

const cellText = <T>(c: Column<T>, v: ReturnType<Column<T>['value']>): string => {
  if (v === null || v === undefined) return '';
  return c.kind === 'money' ? formatYuan(v as number) : String(v);
};

/** Sums of the `total` columns, exact: integer fen, refused if a sum leaves the safe integers. */
export const columnTotals = <T>(rows: readonly T[], columns: readonly Column<T>[]): Record<string, number> => {
  const totals: Record<string, number> = {};
  for (const c of columns.filter((x) => x.total)) {
    let sum = 0;
    for (const r of rows) {
      const v = c.value(r);
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new RangeError(`column ${c.key}: ${String(v)} is not a whole number`);
      sum += v;
    }
    if (!Number.isSafeInteger(sum)) throw new RangeError(`column ${c.key}: the total is too large to hold exactly`);
    totals[c.key] = sum;
  }
  return totals;
};

/** The table as lines: header, rule, rows, and a total row under a second rule when asked. */
export const renderTable = <T>(rows: readonly T[], columns: readonly Column<T>[], opts: TableOptions = {}): string[] => {
  const body = rows.map((r) => columns.map((c) => cellText(c, c.value(r))));
  const lines: string[][] = [columns.map((c) => c.header), ...body];
  let totalRow: string[] | undefined;
  if (opts.total !== undefined) {
    const totals = columnTotals(rows, columns);
    totalRow = columns.map((c, i) => (c.key in totals ? cellText(c, totals[c.key]) : i === 0 ? opts.total! : ''));
    lines.push(totalRow);
  }
  const widths = columns.map((_, i) => Math.max(...lines.map((l) => displayWidth(l[i]!))));
  const align = columns.map((c) => (c.kind === 'money' || c.kind === 'number' ? 'right' : 'left') as 'left' | 'right');
  const line = (cells: readonly string[]) =>
    cells
      .map((s, i) => pad(s, widths[i]!, align[i]!))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.header)), rule, ...body.map(line), ...(totalRow ? [rule, line(totalRow)] : [])];
};

/**
 * Prints rows as a table, or with `json` as `{ items, totals? }` for scripts: the items as the
 * services return them (the API's shape, money in fen), the totals keyed by column.
 */
export const writeRows = <T>(out: Out, rows: readonly T[], columns: readonly Column<T>[], opts: TableOptions & { readonly json?: boolean } = {}): void => {
  if (opts.json) {
    out(JSON.stringify(opts.total !== undefined ? { items: rows, totals: columnTotals(rows, columns) } : { items: rows }, null, 2));
    return;
  }
  for (const l of renderTable(rows, columns, opts)) out(l);
};
