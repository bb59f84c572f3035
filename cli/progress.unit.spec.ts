import { progress, type ProgressStream } from './progress';

/** A stream that keeps what is written, and a clock the test moves by hand. */
const fake = (isTTY: boolean) => {
  const chunks: string[] = [];
  const stream: ProgressStream = { isTTY, columns: 100, write: (s: string) => chunks.push(s) };
  let t = 1_000_000;
  return { chunks, stream, now: () => t, advance: (ms: number) => (t += ms) };
};

describe('progress without a terminal', () => {
  it('writes a plain line at most every interval, with count, percent, rate and ETA, and a last line', () => {
    const f = fake(false);
    const p = progress({ label: { en: 'verify', zh: '校验' }, unit: { en: 'streams', zh: '条流' }, total: 1000, stream: f.stream, now: f.now, plainEveryMs: 5000 });
    f.advance(1000);
    p.update(100);
    expect(f.chunks).toEqual([]);
    f.advance(4000);
    p.update(500);
    f.advance(1000);
    p.tick(100);
    f.advance(4000);
    p.update(1000);
    p.finish('every chain holds');
    expect(f.chunks).toEqual([
      'verify 校验: 500/1,000 streams 条流 (50%), 100/s, ETA 5.0s\n',
      'verify 校验: 1,000/1,000 streams 条流 (100%), 100/s, ETA 0.0s\n',
      'verify 校验: 1,000 streams 条流 in 10s (100/s); every chain holds\n',
    ]);
    expect(f.chunks.join('')).not.toContain('\r');
    expect(f.chunks.join('')).not.toContain('\x1b');
  });

  it('shows count and rate without percent or ETA when the total is unknown', () => {
    const f = fake(false);
    const p = progress({ label: { en: 'import', zh: '导入' }, unit: { en: 'files', zh: '个文件' }, stream: f.stream, now: f.now, plainEveryMs: 1000 });
    f.advance(2000);
    p.tick(4);
    expect(f.chunks).toEqual(['import 导入: 4 files 个文件, 2/s\n']);
  });

  it('finishes once, and clear() writes nothing to a log', () => {
    const f = fake(false);
    const p = progress({ label: { en: 'generate', zh: '生成' }, unit: { en: 'files', zh: '个文件' }, total: 2, stream: f.stream, now: f.now });
    p.tick();
    p.clear();
    p.tick();
    f.advance(500);
    p.finish();
    p.finish();
    expect(f.chunks).toEqual(['generate 生成: 2 files 个文件 in 0.5s (4/s)\n']);
  });
});

describe('progress on a terminal', () => {
  it('redraws one line with a bar (carriage return, erase to end of line) and ends it with a newline', () => {
    const f = fake(true);
    const p = progress({ label: { en: 'rebuild', zh: '重建读模型' }, unit: { en: 'events', zh: '个事件' }, total: 200, stream: f.stream, now: f.now });
    f.advance(1000);
    p.update(50);
    expect(f.chunks).toHaveLength(1);
    expect(f.chunks[0]!.startsWith('\rrebuild 重建读模型 [#')).toBe(true);
    expect(f.chunks[0]!.endsWith('] 50/200 events 个事件 (25%), 50/s, ETA 3.0s\x1b[K')).toBe(true);
    p.update(60);
    expect(f.chunks).toHaveLength(1);
    p.clear();
    p.update(70);
    expect(f.chunks.slice(1)).toEqual(['\r\x1b[K', expect.stringContaining('] 70/200 events 个事件')]);
    p.finish();
    expect(f.chunks.at(-1)).toBe('\rrebuild 重建读模型: 70 events 个事件 in 1.0s (70/s)\x1b[K\n');
  });
});
