/**
 * A small seeded generator (mulberry32) and a string-to-seed hash (FNV-1a), so a synthetic registry
 * is the same for the same seed on every machine. Not for anything secret.
 */
export interface Prng {
  /** A uniform 32-bit unsigned integer. */
  readonly nextU32: () => number;
  /** A uniform integer in [min, max], both included. */
  readonly int: (min: number, max: number) => number;
  /** true with probability num/den, exactly in integers. */
  readonly chance: (num: number, den: number) => boolean;
  /** An index drawn with the given integer weights. */
  readonly weighted: (weights: readonly number[]) => number;
}

export const seedFromString = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
};

export const mulberry32 = (seed: number): Prng => {
  let a = seed >>> 0;
  const nextU32 = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  // Rejection sampling keeps every value equally likely (no modulo bias).
  const below = (n: number): number => {
    if (n <= 0 || n > 0x100000000) throw new RangeError(`range ${n} out of bounds`);
    const limit = 0x100000000 - (0x100000000 % n);
    let x = nextU32();
    while (x >= limit) x = nextU32();
    return x % n;
  };
  return {
    nextU32,
    int: (min, max) => min + below(max - min + 1),
    chance: (num, den) => below(den) < num,
    weighted: (weights) => {
      const total = weights.reduce((s, w) => s + w, 0);
      let r = below(total);
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i]!;
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
  };
};
