import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { createTestToken } from "../../src/auth/test-token.js";
import { createSynchronizationProfilesClient } from "../../src/client/synchronization-profiles-client.js";
import { sdsKit, spawnTracked } from "./cli-process.js";

/** Short steps, so that a test watches a whole lifecycle in seconds. */
export const sandboxTiming = ["--provisioning-ms", "400", "--sync-phase-ms", "300", "--deletion-ms", "300"];

export const sandboxToken = createTestToken({ scopes: ["EduAdministration.ReadWrite"] });

/** One `sds-kit simulate` process of a sandbox: its URL, what it printed, and how to stop it. */
export interface Replica {
  url: string;
  child: ChildProcess;
  /** Every stdout line so far (read as it comes, so a chatty replica never blocks on a full pipe). */
  stdout: string[];
  /** Everything on stderr so far. */
  stderr: () => string;
  /** A typed client for this replica. */
  client: ReturnType<typeof createSynchronizationProfilesClient>;
  /** Sends the signal and waits for the exit: its code and signal. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `sds-kit simulate --store <store>` on a free port and waits for its listening line. The
 * process is tracked: a failed test leaves none behind (test/support/cli-process.ts).
 */
export async function startReplica(store: string, args: readonly string[] = []): Promise<Replica> {
  const child = spawnTracked(process.execPath, [
    sdsKit,
    "simulate",
    "--port",
    "0",
    "--store",
    store,
    ...sandboxTiming,
    ...args,
  ]);
  const stdout: string[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const exited = once(child, "exit");
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      stdout.push(line);
      const listening = /listening on (http:\/\/\S+)/.exec(line);
      if (listening?.[1]) resolve(listening[1]);
    });
    void exited.then(([code]) => reject(new Error(`the replica exited ${code} before it listened: ${stderr}`)));
  });
  return {
    url,
    child,
    stdout,
    stderr: () => stderr,
    client: createSynchronizationProfilesClient({ baseUrl: `${url}/beta`, token: sandboxToken }),
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const [code, by] = (await exited) as [number | null, NodeJS.Signals | null];
      return { code, signal: by };
    },
  };
}
