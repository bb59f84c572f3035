import { z } from 'zod';

/**
 * How the simulated rail misbehaves, so tests and demos can drive every failure a real rail has.
 * One switch applies to one `submit` call (see README.md for what each does).
 */
export type RailSwitch =
  /** Reject a new instruction with this code; no transfer. */
  | { kind: 'fail'; code?: string; reason?: string }
  /** Record and transfer, then keep the caller waiting past the deadline: RAIL_TIMEOUT. */
  | { kind: 'timeout' }
  /** Deliver the confirmation a second time; the duplicate is recorded and changes nothing. */
  | { kind: 'confirmTwice' }
  /** Throw RAIL_UNAVAILABLE before recording anything. */
  | { kind: 'unavailable' }
  /** Accept a new instruction and leave it pending until `confirmHeld(key)`. */
  | { kind: 'hold' };

export type RailSwitchKind = RailSwitch['kind'];

export interface SwitchRule {
  readonly switch: RailSwitch;
  /** Only submits whose idempotency key matches; every key when absent. */
  readonly keys?: RegExp;
  /** How many matching submits it applies to; without end when absent. */
  readonly times?: number;
}

export const DEFAULT_FAIL_CODE = 'RAIL_REJECTED';

interface LiveRule {
  readonly switch: RailSwitch;
  readonly keys: RegExp | undefined;
  remaining: number;
}

const live = (r: SwitchRule): LiveRule => {
  if (r.times !== undefined && (!Number.isInteger(r.times) || r.times < 1)) throw new RangeError(`switch ${r.switch.kind}: times must be a whole number ≥ 1, got ${r.times}`);
  // A global or sticky RegExp keeps lastIndex between test() calls and would match every other key.
  const keys = r.keys ? new RegExp(r.keys.source, r.keys.flags.replace(/[gy]/g, '')) : undefined;
  return { switch: r.switch, keys, remaining: r.times ?? Infinity };
};

/**
 * Armed rules (`arm`) are used first, in the order armed; then the standing rules given at
 * construction. Each submit takes at most one switch: the first matching rule with uses left.
 */
export class RailSwitches {
  private readonly standing: LiveRule[];
  private armed: LiveRule[] = [];

  constructor(rules: readonly SwitchRule[] = []) {
    this.standing = rules.map(live);
  }

  /** Applies `sw` to the next `times` (default 1) submits whose key matches `keys`. */
  arm(sw: RailSwitch, opts: { times?: number; keys?: RegExp } = {}): this {
    this.armed.push(live({ switch: sw, times: opts.times ?? 1, ...(opts.keys ? { keys: opts.keys } : {}) }));
    return this;
  }

  /** Drops every armed rule (standing rules stay). */
  disarm(): void {
    this.armed = [];
  }

  /** The switch for a submit of `key`, used up by this call; undefined when the rail behaves. */
  take(key: string): RailSwitch | undefined {
    for (const list of [this.armed, this.standing]) {
      const rule = list.find((r) => r.remaining > 0 && (!r.keys || r.keys.test(key)));
      if (!rule) continue;
      rule.remaining -= 1;
      if (list === this.armed) this.armed = this.armed.filter((r) => r.remaining > 0);
      return rule.switch;
    }
    return undefined;
  }

  /** What is still armed, for logs and the CLI. */
  describe(): { kind: RailSwitchKind; keys: string | null; remaining: number | null }[] {
    return [...this.armed, ...this.standing]
      .filter((r) => r.remaining > 0)
      .map((r) => ({ kind: r.switch.kind, keys: r.keys?.source ?? null, remaining: Number.isFinite(r.remaining) ? r.remaining : null }));
  }
}

const ITEM = /^(fail|timeout|confirmTwice|unavailable|hold)(?:=([A-Z][A-Z0-9_]{0,63}))?(?:\*(\d{1,6}))?(?:@(.+))?$/;

const itemSchema = z.string().transform((s, ctx): SwitchRule => {
  const m = ITEM.exec(s.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not kind[=CODE][*times][@keyRegex] with kind fail|timeout|confirmTwice|unavailable|hold` });
    return z.NEVER;
  }
  const [, kind, code, times, pattern] = m;
  if (code && kind !== 'fail') {
    ctx.addIssue({ code: 'custom', message: `"${s}": only fail takes =CODE` });
    return z.NEVER;
  }
  let keys: RegExp | undefined;
  if (pattern) {
    try {
      keys = new RegExp(pattern);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `"${s}": bad key pattern: ${e instanceof Error ? e.message : String(e)}` });
      return z.NEVER;
    }
  }
  const sw: RailSwitch = kind === 'fail' ? { kind: 'fail', ...(code ? { code } : {}) } : { kind: kind as Exclude<RailSwitchKind, 'fail'> };
  return { switch: sw, ...(keys ? { keys } : {}), ...(times ? { times: Number(times) } : {}) };
});

export class RailConfigError extends Error {
  readonly code = 'RAIL_CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'RailConfigError';
  }
}

/**
 * Standing rules from text, for demos: `TUOPIN_RAIL_SWITCHES="timeout*1@^pay-demo,fail=ACCOUNT_FROZEN@:retention$"`.
 * Items are comma-separated (so a key pattern cannot contain a comma); empty means none.
 */
export const parseSwitches = (text: string | undefined): SwitchRule[] => {
  if (!text || text.trim() === '') return [];
  const r = z.array(itemSchema).safeParse(text.split(','));
  if (!r.success) throw new RailConfigError(`TUOPIN_RAIL_SWITCHES: ${r.error.issues.map((i) => i.message).join('; ')}`);
  return r.data;
};
