/** A workbook column's width in Excel characters for the texts it holds: a Chinese character takes two; at least 10, at most `max`. */
export const columnWidth = (texts: readonly string[], max: number): number =>
  Math.min(max, Math.max(10, ...texts.map((s) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0) + 2)));
