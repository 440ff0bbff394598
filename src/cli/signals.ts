/** Resolves with the first SIGINT or SIGTERM, and stops listening for both. */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** How long a server command lets the requests in flight finish after a stop signal. */
export const drainMs = 10_000;

/**
 * Runs a stop that lets the requests in flight finish, cut short by another SIGINT or SIGTERM: the
 * first signal drains, a second one stops at once (and still exits through the stop, so the
 * children it started are stopped too).
 */
export async function drainUnlessSignalledAgain(stop: (abort: AbortSignal) => Promise<void>): Promise<void> {
  const again = new AbortController();
  const abort = () => again.abort();
  process.on("SIGINT", abort);
  process.on("SIGTERM", abort);
  try {
    await stop(again.signal);
  } finally {
    process.off("SIGINT", abort);
    process.off("SIGTERM", abort);
  }
}
