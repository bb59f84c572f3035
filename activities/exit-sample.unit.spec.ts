import { drawIndexes } from './exit-activities';

describe('the provincial check sample', () => {
  it('is reproducible from its seed, distinct, within range, and changes with the seed', () => {
    const a = drawIndexes('province-2019-song', 18_000, 200);
    expect(drawIndexes('province-2019-song', 18_000, 200)).toEqual(a);
    expect(new Set(a).size).toBe(200);
    expect(a.every((i) => i >= 0 && i < 18_000)).toBe(true);
    expect(drawIndexes('province-2019-song-b', 18_000, 200)).not.toEqual(a);
  });

  it('draws everyone when asked for more than there are', () => {
    expect([...drawIndexes('s', 5, 10)].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
