import QRCode from 'qrcode';
import { formatYuan } from '../domain/shared/money';
import { escapeMarkup } from './escape-markup';
import type { PublishedRoot } from './receipts';

/**
 * What the village notice prints under a closed round's paid list: the published Merkle root as a
 * line of text and as a QR code, so a villager can copy it or scan it and compare it with what the
 * receipt check (GET /receipts/:code) answers.
 */

/** The line under the list, for people: programme, period, root, households and money. */
export const noticeText = (r: PublishedRoot): string => `${r.programme.zh} ${r.period} 发放名单根 ${r.root}（${r.leafCount}户，${formatYuan(r.paidFen)}）`;

/**
 * What the QR code holds, for phones: ASCII only (the smallest code a cheap phone reads at a
 * notice board), naming the round and the root; `/1` is the tree's version (RECEIPT_ALGORITHM).
 */
export const noticeQrPayload = (r: PublishedRoot): string => `TUOPIN-RECEIPTS/1 round=${r.roundId} root=${r.root}`;

/** The QR code's dark modules, row by row (true = dark), error correction M (15%: a notice board gets rained on). */
export const qrModules = (payload: string): boolean[][] => {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  return Array.from({ length: modules.size }, (_, y) => Array.from({ length: modules.size }, (_, x) => modules.get(y, x) === 1));
};

/** One SVG path for the dark modules, a unit square each, so the path is exact at any scale. */
const modulePath = (m: readonly (readonly boolean[])[]): string => m.flatMap((row, y) => row.flatMap((dark, x) => (dark ? [`M${x} ${y}h1v1h-1z`] : []))).join('');

const QUIET = 4;
const CELL = 6;
const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

/**
 * The notice's panel as one SVG: title, the root as text (two lines of 32 hex digits, readable
 * aloud), the households and money, and the QR code of `noticeQrPayload` with its quiet zone. The
 * code is a group scaled from module units, its transform and path read back by the tests.
 */
export const noticeSvg = (r: PublishedRoot): string => {
  const m = qrModules(noticeQrPayload(r));
  const qrSide = (m.length + 2 * QUIET) * CELL;
  const width = Math.max(qrSide, 560);
  const textTop = qrSide + 16;
  const lines = [
    { size: 18, text: `${r.programme.zh} ${r.period} 发放名单公示` },
    { size: 14, text: '发放名单根（SHA-256 默克尔树）' },
    { size: 14, text: r.root.slice(0, 32), mono: true },
    { size: 14, text: r.root.slice(32), mono: true },
    { size: 14, text: `${r.leafCount}户，合计${formatYuan(r.paidFen)}；凭回执码可查本户是否在名单内` },
  ];
  const height = textTop + lines.length * 24 + 8;
  const text = lines
    .map(
      (l, i) =>
        `<text x="${width / 2}" y="${textTop + 18 + i * 24}" font-size="${l.size}" text-anchor="middle" font-family='${l.mono ? 'monospace' : FONT}'>${escapeMarkup(l.text)}</text>`,
    )
    .join('');
  const qrLeft = (width - qrSide) / 2;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeMarkup(noticeText(r))}">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<g id="qr" transform="translate(${qrLeft + QUIET * CELL} ${QUIET * CELL}) scale(${CELL})"><path fill="#000" shape-rendering="crispEdges" d="${modulePath(m)}"/></g>` +
    text +
    `</svg>`
  );
};
