import { once } from "node:events";
import { createServer } from "node:net";
import { describe, expect, test } from "vitest";
import { createTestToken } from "../../src/auth/test-token.js";
import { exitOf, listeningUrl, sdsKit, spawnTracked } from "../support/cli-process.js";
import { readExample } from "../support/spec-source.js";

const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"] });
const create = (url: string) =>
  fetch(`${url}/beta/education/synchronizationProfiles`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(readExample("createSynchronizationProfile.request").value),
  });

describe("sds-kit simulate", () => {
  test("serves with a virtual clock driven through the admin API, and stops on SIGTERM", async () => {
    const child = spawnTracked(process.execPath, [
      sdsKit,
      "simulate",
      "--port",
      "0",
      "--clock",
      "virtual",
      "--seed",
      "5",
      "--provisioning-ms",
      "1000",
    ]);
    const url = await listeningUrl(child);
    const { id } = (await (await create(url)).json()) as { id: string };
    const read = async () =>
      (
        (await (
          await fetch(`${url}/education/synchronizationProfiles/${id}`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as { state: string }
      ).state;
    expect(await read()).toBe("provisioning");
    await fetch(`${url}/_sds/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"ms":1000}',
    });
    expect(await read()).toBe("provisioned");
    child.kill("SIGTERM");
    expect((await exitOf(child)).code).toBe(0);
  }, 30_000);

  test("the same seed gives the same profile ids", async () => {
    const ids = [];
    for (let run = 0; run < 2; run += 1) {
      const child = spawnTracked(process.execPath, [sdsKit, "simulate", "--port", "0", "--seed", "abc"]);
      ids.push(((await (await create(await listeningUrl(child))).json()) as { id: string }).id);
      child.kill("SIGTERM");
      await exitOf(child);
    }
    expect(ids[1]).toBe(ids[0]);
  }, 30_000);

  test.each([
    [["--clock", "lunar"], "--clock must be real or virtual, got 'lunar'"],
    [["--throttle-rate", "2"], "--throttle-rate must be a number from 0 to 1, got '2'"],
    [["--provisioning-ms", "soon"], "--provisioning-ms must be a whole number from 0 to Infinity, got 'soon'"],
    [["--frobnicate"], "Unknown option '--frobnicate'"],
  ])("%j is a one-line usage error, exit 2", async (args, message) => {
    const child = spawnTracked(process.execPath, [sdsKit, "simulate", ...args]);
    const { code, stderr } = await exitOf(child);
    expect([code, stderr]).toEqual([2, `sds-kit simulate: ${message}\n`]);
  });

  test("a port in use is one line and exit 2", async () => {
    const busy = createServer().listen(0, "127.0.0.1");
    await once(busy, "listening");
    const port = String((busy.address() as { port: number }).port);
    try {
      const child = spawnTracked(process.execPath, [sdsKit, "simulate", "--port", port]);
      const { code, stderr } = await exitOf(child);
      expect([code, stderr]).toEqual([
        2,
        `sds-kit simulate: port ${port} on 127.0.0.1 is already in use; choose another with --port, or 0 for any free port\n`,
      ]);
    } finally {
      busy.close();
    }
  });
});
