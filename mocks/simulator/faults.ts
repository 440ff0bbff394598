import type { Random } from "./random.js";

/**
 * Injected failures, deterministic for a seed: the same seed and the same sequence of requests give
 * the same faults. Set for the whole simulator (options, CLI flags) or per request with the
 * `X-Sds-Fault` header: `throttle`, `throttle retry-after=5`, `500`, `503`, `504`, `latency=250`,
 * comma-separated.
 */
export interface FaultOptions {
  /** Share of requests answered 429 (0 to 1). */
  throttleRate?: number;
  /** Seconds in the Retry-After of a 429 (may be fractional, as Graph's are). */
  retryAfterSeconds?: number;
  /** After a 429, answer 429 again to every request of that tenant until Retry-After has passed. */
  enforceRetryAfter?: boolean;
  /** Share of requests answered with a server error (0 to 1). */
  errorRate?: number;
  /** Which server errors `errorRate` draws from. */
  errorStatuses?: (500 | 503 | 504)[];
  /** Added to every response, in real milliseconds. */
  latencyMs?: number;
}

export type Fault =
  | { kind: "throttle"; retryAfterSeconds: number }
  | { kind: "serverError"; status: 500 | 503 | 504 }
  | { kind: "none" };

export interface PerRequestFaults {
  forced: Fault;
  latencyMs: number;
}

export class FaultHeaderError extends Error {
  override name = "FaultHeaderError";
}

/** Longest Retry-After a fault may ask for, in seconds (the same bound as `--retry-after`). */
export const maxRetryAfterSeconds = 3600;

/** Whether a number of seconds can be a Retry-After: finite, from 0 to {@link maxRetryAfterSeconds}. */
export const isRetryAfter = (seconds: unknown): seconds is number =>
  typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0 && seconds <= maxRetryAfterSeconds;

/**
 * A number of seconds as the spec's Retry-After (`^[0-9]+(\.[0-9]+)?$`): at most three decimals, never
 * an exponent (`String(1e-7)` is `1e-7`).
 */
export function retryAfterHeader(seconds: number): string {
  const fixed = seconds.toFixed(3);
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

export function parseFaultHeader(header: string | null): PerRequestFaults {
  const result: PerRequestFaults = { forced: { kind: "none" }, latencyMs: 0 };
  if (!header) return result;
  for (const part of header
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name = "", ...params] = part.split(/\s+/);
    const param = (key: string) => params.find((p) => p.startsWith(`${key}=`))?.slice(key.length + 1);
    if (name === "throttle") {
      const text = param("retry-after") ?? "2";
      const seconds = Number(text);
      if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !isRetryAfter(seconds))
        throw new FaultHeaderError(
          `X-Sds-Fault: retry-after takes 0 to ${maxRetryAfterSeconds} seconds, such as 5 or 2.128, got '${text}'`,
        );
      result.forced = { kind: "throttle", retryAfterSeconds: seconds };
    } else if (name === "500" || name === "503" || name === "504") {
      result.forced = { kind: "serverError", status: Number(name) as 500 | 503 | 504 };
    } else if (name.startsWith("latency=")) {
      const ms = Number(name.slice("latency=".length));
      if (!Number.isInteger(ms) || ms < 0 || ms > 60_000)
        throw new FaultHeaderError(`X-Sds-Fault: latency takes 0 to 60000 ms, got '${name}'`);
      result.latencyMs = ms;
    } else {
      throw new FaultHeaderError(
        `X-Sds-Fault: unknown fault '${part}'; use throttle [retry-after=<s>], 500, 503, 504 or latency=<ms>`,
      );
    }
  }
  return result;
}

/** Decides the fault for one request: a forced one wins, then the seeded rates. */
export function drawFault(options: FaultOptions, random: Random, forced: Fault): Fault {
  if (forced.kind !== "none") return forced;
  if (options.throttleRate && random.next() < options.throttleRate) {
    return { kind: "throttle", retryAfterSeconds: options.retryAfterSeconds ?? 2 };
  }
  if (options.errorRate && random.next() < options.errorRate) {
    const statuses: (500 | 503 | 504)[] = options.errorStatuses?.length ? options.errorStatuses : [500, 503, 504];
    return { kind: "serverError", status: statuses[random.int(statuses.length)] ?? 503 };
  }
  return { kind: "none" };
}
