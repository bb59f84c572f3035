import jsQR from 'jsqr';
import { noticeQrPayload, noticeSvg, noticeText, qrModules } from './receipt-notice';
import type { PublishedRoot } from './receipts';

const ROOT = '3f9c0b1e6a7d2c4f8e5a9b0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6';
const published: PublishedRoot = {
  roundId: 'br-song-2018-secondary-vocational-grant-01',
  programmeId: 'secondary-vocational-grant',
  programme: { zh: '中职国家助学金', en: 'Secondary vocational grant' },
  period: '2018',
  countyId: 'song',
  root: ROOT,
  leafCount: 212,
  paidFen: 42_400_000,
  algorithm: 'tuopin-receipts/1 sha256 leaf=0x00 node=0x01 odd-carried',
  publishedAt: '2018-12-20T08:00:00.000Z',
  streamId: 'benefit-br-song-2018-secondary-vocational-grant-01',
  streamVersion: 9,
};

/** The QR group of the notice read back: its module squares, as the matrix they draw. */
const drawnModules = (svg: string): boolean[][] => {
  const d = /<g id="qr"[^>]*><path[^>]* d="([^"]*)"/.exec(svg)?.[1];
  if (d === undefined) throw new Error('no QR path in the notice');
  const squares = [...d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
  const size = qrModules(noticeQrPayload(published)).length;
  const m = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const [x, y] of squares) m[y]![x] = true;
  return m;
};

/** Pixels as a camera would see the printed code: 4 px a module, white quiet zone of 4 modules. */
const raster = (m: readonly (readonly boolean[])[], cell = 4, quiet = 4): { data: Uint8ClampedArray; side: number } => {
  const side = (m.length + 2 * quiet) * cell;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let py = 0; py < side; py++)
    for (let px = 0; px < side; px++) {
      const x = Math.floor(px / cell) - quiet;
      const y = Math.floor(py / cell) - quiet;
      if (m[y]?.[x]) data.fill(0, (py * side + px) * 4, (py * side + px) * 4 + 3);
    }
  return { data, side };
};

describe('the village notice of a closed round', () => {
  const svg = noticeSvg(published);

  it('holds a QR code that a decoder reads back as the round and its root', () => {
    const { data, side } = raster(drawnModules(svg));
    const read = jsQR(data, side, side);
    expect(read?.data).toBe(`TUOPIN-RECEIPTS/1 round=br-song-2018-secondary-vocational-grant-01 root=${ROOT}`);
  });

  it('draws exactly the modules the encoder gives for the payload', () => {
    expect(drawnModules(svg)).toEqual(qrModules(noticeQrPayload(published)));
  });

  it('prints the root as text, in two halves of 32 hex digits, with the households and money', () => {
    expect(svg).toContain(`>${ROOT.slice(0, 32)}</text>`);
    expect(svg).toContain(`>${ROOT.slice(32)}</text>`);
    expect(svg).toContain('212户，合计424,000.00元');
    expect(noticeText(published)).toBe(`中职国家助学金 2018 发放名单根 ${ROOT}（212户，424,000.00元）`);
  });

  it('escapes a name that carries markup', () => {
    const odd = noticeSvg({ ...published, programme: { zh: '助学金<script>', en: 'x' } });
    expect(odd).not.toContain('<script>');
    expect(odd).toContain('助学金&lt;script&gt;');
  });

  it('a different root gives a different code', () => {
    const other = { ...published, root: ROOT.replace(/^3/, '4') };
    expect(qrModules(noticeQrPayload(other))).not.toEqual(qrModules(noticeQrPayload(published)));
  });
});
