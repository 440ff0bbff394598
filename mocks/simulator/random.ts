import { createSeededRandom } from "../../src/random/seeded-random.js";

/** The kit's seeded PRNG (src/random/seeded-random.ts), with the GUIDs the simulator draws its ids from. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** A version-4-shaped GUID from the sequence. */
  uuid(): string;
}

export function createRandom(seed: number | string): Random {
  const { next, int } = createSeededRandom(seed);
  const word = () =>
    Math.floor(next() * 4294967296)
      .toString(16)
      .padStart(8, "0");
  return {
    next,
    int,
    uuid: () => {
      const hex = word() + word() + word() + word();
      const variant = "89ab"[Number.parseInt(hex[16] ?? "0", 16) & 3];
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
  };
}
