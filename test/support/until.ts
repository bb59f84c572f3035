import { inspect } from 'node:util';

/** How long `until` keeps asking, and how often. */
export interface UntilOptions {
  /** Gives up after this long: well under the spec's jest timeout, so the failure is this error, not jest's. */
  readonly timeoutMs?: number;
  /** Pause between two reads. */
  readonly intervalMs?: number;
}

/** Not yet: what a probe without `ok` returns while the awaited state has not come. */
type NotYet = undefined | null | false;

const DEFAULTS = { timeoutMs: 60_000, intervalMs: 200 } as const;

const shown = (v: unknown): string => {
  const s = inspect(v, { depth: 4, breakLength: Infinity, maxArrayLength: 20 });
  return s.length > 2_000 ? `${s.slice(0, 2_000)}…` : s;
};

/**
 * Waits for a state the system reaches in its own time (a projector catching up, a workflow's phase):
 * reads until it holds, and fails with what was awaited and the last thing read, so a spec that times
 * out says why. Not a timed assertion: the timeout only bounds the wait.
 *
 * With `ok`, `read`'s value is tested by it and returned once it holds (narrowed, if `ok` is a type
 * guard). Without, the probe's own value decides: `undefined`, `null` or `false` is "not yet",
 * anything else is returned.
 * An error thrown by `read` or `ok` is not "not yet": it ends the wait at once.
 *
 * ### Examples
 * ```ts
 * await until('the round past assessing', () => h.query(exitRoundStatusQuery), { ok: (s) => s.phase !== 'assessing' });
 * const row = await until('the fund in fund_balances', () => db.selectFrom('fund_balances').selectAll().where('fund_id', '=', id).executeTakeFirst());
 * ```
 */
export function until<T, U extends T>(what: string, read: () => T | Promise<T>, options: UntilOptions & { readonly ok: (value: T) => value is U }): Promise<U>;
export function until<T>(what: string, read: () => T | Promise<T>, options: UntilOptions & { readonly ok: (value: T) => boolean }): Promise<T>;
export function until<T>(what: string, probe: () => T | Promise<T>, options?: UntilOptions): Promise<Exclude<T, NotYet>>;
export async function until<T>(what: string, read: () => T | Promise<T>, options: UntilOptions & { readonly ok?: (value: T) => boolean } = {}): Promise<T> {
  const { timeoutMs, intervalMs } = { ...DEFAULTS, ...options };
  const ok = options.ok ?? ((v: T) => v !== undefined && v !== null && v !== false);
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() >= end) throw new Error(`until: ${what} did not hold within ${timeoutMs} ms; last read: ${shown(value)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
