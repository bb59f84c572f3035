import fc from 'fast-check';
import { canonicalJson, chainHash, contentDigest, GENESIS_HASH } from './canonical';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined, so key order never changes the bytes', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('refuses what JSON cannot carry exactly, naming the field', () => {
    expect(() => canonicalJson({ a: { b: NaN } }, 'data')).toThrow(expect.objectContaining({ code: 'DATA_NOT_CANONICAL', field: 'data.a.b' }));
    expect(() => canonicalJson({ at: new Date() }, 'data')).toThrow(expect.objectContaining({ field: 'data.at' }));
    expect(() => canonicalJson({ n: 1n }, 'data')).toThrow(expect.objectContaining({ code: 'DATA_NOT_CANONICAL' }));
    expect(() => canonicalJson('a\u0000b')).toThrow(expect.objectContaining({ code: 'DATA_NOT_CANONICAL' }));
  });

  it('refuses a lone UTF-16 surrogate in a value or a key, which jsonb cannot store, naming the field', () => {
    expect(() => canonicalJson({ a: { summary: 'x\ud800' } }, 'data')).toThrow(expect.objectContaining({ code: 'DATA_NOT_CANONICAL', field: 'data.a.summary' }));
    expect(() => canonicalJson(['\udc00'], 'data')).toThrow(expect.objectContaining({ code: 'DATA_NOT_CANONICAL', field: 'data[0]' }));
    expect(() => canonicalJson({ ['k\ud800']: 1 }, 'data')).toThrow(expect.objectContaining({ code: 'DATA_NOT_CANONICAL' }));
    expect(() => canonicalJson({ ['k\u0000']: 1 }, 'data')).toThrow(expect.objectContaining({ code: 'DATA_NOT_CANONICAL' }));
    // A surrogate pair is one well-formed character and passes.
    expect(canonicalJson({ s: '𠀀' })).toBe('{"s":"𠀀"}');
  });

  it('survives a jsonb round trip (parse of the same value gives the same bytes)', () => {
    const v = { x: 1e21, y: 0.1, s: '嵩县 "q"', n: null, arr: [true, false] };
    expect(canonicalJson(JSON.parse(canonicalJson(v)))).toBe(canonicalJson(v));
  });

  it('for any JSON value: the same value back, and the same bytes whatever order its keys were built in', () => {
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversed(x)]),
            )
          : v;
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const out = canonicalJson(v);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(v)));
        expect(canonicalJson(reversed(v))).toBe(out);
      }),
      { numRuns: 500 },
    );
  });
});

describe('chain', () => {
  const content = { streamId: 's-1', eventId: 'e', type: 'T', schemaVersion: 1, data: { a: 1 }, metadata: {}, recordedAt: '2016-01-01T00:00:00.000Z' };
  it('links each hash to the one before', () => {
    const h1 = chainHash(GENESIS_HASH, contentDigest(content));
    const h2 = chainHash(h1, contentDigest({ ...content, eventId: 'f' }));
    expect(h1).toHaveLength(32);
    expect(h2.equals(chainHash(GENESIS_HASH, contentDigest({ ...content, eventId: 'f' })))).toBe(false);
  });
  it('changes when any covered field changes', () => {
    const d = contentDigest(content);
    for (const change of [{ data: { a: 2 } }, { type: 'U' }, { schemaVersion: 2 }, { recordedAt: '2016-01-01T00:00:00.001Z' }, { metadata: { x: 1 } }]) {
      expect(contentDigest({ ...content, ...change }).equals(d)).toBe(false);
    }
  });
});
