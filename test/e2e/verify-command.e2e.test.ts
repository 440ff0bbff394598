import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { sdsKit } from "../support/cli-process.js";

let simulator: RunningSimulator;
let withoutAdmin: RunningSimulator;
beforeAll(async () => {
  [simulator, withoutAdmin] = await Promise.all([startSimulator(), startSimulator({ admin: false })]);
});
afterAll(async () => {
  await Promise.all([simulator.close(), withoutAdmin.close()]);
});

const verify = (...args: string[]) =>
  promisify(execFile)(process.execPath, [sdsKit, "verify", ...args], {
    env: { ...process.env, PACT_DO_NOT_TRACK: "true" },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe("sds-kit verify", () => {
  test("verifies the kit's pacts against a provider whose states it can set up", async () => {
    const result = await verify("--provider-base-url", simulator.url);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `sds-kit verify: every interaction of 1 pact file(s) passed against ${simulator.url}`,
    );
  }, 60_000);

  test("states set up elsewhere (--states-url); a provider that fails says so in one line and exits 1", async () => {
    const passes = await verify("--provider-base-url", simulator.url, "--states-url", simulator.url);
    expect(passes.code).toBe(0);
    const fails = await verify("--provider-base-url", withoutAdmin.url);
    expect(fails.code).toBe(1);
    expect(fails.stderr.trim().split("\n").at(-1)).toMatch(/^sds-kit verify: /);
  }, 60_000);

  test.each([
    [[], "--provider-base-url is required"],
    [["--provider-base-url", "localhost:4011"], "'localhost:4011' is not an http(s) URL"],
    [["--provider-base-url", "http://127.0.0.1:9", "--pact", "missing.json"], "no pact file at missing.json"],
  ])("%j is a one-line usage error, exit 2", async (args, message) => {
    const result = await verify(...args);
    expect([result.code, result.stderr]).toEqual([2, `sds-kit verify: ${message}\n`]);
  });
});
