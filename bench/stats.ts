/** Small helpers shared by the benches: percentiles over latencies in ms, rates, fixed-width lines. */
export const percentile = (sorted: readonly number[], p: number): number => {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};

export interface Measured {
  label: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  p50?: number;
  p95?: number;
  p99?: number;
}

export const measured = (label: string, events: number, seconds: number, latenciesMs?: number[]): Measured => {
  const m: Measured = { label, events, seconds, eventsPerSecond: events / seconds };
  if (latenciesMs && latenciesMs.length > 0) {
    const s = [...latenciesMs].sort((a, b) => a - b);
    m.p50 = percentile(s, 50);
    m.p95 = percentile(s, 95);
    m.p99 = percentile(s, 99);
  }
  return m;
};

const ms = (v: number | undefined): string => (v === undefined ? '' : `${v.toFixed(2)}ms`.padStart(9));

export const line = (m: Measured): string =>
  `${m.label.padEnd(44)} ${String(m.events).padStart(8)} ev ${m.seconds.toFixed(2).padStart(7)}s ${Math.round(m.eventsPerSecond).toLocaleString('en-US').padStart(9)} ev/s` +
  (m.p50 === undefined ? '' : `  p50 ${ms(m.p50)} p95 ${ms(m.p95)} p99 ${ms(m.p99)}`);

export const ratio = (label: string, a: Measured, b: Measured, target?: number): string => {
  const r = a.eventsPerSecond / b.eventsPerSecond;
  return `${label.padEnd(60)} ${(r * 100).toFixed(0).padStart(5)}%${target === undefined ? '' : `  (target >= ${target * 100}%: ${r >= target ? 'met' : 'NOT met'})`}`;
};

export const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;
