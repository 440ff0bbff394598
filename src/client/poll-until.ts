import { GraphError, WaitTimeoutError } from "./graph-error.js";

export interface WaitOptions {
  /** Give up after this long (default 5 minutes). */
  timeoutMs?: number;
  /** The first wait between polls, growing by half each time up to ten times this (default 1 s). */
  intervalMs?: number;
  /** How many 503/504 answers in a row to retry before giving up (default 3). */
  maxServerErrors?: number;
  signal?: AbortSignal;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The waits' defaults: a profile provisions within minutes; polling starts at a second and backs off. */
export const waitDefaults = { timeoutMs: 300_000, intervalMs: 1000, maxServerErrors: 3 } as const;
/** Each wait between polls is this much longer than the one before ... */
const backoffFactor = 1.5;
/** ... up to this many times the first. */
const backoffCap = 10;

/** A sleep that an abort signal cuts short, rejecting with its reason. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * Reads until `settled`, waiting with backoff between reads; a 429 waits its Retry-After, a 503/504
 * is retried a bounded number of times, anything else is thrown. Past the timeout, a
 * WaitTimeoutError says what was read last (`describe`).
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  settled: (value: T) => boolean,
  describe: (last: T | undefined) => string,
  wait: WaitOptions,
  sleep: Sleep,
): Promise<T> {
  const timeoutMs = wait.timeoutMs ?? waitDefaults.timeoutMs;
  const first = wait.intervalMs ?? waitDefaults.intervalMs;
  const maxServerErrors = wait.maxServerErrors ?? waitDefaults.maxServerErrors;
  let interval = first;
  let waited = 0;
  let serverErrors = 0;
  let last: T | undefined;
  for (;;) {
    wait.signal?.throwIfAborted();
    let pause = interval;
    try {
      last = await read();
      serverErrors = 0;
      if (settled(last)) return last;
      interval = Math.min(interval * backoffFactor, first * backoffCap);
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      if (error.status === 429) {
        pause = error.retryAfter !== undefined ? error.retryAfter * 1000 : interval;
      } else if ((error.status === 503 || error.status === 504) && serverErrors < maxServerErrors) {
        serverErrors += 1;
        pause = error.retryAfter !== undefined ? error.retryAfter * 1000 : interval;
      } else {
        throw error;
      }
    }
    if (waited + pause > timeoutMs)
      throw new WaitTimeoutError(`${describe(last)} after ${waited} ms (timeout ${timeoutMs} ms)`, last);
    await sleep(pause, wait.signal);
    waited += pause;
  }
}
