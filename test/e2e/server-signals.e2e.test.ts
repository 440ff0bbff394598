import { describe, expect, test } from "vitest";
import { createTestToken } from "../../src/auth/test-token.js";
import { exitOf, lineMatching, listeningUrl, sdsKit, spawnTracked } from "../support/cli-process.js";
import { expectGraphError } from "../support/graph-error.js";
import { externalAddress, refusedOn } from "../support/network.js";
import { rawConnection } from "../support/raw-http.js";
import { anyBearer } from "../support/requests.js";
import { documentedRequest, profiles } from "../support/simulator-harness.js";

// What a process manager (systemd, Kubernetes, CI's cleanup) does to a server: SIGTERM while a
// request is in flight, or a child of the server dying under it.

const gone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};

/** Timeouts the commands are given, and what a connection that sends nothing is told. */
const timeoutArgs = ["--headers-timeout-ms", "1000", "--body-timeout-ms", "5000"];
async function silentClientTimesOut(url: string) {
  const silent = await rawConnection(url);
  const { response, body } = await silent.response();
  expectGraphError(response, body, {
    status: 408,
    code: "requestTimeout",
    message: /waits 1000 ms for a request's headers and 5000 ms for its body/,
  });
}

/**
 * A request answered after the slow one was sent, on another connection: by then the server has
 * read the slow one's bytes (they reached it first), so it is in flight when the signal comes.
 */
async function barrier(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  await response.body?.cancel();
  expect(response.status).toBe(200);
}

describe("SIGTERM drains", () => {
  test("sds-kit simulate: a slow request in flight is answered in full, then it exits 0", async () => {
    const child = spawnTracked(process.execPath, [
      sdsKit,
      "simulate",
      "--port",
      "0",
      "--clock",
      "virtual",
      ...timeoutArgs,
    ]);
    const url = await listeningUrl(child);
    const exit = exitOf(child);
    await silentClientTimesOut(url);
    const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"] });
    const slow = await rawConnection(url);
    const body = JSON.stringify(documentedRequest());
    // The simulator's latency fault holds the answer for 1.5 s.
    await slow.write(
      `POST ${profiles} HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer ${token}\r\nX-Sds-Fault: latency=1500\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    await barrier(`${url}/_sds/health`);
    child.kill("SIGTERM");
    const { response, body: created } = await slow.response();
    expect(response.status).toBe(202);
    expect((created as { state: string }).state).toBe("provisioning");
    expect(response.headers.get("connection")).toBe("close");
    const { code, stderr } = await exit;
    expect([code, stderr]).toEqual([0, ""]);
  }, 30_000);

  test("sds-kit mock answers a request in flight in full, exits 0 and stops Prism; beyond loopback it warns", async () => {
    const child = spawnTracked(process.execPath, [sdsKit, "mock", "--port", "0", "--host", "0.0.0.0", ...timeoutArgs]);
    const match = await lineMatching(child, /Prism PID (\d+)\) listening on (http:\/\/\S+)/);
    const [prismPid, url] = [Number(match[1]), (match[2] ?? "").replace("0.0.0.0", "127.0.0.1")];
    const exit = exitOf(child);
    await silentClientTimesOut(url);
    const body = JSON.stringify(documentedRequest());
    const slow = await rawConnection(url);
    await slow.write(
      `POST ${profiles} HTTP/1.1\r\nHost: t\r\nAuthorization: ${anyBearer.authorization}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 40)}`,
    );
    await barrier(`${url}${profiles}`, anyBearer);
    child.kill("SIGTERM");
    await slow.write(body.slice(40));
    const { response } = await slow.response();
    expect(response.status).toBe(202);
    expect(response.headers.get("connection")).toBe("close");
    const { code, stderr } = await exit;
    expect([code, stderr]).toEqual([
      0,
      "sds-kit mock: warning: listening on 0.0.0.0, not loopback: anyone who can reach this machine can call the mock, which accepts any bearer token; serve it only on a network you trust\n",
    ]);
    expect(gone(prismPid), `Prism ${prismPid} outlived the mock`).toBe(true);
  }, 60_000);
});

describe("a child that dies", () => {
  test("Prism killed under sds-kit mock: exit 1 with one line naming Prism, not a hang", async () => {
    const child = spawnTracked(process.execPath, [sdsKit, "mock", "--port", "0"]);
    const match = await lineMatching(child, /Prism PID (\d+)\) listening on (http:\/\/\S+)/);
    const [prismPid, url] = [Number(match[1]), new URL(match[2] ?? "")];
    const exit = exitOf(child);
    expect(url.hostname).toBe("127.0.0.1");
    if (externalAddress !== undefined)
      expect(await refusedOn(externalAddress, Number(url.port)), `port ${url.port} on ${externalAddress}`).toBe(true);
    process.kill(prismPid, "SIGKILL");
    const { code, stderr } = await exit;
    expect(code).toBe(1);
    expect(stderr.split("\n")).toEqual([
      expect.stringMatching(
        new RegExp(
          `^sds-kit mock: Prism \\(PID ${prismPid}\\) exited on its own \\(SIGKILL\\); the mock cannot answer without it`,
        ),
      ),
      "",
    ]);
  }, 60_000);
});
