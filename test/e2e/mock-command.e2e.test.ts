import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { anyBearer } from "../support/requests.js";

const bin = join(packageRoot, "bin", "sds-kit.js");
const started: ChildProcess[] = [];
// A failed assertion must not leave a mock running: whatever is still alive is killed, group and all.
afterEach(() => {
  for (const child of started.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(child.spawnargs[0] === "npm" ? -(child.pid ?? 0) : (child.pid ?? 0), "SIGKILL");
    } catch {
      // Already gone.
    }
  }
});

function start(command: string, args: string[], detached = false): ChildProcess {
  const child = spawn(command, args, { cwd: packageRoot, stdio: ["ignore", "pipe", "pipe"], detached });
  started.push(child);
  return child;
}

/** Reads stdout until the ready line; fails with the output if the process exits first. */
async function readyLine(child: ChildProcess): Promise<{ url: string; prismPid: number }> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const seen: string[] = [];
  const exit = once(child, "exit").then(([code]) => {
    throw new Error(`exited ${code} before it was ready: ${seen.join("\n")}`);
  });
  const ready = (async () => {
    for await (const line of lines) {
      seen.push(line);
      const match = /Prism PID (\d+)\) listening on (http:\/\/\S+)/.exec(line);
      if (match) return { prismPid: Number(match[1]), url: match[2] ?? "" };
    }
    throw new Error(`stdout closed before the ready line: ${seen.join("\n")}`);
  })();
  return Promise.race([ready, exit]);
}

/** `sds-kit` exits 0 on a stop signal; npm, as a wrapper, re-raises the signal it was stopped by. */
async function expectStopped(
  child: ChildProcess,
  prismPid: number,
  signal: NodeJS.Signals,
  viaNpm = false,
): Promise<void> {
  const [code, killedBy] = await once(child, "exit");
  if (viaNpm) expect(code === 0 || killedBy === signal, `npm exited ${code ?? killedBy}`).toBe(true);
  else expect(code).toBe(0);
  expect(() => process.kill(prismPid, 0), `Prism ${prismPid} is still running after ${signal}`).toThrow(/ESRCH/);
}

describe("sds-kit mock", () => {
  test.each([["SIGTERM"], ["SIGINT"]] as const)(
    "serves until %s, then exits 0 with nothing left running",
    async (signal) => {
      const child = start(process.execPath, [bin, "mock", "--port", "0"]);
      const { url, prismPid } = await readyLine(child);
      const response = await fetch(`${url}/education/synchronizationProfiles`, { headers: anyBearer });
      expect(response.status).toBe(200);
      child.kill(signal);
      await expectStopped(child, prismPid, signal);
    },
    30_000,
  );

  test("npm run mock starts the mock; Ctrl-C to its process group stops all of it", async () => {
    const child = start("npm", ["run", "-s", "mock", "--", "--port", "0", "--dynamic", "--seed", "3"], true);
    const { url, prismPid } = await readyLine(child);
    const response = await fetch(`${url}/education/synchronizationProfiles`, { headers: anyBearer });
    expect(response.status).toBe(200);
    process.kill(-(child.pid ?? 0), "SIGINT");
    await expectStopped(child, prismPid, "SIGINT", true);
  }, 60_000);

  test("a port in use is one line on stderr and exit 2, without Prism's help text", async () => {
    const busy = createServer().listen(0, "127.0.0.1");
    await once(busy, "listening");
    const port = String((busy.address() as { port: number }).port);
    try {
      const child = start(process.execPath, [bin, "mock", "--port", port]);
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk));
      const [code] = await once(child, "exit");
      expect(code).toBe(2);
      expect(stderr).toBe(
        `sds-kit mock: port ${port} on 127.0.0.1 is already in use; choose another with --port, or 0 for any free port\n`,
      );
    } finally {
      busy.close();
    }
  }, 30_000);

  test.each([
    [["--port", "http"], "--port must be a whole number from 0 to 65535, got 'http'"],
    [["--seed", "4"], "--seed only applies with --dynamic"],
    [["--verbose"], "Unknown option '--verbose'"],
  ])("%j is a one-line usage error", async (args, message) => {
    const child = start(process.execPath, [bin, "mock", ...args]);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk));
    const [code] = await once(child, "exit");
    expect(code).toBe(2);
    expect(stderr).toBe(`sds-kit mock: ${message}\n`);
  });
});
