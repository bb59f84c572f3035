import { z } from 'zod';

/**
 * Money is an integer number of fen (分). A JavaScript number holds every integer up to 2^53 exactly,
 * about 90 trillion yuan, far above any programme (the whole plan is 641.8亿 = 6.4e12 fen), and it
 * survives JSON, Temporal payloads and jsonb unchanged, which a bigint would not.
 */
export type Fen = number & { readonly __unit: 'fen' };

export const FEN_PER_WAN = 1_000_000; // 1 万元 = 10,000 yuan

export const fenSchema = z
  .number({ error: 'must be a number of fen' })
  .int({ error: 'must be a whole number of fen' })
  .nonnegative({ error: 'must not be negative' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'is too large to hold exactly' })
  .transform((n) => n as Fen);

export const fen = (n: number): Fen => {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a non-negative whole number of fen: ${n}`);
  return n as Fen;
};

export type MoneyParseResult = { ok: true; fen: Fen } | { ok: false; reason: string };

/** The integer part: plain digits, or grouped by thousands as finance offices write them ("1,150,000"). */
const INT = String.raw`(\d{1,3}(?:,\d{3})+|\d{1,16})`;
const amountIn = (decimals: number): RegExp => new RegExp(`^${INT}(?:\\.(\\d{1,${decimals}}))?$`);
/** Each unit: the digits it takes, its scale in fen, and the decimals that stay exact. */
const YUAN = { digits: amountIn(2), scale: 100n, places: 2, name: '元' } as const;
const UNITS = {
  万: { digits: amountIn(6), scale: 1_000_000n, places: 6, name: '万元' },
  亿: { digits: amountIn(10), scale: 10_000_000_000n, places: 10, name: '亿元' },
} as const;

/** How an amount is written, for every message that refuses one (zh, en). */
export const MONEY_FORMAT = {
  zh: '金额须写成字符串，以元或万元为单位，如 "115万"、"115万元"、"1,150,000.00元" 或 "1150000"（不写单位即为元），元最多两位小数',
  en: 'write an amount as a string in 元 or 万元, e.g. "115万", "115万元", "1,150,000.00元" or "1150000" (no unit means 元), at most 2 decimals of 元',
} as const;

/** No amount a person types is longer; a longer string is refused before any pattern sees it. */
export const MAX_MONEY_TEXT = 40;

/**
 * Parses an amount written the way officials write it: "350万" or "350万元" (万元, up to 6
 * decimals, since 0.000001 万元 is one fen), "641.8亿元", "1,150,000.00元", "12.34元" or "12.34"
 * (元, up to 2 decimals). Digits, thousands commas, one decimal point and a unit: no floats, no
 * exponents, no signs — the string is exact or it is refused. The unit is taken off the end by
 * hand and the patterns left are anchored runs of digits, so parsing is linear in the input (a
 * lazy `(.*?)\s*` before the unit was quadratic).
 */
export const parseMoney = (input: string): MoneyParseResult => {
  if (input.length > MAX_MONEY_TEXT) return { ok: false, reason: `an amount must be at most ${MAX_MONEY_TEXT} characters` };
  const s = input.trim();
  if (s === '') return { ok: false, reason: 'an amount is required' };
  if (s.startsWith('-')) return { ok: false, reason: 'an amount must not be negative' };
  let number = s.endsWith('元') ? s.slice(0, -1) : s;
  const last = number.slice(-1);
  const unit = last === '万' || last === '亿' ? UNITS[last] : undefined;
  if (unit) number = number.slice(0, -1);
  number = number.trimEnd();
  const u = unit ?? YUAN;
  const m = u.digits.exec(number);
  if (!m) {
    return {
      ok: false,
      reason: unit
        ? `"${input}" is not an amount in ${unit.name} (digits with at most ${unit.places} decimals)`
        : `"${input}" is not an amount in 元 (digits with at most 2 decimals) or 万元 (e.g. "350万")`,
    };
  }
  return checked(digits(m[1]) * u.scale + BigInt((m[2] ?? '').padEnd(u.places, '0')));
};

const digits = (grouped: string | undefined): bigint => BigInt((grouped ?? '0').replaceAll(',', ''));

const checked = (n: bigint): MoneyParseResult => (n > BigInt(Number.MAX_SAFE_INTEGER) ? { ok: false, reason: 'the amount is too large' } : { ok: true, fen: Number(n) as Fen });

/**
 * An amount crossing a boundary (API body, step data, CLI flag): a string as officials write it,
 * parsed exactly to fen. A JSON number is refused, never guessed at: `1250` could be 元 or fen, a
 * 100× trap. Integer fen travel only in fields whose name ends in `Fen`.
 */
export const moneySchema = z
  .string({ error: (iss) => (typeof iss.input === 'number' ? `a JSON number is not accepted for an amount; ${MONEY_FORMAT.en}` : `must be a string; ${MONEY_FORMAT.en}`) })
  .max(MAX_MONEY_TEXT, { error: `must be at most ${MAX_MONEY_TEXT} characters; ${MONEY_FORMAT.en}`, abort: true })
  .transform((s, ctx) => {
    const r = parseMoney(s);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: `${r.reason}; ${MONEY_FORMAT.en}`, params: { rule: 'money' } });
      return z.NEVER;
    }
    return r.fen;
  })
  .meta({ description: MONEY_FORMAT.en, examples: ['115万', '1,150,000.00元', '1150000'] });

/** "3,500,000.00元" style, exact: integer arithmetic only. */
export const formatYuan = (amount: Fen | number): string => {
  const neg = amount < 0;
  const abs = Math.abs(amount);
  // Grouped by hand, not toLocaleString('en-US'): its first call loads ICU's number formats, ~10 ms of every CLI call that prints an amount.
  const yuan = String(Math.trunc(abs / 100)).replace(/\B(?=(\d{3})+$)/g, ',');
  const cents = String(abs % 100).padStart(2, '0');
  return `${neg ? '-' : ''}${yuan}.${cents}元`;
};

/** "350.000000万" trimmed to "350万" or "0.123456万". */
export const formatWan = (amount: Fen | number): string => {
  const neg = amount < 0;
  const abs = Math.abs(amount);
  const whole = Math.trunc(abs / FEN_PER_WAN);
  const frac = String(abs % FEN_PER_WAN)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''}万`;
};

/**
 * Details for people: every `…Fen` amount gets its twin in 元 under the name without `Fen`
 * (`askedFen: 18900000` → `asked: "189,000.00元"`), nested objects and lists included. Machines
 * keep the fen, people read the 元.
 */
export const withYuan = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withYuan);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const base = /^(.+)Fen$/.exec(k)?.[1];
    if (base !== undefined && Number.isSafeInteger(v) && !Object.hasOwn(value, base)) out[base] = formatYuan(v as number);
    out[k] = withYuan(v);
  }
  return out;
};
