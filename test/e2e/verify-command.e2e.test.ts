import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { writeConsumerPact } from "../../contracts/support/consumer-pacts.js";
import { teamPact } from "../../contracts/support/team-pact.js";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { exitOf, listeningUrl, sdsKit, spawnTracked } from "../support/cli-process.js";

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

  test("--level: a provider that meets a pact but not the kit's decision passes at documented and fails at kit", async () => {
    // One interaction, no provider state: a request without a token gets a Graph error. The stub
    // answers 401 with the envelope but without the challenge only the kit's decision requires.
    const scratch = mkdtempSync(join(tmpdir(), "sds-verify-level-"));
    const pactFile = join(scratch, "no-token.json");
    writeFileSync(
      pactFile,
      JSON.stringify({
        consumer: { name: "level-test" },
        provider: { name: "sds-synchronization-profiles" },
        interactions: [
          {
            description: "a request without a token",
            request: { method: "GET", path: "/beta/education/synchronizationProfiles" },
            response: {
              status: 401,
              headers: { "content-type": "application/json" },
              body: { error: { code: "InvalidAuthenticationToken", message: "m" } },
              matchingRules: { body: { "$.error.message": { matchers: [{ match: "type" }] } } },
            },
          },
        ],
        metadata: { pactSpecification: { version: "3.0.0" } },
      }),
    );
    const stub: Server = createServer((_request, response) => {
      response.writeHead(401, {
        "content-type": "application/json",
        "request-id": "4c8a2d35-6f0e-4a57-b8d3-1e2f3a4b5c6d",
        "client-request-id": "4c8a2d35-6f0e-4a57-b8d3-1e2f3a4b5c6d",
      });
      response.end(
        JSON.stringify({
          error: {
            code: "InvalidAuthenticationToken",
            message: "Access token is empty.",
            innerError: { date: "2026-11-27T09:14:05" },
          },
        }),
      );
    });
    await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
      const documented = await verify("--provider-base-url", url, "--pact", pactFile, "--level", "documented");
      expect(documented.code, documented.stderr).toBe(0);
      expect(documented.stdout).toContain("every response met the spec at the documented level");
      const kit = await verify("--provider-base-url", url, "--pact", pactFile);
      expect(kit.code).toBe(1);
      expect(kit.stderr).toContain(
        "GET /beta/education/synchronizationProfiles -> 401: header /www-authenticate: header 'www-authenticate' is required [kit decisions.md#www-authenticate]",
      );
      expect(kit.stderr.trim().split("\n").at(-1)).toBe(
        "sds-kit verify: the pacts passed, but the provider broke the spec",
      );
    } finally {
      await new Promise<void>((resolve) => stub.close(() => resolve()));
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 60_000);

  test("a consumer team's own pact, against `sds-kit simulate`: no state handlers, one line of setup per interaction", async () => {
    const simulate = spawnTracked(process.execPath, [sdsKit, "simulate", "--port", "0"]);
    const url = await listeningUrl(simulate);
    const scratch = mkdtempSync(join(tmpdir(), "sds-verify-team-"));
    try {
      const pactFile = writeConsumerPact(scratch, "team", 4, teamPact);
      const result = await verify("--provider-base-url", url, "--pact", pactFile);
      expect(result.code, result.stderr).toBe(0);
      const setupLines = result.stdout.split("\n").filter((line) => /^[✓✗] "/.test(line));
      expect(setupLines.map((line) => line.slice(0, 2))).toEqual(teamPact.map(() => "✓ "));
      expect(result.stdout).toContain("sds-kit verify: every interaction of 1 pact file(s) passed");
      const strictStates = await verify("--provider-base-url", url, "--pact", pactFile, "--no-infer-states");
      expect(strictStates.code).toBe(1);
      expect(strictStates.stdout).toContain(
        '✗ "a provisioned profile": interaction "a provisioned profile": the state "profile 5f0c3a4e-9b1d-4c2e-8f7a-6d5e4c3b2a19 has finished provisioning" is not a sentence',
      );
    } finally {
      simulate.kill("SIGTERM");
      await exitOf(simulate);
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 90_000);

  test.each([
    [
      ["--provider-base-url", "http://127.0.0.1:1", "--states", "handlers"],
      "--states must be admin-api or prefer, got 'handlers'",
    ],
    [[], "--provider-base-url is required"],
    [["--provider-base-url", "localhost:4011"], "'localhost:4011' is not an http(s) URL"],
    [
      ["--provider-base-url", "http://127.0.0.1:9", "--pact", "missing.json"],
      "cannot read pact file missing.json: there is no such file",
    ],
  ])("%j is a one-line usage error, exit 2", async (args, message) => {
    const result = await verify(...args);
    expect([result.code, result.stderr]).toEqual([2, `sds-kit verify: ${message}\n`]);
  });
});
