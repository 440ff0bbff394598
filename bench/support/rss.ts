import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

/** A process's resident set size in bytes (what its `process.memoryUsage().rss` reports). */
export async function residentBytes(pid: number): Promise<number> {
  try {
    // Linux: VmRSS, in kB, read without spawning anything.
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    if (kb !== undefined) return Number(kb) * 1024;
  } catch {
    // No /proc (macOS): ask ps below.
  }
  const { stdout } = await promisify(execFile)("ps", ["-o", "rss=", "-p", String(pid)]);
  const kb = Number(stdout.trim());
  if (!Number.isFinite(kb) || stdout.trim() === "") throw new Error(`could not read the RSS of process ${pid}`);
  return kb * 1024;
}

export interface RssSample {
  /** Since the sampler started, in ms. */
  atMs: number;
  /** The processes' resident set sizes added up, in bytes. */
  bytes: number;
}

export interface RssSummary {
  startMb: number;
  endMb: number;
  maxMb: number;
  /** Growth over the second half: the highest sample after the run's midpoint minus the one at it. */
  secondHalfGrowthMb: number;
  samples: number;
}

/**
 * Samples the summed RSS of `pids` every `intervalMs` until `stop()`, which takes one last sample
 * and returns the figures. The first sample is taken at once, before any load.
 */
export function sampleRss(pids: number[], intervalMs: number): { stop(): Promise<RssSummary> } {
  const samples: RssSample[] = [];
  const t0 = performance.now();
  const take = async () => {
    const sizes = await Promise.all(pids.map(residentBytes));
    samples.push({ atMs: performance.now() - t0, bytes: sizes.reduce((a, b) => a + b, 0) });
  };
  // Samples are chained, never overlapping, so they stay in time order.
  let pending = take();
  const timer = setInterval(() => {
    pending = pending.then(take);
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      await take();
      return summarise(samples);
    },
  };
}

const mb = (bytes: number) => bytes / (1024 * 1024);

export function summarise(samples: RssSample[]): RssSummary {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) throw new Error("no RSS samples");
  const midpoint = last.atMs / 2;
  const secondHalf = samples.filter((s) => s.atMs >= midpoint);
  const atMidpoint = secondHalf[0] ?? last;
  return {
    startMb: mb(first.bytes),
    endMb: mb(last.bytes),
    maxMb: mb(Math.max(...samples.map((s) => s.bytes))),
    secondHalfGrowthMb: mb(Math.max(...secondHalf.map((s) => s.bytes)) - atMidpoint.bytes),
    samples: samples.length,
  };
}
