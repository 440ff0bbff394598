import { randomInt } from "node:crypto";
import type fc from "fast-check";

/**
 * The seed and size of every fuzz and model-checking run (test/fuzz). The same seed gives the same
 * requests, the same sequences and the same shrunk counterexample, on any machine.
 *
 * - `SDS_FUZZ_SEED=<integer>` replays a run; `SDS_FUZZ_SEED=random` draws a new seed (shown in the
 *   test's annotations, and by fast-check in any failure). Unset: the fixed seed below, so CI runs
 *   are deterministic.
 * - `SDS_FUZZ_PATH=<path>`, with the seed and `-t "<test name>"`, replays the one counterexample
 *   fast-check printed (`{ seed: …, path: "…" }`) without searching again.
 * - `SDS_FUZZ_SCALE=<number>` multiplies every run count (a longer local session: `SDS_FUZZ_SCALE=10`).
 */
export const defaultFuzzSeed = 20261127;

function readSeed(raw: string | undefined): number {
  if (raw === undefined || raw === "") return defaultFuzzSeed;
  if (raw === "random") return randomInt(2 ** 31 - 1);
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`SDS_FUZZ_SEED must be an integer or "random", got '${raw}'`);
  return seed;
}

function readScale(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 1;
  const scale = Number(raw);
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new Error(`SDS_FUZZ_SCALE must be a positive number, got '${raw}'`);
  return scale;
}

export const fuzzSeed = readSeed(process.env.SDS_FUZZ_SEED);
export const fuzzScale = readScale(process.env.SDS_FUZZ_SCALE);
const replayPath = process.env.SDS_FUZZ_PATH || undefined;

/** fast-check's parameters for a run of `numRuns` (scaled), on the fuzz seed. */
export function fuzzParameters<T>(numRuns: number): fc.Parameters<T> {
  return {
    seed: fuzzSeed,
    numRuns: Math.max(1, Math.round(numRuns * fuzzScale)),
    ...(replayPath === undefined ? {} : { path: replayPath }),
  };
}

/** How the run was seeded, for the test's annotations (the verbose and JUnit reporters show them). */
export function describeSeed(): string {
  const replay = replayPath === undefined ? "" : `, SDS_FUZZ_PATH=${replayPath}`;
  return `SDS_FUZZ_SEED=${fuzzSeed}${fuzzScale === 1 ? "" : `, SDS_FUZZ_SCALE=${fuzzScale}`}${replay}`;
}

/** Counts per category, printed in a stable order. */
export class CategoryCounts {
  private readonly counts = new Map<string, number>();

  add(category: string): void {
    this.counts.set(category, (this.counts.get(category) ?? 0) + 1);
  }

  get total(): number {
    return [...this.counts.values()].reduce((sum, n) => sum + n, 0);
  }

  get(category: string): number {
    return this.counts.get(category) ?? 0;
  }

  categories(): string[] {
    return [...this.counts.keys()].sort();
  }

  toString(): string {
    return `${this.total} in all: ${this.categories()
      .map((category) => `${category} ${this.get(category)}`)
      .join(", ")}`;
  }
}
