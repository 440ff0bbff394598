import { execFile } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { MatchersV3, PactV3 } from "@pact-foundation/pact";
import { GraphError } from "sds-contract-kit";
import { beforeAll, describe, expect, test } from "vitest";
import { createRosterSync, csvProfile, RosterRejectedError } from "../src/roster-sync.js";

const { eachLike, regex, string, uuid } = MatchersV3;
const run = promisify(execFile);

/**
 * Our contract with School Data Sync: our own code, driven against Pact's mock server, writes
 * pacts/roster-sync-sds-synchronization-profiles.json. The provider states are sentences of
 * sds-contract-kit's vocabulary, so `sds-kit verify` can set each one up on its simulator or
 * mock with no state handlers of ours. We match only what our code reads.
 */
const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const pactDir = join(projectRoot, "pacts");
const pactFile = join(pactDir, "roster-sync-sds-synchronization-profiles.json");
const pact = new PactV3({
  consumer: "roster-sync",
  provider: "sds-synchronization-profiles",
  dir: pactDir,
  logLevel: "error",
});

// Pact files are build output: written afresh each run, so a deleted interaction does not linger.
beforeAll(() => rmSync(pactDir, { recursive: true, force: true }));

const profileId = "5f0c3a4e-9b1d-4c2e-8f7a-6d5e4c3b2a19";
const profiles = "/beta/education/synchronizationProfiles";
const token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.";
const bearer = { authorization: regex(/^Bearer .+$/, `Bearer ${token}`) };
const json = { "content-type": regex(/^application\/json/, "application/json") };
const request = csvProfile("Contoso High 2026");

/** Runs the installed `sds-kit` binary; resolves with its exit code and output, whatever the code. */
async function sdsKit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join(projectRoot, "node_modules", ".bin", "sds-kit"), args);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

const rosterSync = (url: string) =>
  createRosterSync({ baseUrl: `${url}/beta`, getToken: () => token, pollIntervalMs: 10, maxThrottleRetries: 0 });

describe("roster-sync -> sds-synchronization-profiles", () => {
  test("creates a profile and reads it back provisioned", async () => {
    pact
      .given("no synchronization profiles exist")
      .uponReceiving("a request to create a CSV profile")
      .withRequest({ method: "POST", path: profiles, headers: { ...bearer, ...json }, body: request })
      .willRespondWith({ status: 202, headers: json, body: { id: uuid(profileId) } })
      .given(`a synchronization profile with id ${profileId} is provisioned`)
      .uponReceiving("a request for a provisioned profile")
      .withRequest({ method: "GET", path: `${profiles}/${profileId}`, headers: bearer })
      .willRespondWith({ status: 200, headers: json, body: { id: uuid(profileId), state: "provisioned" } });

    await pact.executeTest(async (server) => {
      const profile = await rosterSync(server.url).createProfileAndWait(request);
      expect([profile.id, profile.state]).toEqual([profileId, "provisioned"]);
    });
  });

  test("a start whose files have errors is rejected with the messages", async () => {
    pact
      .given(`the sync of synchronization profile ${profileId} found verification errors`)
      .uponReceiving("a request to start a profile whose files have errors")
      .withRequest({ method: "POST", path: `${profiles}/${profileId}/start`, headers: bearer })
      .willRespondWith({
        status: 400,
        headers: json,
        body: {
          value: eachLike({ type: string("Error"), description: string("Required file school.csv is missing") }),
        },
      });

    await pact.executeTest(async (server) => {
      const starting = rosterSync(server.url).startSync(profileId);
      await expect(starting).rejects.toBeInstanceOf(RosterRejectedError);
      await expect(starting).rejects.toMatchObject({ messages: [{ type: "Error" }] });
    });
  });

  test("a throttled create carries Retry-After", async () => {
    pact
      .given("the service is throttling requests")
      .uponReceiving("a request to create a CSV profile while throttled")
      .withRequest({ method: "POST", path: profiles, headers: { ...bearer, ...json }, body: request })
      .willRespondWith({
        status: 429,
        headers: { ...json, "retry-after": regex(/^\d+(\.\d+)?$/, "2") },
        body: { error: { code: "TooManyRequests", message: string("Too many requests.") } },
      });

    await pact.executeTest(async (server) => {
      const creating = rosterSync(server.url).createProfileAndWait(request);
      await expect(creating).rejects.toBeInstanceOf(GraphError);
      await expect(creating).rejects.toMatchObject({ status: 429, code: "TooManyRequests", retryAfter: 2 });
    });
  });

  // Runs after the interactions above have written the pact (tests in a file run in order).
  test("the pact holds to the spec: sds-kit check-pact finds no errors", async () => {
    const written = JSON.parse(readFileSync(pactFile, "utf8")) as { interactions: unknown[] };
    expect(written.interactions).toHaveLength(4);

    const { code, stdout, stderr } = await sdsKit("check-pact", pactFile, "--format", "json");

    const findings = JSON.parse(stdout) as { severity: "error" | "warning"; message: string }[];
    expect(findings.filter((finding) => finding.severity === "error")).toEqual([]);
    expect(code, stderr).toBe(0);
  });
});
