import { z } from 'zod';

/**
 * Money is an integer number of fen (分). A JavaScript number holds every integer up to 2^53 exactly,
 * about 90 trillion yuan, far above any programme (the whole plan is 641.8亿 = 6.4e12 fen), and it
 * survives JSON, Temporal payloads and jsonb unchanged, which a bigint would not.
 */
export type Fen = number & { readonly __unit: 'fen' };

export const FEN_PER_YUAN = 100;
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

const YUAN = /^(\d{1,16})(?:\.(\d{1,2}))?$/;
const WAN = /^(\d{1,10})(?:\.(\d{1,6}))?$/;

/** No amount a person types is longer; a longer string is refused before any pattern sees it. */
export const MAX_MONEY_TEXT = 40;

/**
 * Parses an amount written the way the plan writes it: "350万" or "350万元" (万元, up to 6 decimals,
 * since 0.000001 万元 is one fen), "12.34元" or "12.34" (yuan, up to 2 decimals). Digits only:
 * no floats, no exponents, no signs, no separators — the string is exact or it is refused.
 * The unit is taken off the end by hand and the patterns left are anchored runs of digits, so
 * parsing is linear in the input (a lazy `(.*?)\s*` before the unit was quadratic).
 */
export const parseMoney = (input: string): MoneyParseResult => {
  if (input.length > MAX_MONEY_TEXT) return { ok: false, reason: `an amount must be at most ${MAX_MONEY_TEXT} characters` };
  const s = input.trim();
  if (s === '') return { ok: false, reason: 'an amount is required' };
  if (s.startsWith('-')) return { ok: false, reason: 'an amount must not be negative' };
  let number = s.endsWith('元') ? s.slice(0, -1) : s;
  const inWan = number.endsWith('万');
  if (inWan) number = number.slice(0, -1);
  number = number.trimEnd();
  if (inWan) {
    const m = WAN.exec(number);
    if (!m) return { ok: false, reason: `"${input}" is not an amount in 万元 (digits with at most 6 decimals)` };
    return checked(BigInt(m[1] ?? '0') * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0')));
  }
  const m = YUAN.exec(number);
  if (!m) return { ok: false, reason: `"${input}" is not an amount in 元 (digits with at most 2 decimals) or 万元 (e.g. "350万")` };
  return checked(BigInt(m[1] ?? '0') * 100n + BigInt((m[2] ?? '').padEnd(2, '0')));
};

const checked = (n: bigint): MoneyParseResult =>
  n > BigInt(Number.MAX_SAFE_INTEGER) ? { ok: false, reason: 'the amount is too large' } : { ok: true, fen: Number(n) as Fen };

/** A zod schema for amounts typed by people: "350万", "12.34元", "12.34". */
export const moneyStringSchema = z
  .string()
  .max(MAX_MONEY_TEXT, { error: `must be at most ${MAX_MONEY_TEXT} characters (an amount such as "350万" or "12.34元")`, abort: true })
  .transform((s, ctx) => {
    const r = parseMoney(s);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.reason });
      return z.NEVER;
    }
    return r.fen;
  });

/** "3,500,000.00元" style, exact: integer arithmetic only. */
export const formatYuan = (amount: Fen | number): string => {
  const neg = amount < 0;
  const abs = Math.abs(amount);
  const yuan = Math.trunc(abs / 100).toLocaleString('en-US');
  const cents = String(abs % 100).padStart(2, '0');
  return `${neg ? '-' : ''}${yuan}.${cents}元`;
};

/** "350.000000万" trimmed to "350万" or "0.123456万". */
export const formatWan = (amount: Fen | number): string => {
  const neg = amount < 0;
  const abs = Math.abs(amount);
  const whole = Math.trunc(abs / FEN_PER_WAN);
  const frac = String(abs % FEN_PER_WAN).padStart(6, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''}万`;
};

export const addFen = (...amounts: Fen[]): Fen => fen(amounts.reduce<number>((a, b) => a + b, 0));
