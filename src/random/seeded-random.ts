/**
 * A small seeded PRNG (mulberry32, a string seed hashed with FNV-1a): the same seed gives the same
 * sequence on every machine and Node version, which Math.random and faker's globals do not.
 */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [low, high]. */
  between(low: number, high: number): number;
  /** One item of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** `count` distinct indexes of [0, n), in the order drawn. */
  sample(n: number, count: number): number[];
}

export function createSeededRandom(seed: number | string): SeededRandom {
  let state = typeof seed === "number" ? seed >>> 0 : fnv1a(seed);
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    between: (low, high) => low + int(high - low + 1),
    pick: <T>(items: readonly T[]): T => {
      const item = items[int(items.length)];
      if (item === undefined) throw new RangeError("pick needs a non-empty list");
      return item;
    },
    sample: (n, count) => {
      const taken = Math.min(count, n);
      if (taken * 2 <= n) {
        // Few of many: draw until distinct, without building the whole index list.
        const drawn = new Set<number>();
        while (drawn.size < taken) drawn.add(int(n));
        return [...drawn];
      }
      // Many of few: a partial Fisher-Yates shuffle over the indexes.
      const indexes = Array.from({ length: n }, (_, index) => index);
      for (let index = 0; index < taken; index += 1) {
        const other = index + int(n - index);
        const swap = indexes[other] ?? other;
        indexes[other] = indexes[index] ?? index;
        indexes[index] = swap;
      }
      return indexes.slice(0, taken);
    },
  };
}

function fnv1a(text: string): number {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}
