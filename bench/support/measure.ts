import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { stopChild } from "../../src/process/child-process.js";

export interface Started {
  url: string;
  child: ChildProcess;
  /** Spawn to the first answer with the expected status, in ms. */
  startMs: number;
}

/**
 * Spawns a server command, reads its URL from the first stdout line matching `urlPattern`, then
 * sends `probe` until it answers with `expectStatus`; the clock runs from spawn to that answer.
 */
export async function spawnAndTime(
  command: string,
  args: string[],
  probe: { path: string; init: RequestInit; expectStatus: number },
  /** Where the server will listen, for servers that print no URL; otherwise read from stdout. */
  knownUrl?: string,
): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
  let url = knownUrl;
  if (!url) {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    for await (const line of lines) {
      url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      if (url) break;
    }
  }
  if (!url) throw new Error(`${command} ${args.join(" ")} exited without printing its URL`);
  // Keep draining stdout so a chatty server never blocks on a full pipe.
  child.stdout?.resume();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} exited before answering ${probe.expectStatus}`);
    const response = await fetch(`${url}${probe.path}`, probe.init).catch(() => undefined);
    await response?.arrayBuffer();
    if (response?.status === probe.expectStatus) break;
  }
  return { url, child, startMs: performance.now() - t0 };
}

export async function stop(started: Started): Promise<void> {
  await stopChild(started.child);
}

export interface Load {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export async function load(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  seconds: number,
  connections: number,
): Promise<Load> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    method: init.method as "GET",
    headers: init.headers,
    body: init.body,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
