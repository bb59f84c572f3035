import type { Name } from '../domain/names';

/** Where progress goes: stderr, so stdout stays the command's result (tables, JSON) for pipes. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(s: string): unknown;
}

export interface ProgressOptions {
  /** What is under way, in both languages: shown "verify 校验", the English first as the other lines of a command start. */
  readonly label: Name;
  /** What is counted ({ en: 'events', zh: '个事件' }): shown "1,000 events 个事件". */
  readonly unit: Name;
  /** Unknown totals show count and rate without a bar or ETA. */
  readonly total?: number;
  readonly stream?: ProgressStream;
  readonly now?: () => number;
  /** Without a terminal: one plain line at most this often (default 5 s). */
  readonly plainEveryMs?: number;
}

export interface Progress {
  /** `n` more done. */
  tick(n?: number): void;
  /** `done` so far (and the total, once it is known). */
  update(done: number, total?: number): void;
  /** Clears the bar off a terminal before the caller prints a line; the next tick draws it again. */
  clear(): void;
  /** The last line: how many, how long, how fast. */
  finish(note?: string): void;
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

const duration = (ms: number): string => {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
};

/**
 * One progress display for long work. On a terminal it redraws one line on stderr (bar, percent,
 * rate, ETA) at most ten times a second; otherwise (a log, CI, a pipe) it writes a plain line now
 * and then, so logs show progress without a line per item.
 */
export const progress = (opts: ProgressOptions): Progress => {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const tty = stream.isTTY === true;
  const every = tty ? 100 : (opts.plainEveryMs ?? 5000);
  const started = now();
  let total = opts.total;
  let done = 0;
  let lastDrawn = started;
  let finished = false;
  const label = `${opts.label.en} ${opts.label.zh}`;
  const unit = `${opts.unit.en} ${opts.unit.zh}`;

  const stats = () => {
    const elapsed = now() - started;
    const rate = elapsed > 0 ? (done * 1000) / elapsed : 0;
    const known = total !== undefined && total > 0;
    const pct = known ? Math.min(100, Math.floor((done * 100) / total!)) : undefined;
    const eta = known && rate > 0 ? ((total! - done) / rate) * 1000 : undefined;
    return { elapsed, rate, pct, eta };
  };

  const draw = (): void => {
    const { rate, pct, eta } = stats();
    const of = total !== undefined ? `${count(done)}/${count(total)}` : count(done);
    const tail = `${of} ${unit}${pct !== undefined ? ` (${pct}%)` : ''}, ${count(rate)}/s${eta !== undefined ? `, ETA ${duration(Math.max(0, eta))}` : ''}`;
    if (!tty) {
      stream.write(`${label}: ${tail}\n`);
      return;
    }
    let bar = '';
    if (pct !== undefined) {
      const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - label.length - tail.length - 6));
      const full = Math.round((pct * width) / 100);
      bar = ` [${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
    }
    stream.write(`\r${label}${bar} ${tail}\x1b[K`);
  };

  const maybeDraw = (): void => {
    const t = now();
    if (t - lastDrawn < every) return;
    lastDrawn = t;
    draw();
  };

  return {
    tick: (n = 1) => {
      done += n;
      maybeDraw();
    },
    update: (d, t) => {
      done = d;
      if (t !== undefined) total = t;
      maybeDraw();
    },
    clear: () => {
      if (!tty) return;
      stream.write('\r\x1b[K');
      lastDrawn = started - every;
    },
    finish: (note) => {
      if (finished) return;
      finished = true;
      const { elapsed, rate } = stats();
      stream.write(`${tty ? '\r' : ''}${label}: ${count(done)} ${unit} in ${duration(elapsed)} (${count(rate)}/s)${note ? `; ${note}` : ''}${tty ? '\x1b[K' : ''}\n`);
    },
  };
};
