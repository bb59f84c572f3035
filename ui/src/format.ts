/** How officials read money and time: 元 with two decimals, 万元 for large sums; Beijing time. */

const yuanFmt = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const wanFmt = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 6 });

/** 12345678 fen → "123,456.78元" (exact: integer arithmetic before the one division for display). */
export const yuan = (fen: number | null | undefined): string => {
  if (fen === null || fen === undefined) return '—';
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  const whole = Math.floor(a / 100);
  const cents = a % 100;
  return `${sign}${yuanFmt.format(whole).replace(/\.00$/, '')}.${String(cents).padStart(2, '0')}元`;
};

/** 105000000 fen → "105万元": the way the plan writes amounts. */
export const wan = (fen: number | null | undefined): string => {
  if (fen === null || fen === undefined) return '—';
  return `${wanFmt.format(fen / 1_000_000)}万元`;
};

/** Both, as an official checks a figure: "105万元（1,050,000.00元）". */
export const money = (fen: number | null | undefined): string => (fen === null || fen === undefined ? '—' : fen >= 1_000_000 ? `${wan(fen)}（${yuan(fen)}）` : yuan(fen));

const bjFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** An instant in Beijing time: "2026-12-06 14:05:09". */
export const beijing = (iso: string | null | undefined): string => {
  if (!iso) return '—';
  const parts = Object.fromEntries(bjFmt.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
};

/** An amount typed as officials type it, for the API ("63万", "18.9万", "1,200.50元", or 元 when bare). */
export const amountText = (input: string): string => {
  const t = input.trim().replace(/,/g, '');
  return /[万元]$/.test(t) ? t : `${t}元`;
};

/** Fen as the API's money string in 元, exact to the fen: 18900000 → "189000.00元". */
export const fenAsYuanText = (fen: number): string => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}元`;
