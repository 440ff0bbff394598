import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { setTimeout as delay } from "node:timers/promises";

/** A port nobody listens on right now, from the OS (listen on 0, read it, let go). */
export async function findFreePort(host = "127.0.0.1"): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("could not read a free port");
  return address.port;
}

/** Resolves when the child has exited (at once if it already has). */
export async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await once(child, "exit");
}

/**
 * Waits until `url` answers any HTTP response. Probes with backoff, gives up after `timeoutMs`,
 * and fails at once if the child it waits for exits first.
 */
export async function waitForHttp(
  url: string,
  options: { timeoutMs: number; child: ChildProcess; describe: () => string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let pause = 20;
  for (;;) {
    if (options.child.exitCode !== null || options.child.signalCode !== null) {
      throw new Error(
        `exited before it answered (${options.child.exitCode ?? options.child.signalCode}): ${options.describe()}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`did not answer within ${options.timeoutMs} ms: ${options.describe()}`);
    }
    await delay(pause);
    pause = Math.min(pause * 2, 250);
  }
}

/** Stops a child by its PID: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  try {
    await exited(child);
  } finally {
    clearTimeout(timer);
  }
}

/** Keeps the last lines a child wrote, for the error message when it dies. */
export function tail(limit = 40): { push(chunk: Buffer | string): void; text(): string } {
  const lines: string[] = [];
  return {
    push(chunk) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      if (lines.length > limit) lines.splice(0, lines.length - limit);
    },
    text: () => lines.join("\n"),
  };
}
