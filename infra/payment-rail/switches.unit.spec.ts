import { fen } from '../../domain/shared/money';
import { ConfigError, parseConfig } from '../config';
import { parseInstruction, PaymentRailError } from './rail';
import { parseSwitches, RailSwitches } from './switches';

describe('RailSwitches', () => {
  it('uses armed rules first, in the order armed, each for its count; then standing rules', () => {
    const s = new RailSwitches([{ switch: { kind: 'confirmTwice' } }]);
    s.arm({ kind: 'unavailable' }).arm({ kind: 'timeout' }, { times: 2 });
    expect(['k', 'k', 'k', 'k', 'k'].map((k) => s.take(k)?.kind)).toEqual(['unavailable', 'timeout', 'timeout', 'confirmTwice', 'confirmTwice']);
  });

  it('matches key patterns, a global RegExp included (no lastIndex carried between keys)', () => {
    const s = new RailSwitches([{ switch: { kind: 'fail' }, keys: /:retention$/g, times: 3 }]);
    expect(['a:retention', 'b:advance', 'c:retention', 'd:retention'].map((k) => s.take(k)?.kind)).toEqual(['fail', undefined, 'fail', 'fail']);
    expect(s.take('e:retention')).toBeUndefined();
  });

  it('disarm drops armed rules only', () => {
    const s = new RailSwitches([{ switch: { kind: 'hold' }, times: 1 }]);
    s.arm({ kind: 'fail' }, { times: 5 });
    s.disarm();
    expect(s.describe()).toEqual([{ kind: 'hold', keys: null, remaining: 1 }]);
  });

  it('refuses a count that is not a whole number ≥ 1', () => {
    expect(() => new RailSwitches().arm({ kind: 'fail' }, { times: 0 })).toThrow(RangeError);
  });
});

describe('parseSwitches (TUOPIN_RAIL_SWITCHES)', () => {
  it('reads kind[=CODE][*times][@keyRegex], comma-separated', () => {
    const rules = parseSwitches('timeout*1@^wf-demo-, fail=ACCOUNT_FROZEN@:retention$,confirmTwice,unavailable*3,hold');
    expect(rules.map((r) => ({ ...r, keys: r.keys?.source }))).toEqual([
      { switch: { kind: 'timeout' }, times: 1, keys: '^wf-demo-' },
      { switch: { kind: 'fail', code: 'ACCOUNT_FROZEN' }, keys: ':retention$' },
      { switch: { kind: 'confirmTwice' }, keys: undefined },
      { switch: { kind: 'unavailable' }, times: 3, keys: undefined },
      { switch: { kind: 'hold' }, keys: undefined },
    ]);
    expect(parseSwitches('')).toEqual([]);
    expect(parseSwitches(undefined)).toEqual([]);
  });

  it.each(['explode', 'timeout=X', 'fail*', 'fail@(', 'fail=lower'])('refuses %j with RAIL_CONFIG_INVALID', (text) => {
    expect(() => parseSwitches(text)).toThrow(expect.objectContaining({ code: 'RAIL_CONFIG_INVALID' }));
  });

  it('comes from the configuration, which refuses a bad switch or deadline naming the variable', () => {
    expect(parseConfig({ TUOPIN_RAIL_DEADLINE_MS: '150', TUOPIN_RAIL_SWITCHES: 'hold' })).toMatchObject({
      TUOPIN_RAIL_DEADLINE_MS: 150,
      TUOPIN_RAIL_SWITCHES: [{ switch: { kind: 'hold' } }],
    });
    expect(parseConfig({})).toMatchObject({ TUOPIN_RAIL_DEADLINE_MS: 2000, TUOPIN_RAIL_SWITCHES: [] });
    expect(() => parseConfig({ TUOPIN_RAIL_DEADLINE_MS: '1.5' })).toThrow(ConfigError);
    expect(() => parseConfig({ TUOPIN_RAIL_SWITCHES: 'explode' })).toThrow(/TUOPIN_RAIL_SWITCHES: /);
  });
});

describe('parseInstruction', () => {
  const ok = { idempotencyKey: 'wf-1:pay', fromAccount: 'treasury:fund-song-2016-central-01', toAccount: 'payee:c-1', amount: fen(1), memo: 'prj-song-2016-0001 advance' };

  it('accepts a good instruction as it is', () => {
    expect(parseInstruction(ok)).toEqual(ok);
  });

  it.each([
    [{ amount: 0 }, 'amount'],
    [{ amount: 0.1 }, 'amount'],
    [{ amount: -1 }, 'amount'],
    [{ amount: Number.MAX_SAFE_INTEGER + 1 }, 'amount'],
    [{ amount: Infinity }, 'amount'],
    [{ fromAccount: undefined }, 'fromAccount'],
    [{ toAccount: 'x'.repeat(201) }, 'toAccount'],
    [{ memo: 'line\nbreak' }, 'memo'],
    [{ memo: 'call 13800138000' }, 'memo'],
  ])('refuses %j naming %s', (bad, field) => {
    const e = (() => {
      try {
        parseInstruction({ ...ok, ...bad });
      } catch (x) {
        return x;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(PaymentRailError);
    expect(e).toMatchObject({ code: 'INSTRUCTION_INVALID', field, retryable: false });
  });

  it('refuses what is not an object', () => {
    expect(() => parseInstruction(null)).toThrow(expect.objectContaining({ code: 'INSTRUCTION_INVALID', field: '(instruction)' }));
  });
});
