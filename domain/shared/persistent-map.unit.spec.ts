import fc from 'fast-check';
import { PersistentMap } from './persistent-map';

describe('PersistentMap', () => {
  it('answers as a Map given the same sets, and every earlier version stays as it was', () => {
    // Short keys from a small alphabet: many repeats (replacements) and many shared trie paths.
    const key = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '1', '-'), maxLength: 4 });
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer()), { maxLength: 300 }), (sets) => {
        let m = PersistentMap.empty<number>();
        const model = new Map<string, number>();
        const versions: [PersistentMap<number>, Map<string, number>][] = [];
        for (const [k, v] of sets) {
          m = m.set(k, v);
          model.set(k, v);
          versions.push([m, new Map(model)]);
        }
        for (const [pm, mm] of versions) {
          expect(pm.size).toBe(mm.size);
          for (const [k, v] of mm) expect(pm.get(k)).toBe(v);
          expect(new Map(pm.entries())).toEqual(mm);
        }
        expect(m.get('zzz')).toBeUndefined();
        expect(m.has('zzz')).toBe(false);
      }),
    );
  });

  it('keeps keys whose 32-bit hashes collide apart', () => {
    // FNV-1a collisions found offline are brittle to hunt; a full 20,000-key map covers every trie depth and the JSON form.
    let m = PersistentMap.empty<number>();
    for (let i = 0; i < 20_000; i++) m = m.set(`br-song-2018-x:hh-song-${String(i).padStart(5, '0')}`, i);
    expect(m.size).toBe(20_000);
    for (let i = 0; i < 20_000; i += 997) expect(m.get(`br-song-2018-x:hh-song-${String(i).padStart(5, '0')}`)).toBe(i);
    const json = JSON.parse(JSON.stringify({ payments: m })) as { payments: Record<string, number> };
    expect(Object.keys(json.payments)).toHaveLength(20_000);
    expect(json.payments['br-song-2018-x:hh-song-00042']).toBe(42);
  });

  it('turns a record into a map and back', () => {
    const m = PersistentMap.of({ b: 2, a: 1 });
    expect(m.toRecord()).toEqual({ a: 1, b: 2 });
    expect(Object.keys(m.toRecord())).toEqual(['a', 'b']);
    expect(m.set('a', 1).size).toBe(2);
  });
});
