/**
 * The simulator's sense of time. Real time by default; `virtual` freezes it at a start instant so
 * that only `advance()` moves it. Lifecycle transitions are due at instants on this clock and are
 * applied when a request looks, so no timers run and a virtual clock is fully deterministic.
 */
export interface SimulatorClock {
  readonly mode: "real" | "virtual";
  now(): number;
  /** Moves the clock forward (both modes: real time gains an offset). */
  advance(ms: number): number;
}

/** The latest instant a Date can hold (ECMA-262 §21.4.1.22): the clock cannot be moved past it. */
export const latestInstant = 8.64e15;

export function createClock(mode: "real" | "virtual" = "real", start = Date.now()): SimulatorClock {
  let offset = 0;
  return {
    mode,
    now: () => (mode === "virtual" ? start : Date.now()) + offset,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`clock.advance takes a non-negative number of ms, got ${ms}`);
      // Past the last Date, every date the simulator writes (innerError.date, timestamps) would be invalid.
      if (this.now() + ms > latestInstant)
        throw new RangeError(`clock.advance: ${ms} ms would move the clock past the last instant a Date can hold`);
      offset += ms;
      return this.now();
    },
  };
}
