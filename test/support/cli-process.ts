import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach } from "vitest";
import { packageRoot } from "../../src/package-root.js";

export const sdsKit = join(packageRoot, "bin", "sds-kit.js");

const running: { child: ChildProcess; group: boolean }[] = [];

// A failed assertion must not leave a server running: whatever is still alive is killed.
afterEach(() => {
  for (const { child, group } of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      process.kill(group ? -child.pid : child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
});

/** Spawns a command (in the kit's folder unless told), tracked for cleanup; `group` puts it in its own process group. */
export function spawnTracked(
  command: string,
  args: string[],
  group = false,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): ChildProcess {
  const child = spawn(command, args, {
    cwd: options.cwd ?? packageRoot,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: group,
  });
  running.push({ child, group });
  return child;
}

/** Reads stdout until a line matches; fails with what it saw if the process exits or stdout closes first. */
export async function lineMatching(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return (await linesUntil(child, pattern)).match;
}

/** The URL a server command prints once it listens (`... listening on http://127.0.0.1:PORT`). */
export async function listeningUrl(child: ChildProcess): Promise<string> {
  return (await lineMatching(child, /listening on (https?:\/\/\S+)/))[1] ?? "";
}

/** Like {@link lineMatching}, with every line before the match too (what a server printed while starting). */
export async function linesUntil(
  child: ChildProcess,
  pattern: RegExp,
): Promise<{ match: RegExpExecArray; lines: string[] }> {
  const seen: string[] = [];
  const exit = once(child, "exit").then(([code]) => {
    throw new Error(`exited ${code} before printing ${pattern}: ${seen.join("\n")}`);
  });
  const ready = (async () => {
    for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
      seen.push(line);
      const match = pattern.exec(line);
      if (match) return { match, lines: seen };
    }
    throw new Error(`stdout closed before ${pattern}: ${seen.join("\n")}`);
  })();
  return Promise.race([ready, exit]);
}

/** Waits for the process to exit, with its exit code, signal and everything it wrote to stderr. */
export async function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  return { code, signal, stderr };
}
