import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { connect, createServer } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, test } from "vitest";
import { findFreePort } from "../../src/process/child-process.js";
import { exitOf, lineMatching, sdsKit, spawnTracked } from "../support/cli-process.js";
import { anyBearer } from "../support/requests.js";

async function readyLine(child: ChildProcess): Promise<{ url: string; prismPid: number }> {
  const match = await lineMatching(child, /Prism PID (\d+)\) listening on (http:\/\/\S+)/);
  return { prismPid: Number(match[1]), url: match[2] ?? "" };
}

/** `sds-kit` exits 0 on a stop signal, and takes Prism with it. */
async function expectStopped(child: ChildProcess, prismPid: number, signal: NodeJS.Signals): Promise<void> {
  const { code } = await exitOf(child);
  expect(code).toBe(0);
  expect(() => process.kill(prismPid, 0), `Prism ${prismPid} is still running after ${signal}`).toThrow(/ESRCH/);
}

// `npm run mock`, and Ctrl-C to its process group, run as the documentation gives them (documentation.e2e.test.ts).
describe("sds-kit mock", () => {
  test("serves until SIGINT, then exits 0 with nothing left running", async () => {
    const child = spawnTracked(process.execPath, [sdsKit, "mock", "--port", "0"]);
    const { url, prismPid } = await readyLine(child);
    const response = await fetch(`${url}/education/synchronizationProfiles`, { headers: anyBearer });
    expect(response.status).toBe(200);
    child.kill("SIGINT");
    await expectStopped(child, prismPid, "SIGINT");
  }, 30_000);

  test("the port opens only when the mock can answer; SIGTERM stops all of it", async () => {
    const port = await findFreePort();
    const child = spawnTracked(process.execPath, [sdsKit, "mock", "--port", String(port)]);
    const ready = readyLine(child);
    // As a CI script would: poll the port, and send the moment it accepts a connection.
    for (;;) {
      const accepted = await new Promise<boolean>((resolve) => {
        const socket = connect(port, "127.0.0.1");
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      });
      if (accepted) break;
      expect(child.exitCode, "the mock exited before it listened").toBeNull();
      await delay(5);
    }
    const response = await fetch(`http://127.0.0.1:${port}/education/synchronizationProfiles`, {
      headers: anyBearer,
      signal: AbortSignal.timeout(5000),
    });
    expect(response.status).toBe(200);
    const { prismPid } = await ready;
    child.kill("SIGTERM");
    await expectStopped(child, prismPid, "SIGTERM");
  }, 30_000);

  test("a port in use is one line on stderr and exit 2, without Prism's help text", async () => {
    const busy = createServer().listen(0, "127.0.0.1");
    await once(busy, "listening");
    const port = String((busy.address() as { port: number }).port);
    try {
      const child = spawnTracked(process.execPath, [sdsKit, "mock", "--port", port]);
      const { code, stderr } = await exitOf(child);
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
    const child = spawnTracked(process.execPath, [sdsKit, "mock", ...args]);
    const { code, stderr } = await exitOf(child);
    expect(code).toBe(2);
    expect(stderr).toBe(`sds-kit mock: ${message}\n`);
  });
});
