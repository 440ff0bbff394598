import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ContractViolation } from "../mocks/simulator/create-simulator.js";
import { type RunningSimulator, startSimulator } from "../mocks/simulator/start-simulator.js";
import { vocabulary } from "../src/pact/provider-states/vocabulary.js";
import { verifyProvider } from "../src/pact/verify-provider.js";
import { type ConsumerInteraction, type PactVersion, writeConsumerPact } from "./support/consumer-pacts.js";
import { missingId, profileId, profiles, teamPact } from "./support/team-pact.js";

// A consumer team's pact (support/team-pact.ts), any specification version, verified with the
// simulator as the provider: nobody writes a state handler.

const scratch = mkdtempSync(join(tmpdir(), "sds-consumer-pacts-"));
const violations: ContractViolation[] = [];
let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ strict: true, onContractViolation: (v) => violations.push(v) });
});
afterAll(async () => {
  await simulator.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Verifies one pact against the simulator; the report's lines, and Pact's verdict. */
async function verify(file: string, options: { inferStates?: boolean } = {}) {
  const report: string[] = [];
  const verdict = await verifyProvider({
    providerBaseUrl: simulator.url,
    pactFiles: [file],
    report: (line) => report.push(line),
    ...options,
  }).then(
    () => "passed",
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  return { report, verdict };
}

describe("a consumer team's own pacts, verified against the simulator with no state handlers", () => {
  test.each([2, 3, 4] as PactVersion[])(
    "specification %i: every interaction passes",
    async (version) => {
      const file = writeConsumerPact(scratch, "team", version, teamPact);
      const { report, verdict } = await verify(file);
      expect(verdict, report.join("\n")).toBe("passed");
      expect(report).toHaveLength(teamPact.length);
      expect(report.filter((line) => line.startsWith("✗"))).toEqual([]);
      expect(violations).toEqual([]);
    },
    60_000,
  );

  test("the report says what each interaction got, and which rule decided it", async () => {
    const file = writeConsumerPact(scratch, "team-report", 3, teamPact);
    const { report } = await verify(file);
    const get = `GET ${profiles}/${profileId} expects 200`;
    expect(report[0]).toBe(
      `✓ "a provisioned profile": profile ${profileId}: provisioned, named "Contoso roster" [exists: ${get}; state: ${get}, the profile's state; displayName: ${get}, the profile's display name]`,
    );
    expect(report[2]).toContain(`profile ${profileId}: provisioned, sync error, 3 errors`);
    expect(report[4]).toBe(`✓ "a profile that does not exist": no profile ${missingId}`);
    const pause = `POST ${profiles}/${profileId}/pause expects 200`;
    expect(report[5]).toContain(`sync inProgress [exists: ${pause}; status: ${pause}, a sync to pause;`);
  }, 60_000);

  test("without inference, states outside the vocabulary fail, each naming itself", async () => {
    const file = writeConsumerPact(scratch, "team-no-infer", 3, teamPact);
    const { report, verdict } = await verify(file, { inferStates: false });
    expect(verdict).not.toBe("passed");
    expect(report.filter((line) => line.startsWith("✗"))).toContainEqual(
      `✗ "a provisioned profile": interaction "a provisioned profile": the state "profile ${profileId} has finished provisioning" is not a sentence of the kit's vocabulary (contracts/README.md#provider-states), and inference is off`,
    );
  }, 60_000);

  test("inference sets the state up; it never bends the answer: a wrong status or enum value still fails", async () => {
    const wrong: ConsumerInteraction[] = [
      {
        description: "a delete the consumer thinks answers 204",
        states: [{ name: `profile ${profileId} exists` }],
        request: { method: "DELETE", path: `${profiles}/${profileId}` },
        response: { status: 204 },
      },
      {
        description: "a status value Microsoft never sends",
        states: [{ name: `the sync of profile ${profileId} is running` }],
        request: { method: "GET", path: `${profiles}/${profileId}/profileStatus` },
        response: { status: 200, body: { status: "Running" } },
      },
    ];
    for (const interaction of wrong) {
      const { report, verdict } = await verify(writeConsumerPact(scratch, "wrong", 3, [interaction]));
      expect(report[0], interaction.description).toMatch(/^✓/);
      expect(verdict, interaction.description).toMatch(/pact failures|failed/i);
    }
  }, 60_000);
});

describe("the provider-state vocabulary, end to end", () => {
  // Each sentence with the request that shows it holds: the consumer's own id, then a generated one.
  type Check = {
    path: string;
    method?: string;
    query?: Record<string, string>;
    status: number;
    body?: unknown;
    rules?: ConsumerInteraction["response"]["rules"];
  };
  const messages = { rules: { "$.value": { match: "type", min: 1 } } } as const;
  const checks: Record<string, Check> = {
    "no synchronization profiles exist": { path: "", status: 200, body: { value: [] } },
    "{count} synchronization profiles exist": {
      path: "",
      query: { $count: "true" },
      status: 200,
      body: { "@odata.count": 3 },
    },
    "a synchronization profile with id {id} exists": { path: "/{id}", status: 200, body: { state: "provisioned" } },
    "a synchronization profile with id {id} is provisioning": {
      path: "/{id}",
      status: 200,
      body: { state: "provisioning" },
    },
    "a synchronization profile with id {id} is provisioned": {
      path: "/{id}",
      status: 200,
      body: { state: "provisioned" },
    },
    "a synchronization profile with id {id} failed provisioning": {
      path: "/{id}",
      status: 200,
      body: { state: "provisioningFailed" },
    },
    "a synchronization profile with id {id} is being deleted": {
      path: "/{id}",
      status: 200,
      body: { state: "deleting" },
    },
    "a synchronization profile with id {id} failed deletion": {
      path: "/{id}",
      status: 200,
      body: { state: "deletionFailed" },
    },
    "a synchronization profile with id {id} has sync status {status}": {
      path: "/{id}/profileStatus",
      status: 200,
      body: { status: "quarantined" },
    },
    "the sync of synchronization profile {id} is paused": {
      path: "/{id}/profileStatus",
      status: 200,
      body: { status: "paused" },
    },
    "the sync of synchronization profile {id} is running": {
      path: "/{id}/profileStatus",
      status: 200,
      body: { status: "inProgress" },
    },
    "the sync of synchronization profile {id} succeeded": {
      path: "/{id}/profileStatus",
      status: 200,
      body: { status: "success" },
    },
    "the sync of synchronization profile {id} failed with {errors} errors": {
      path: "/{id}/profileStatus",
      status: 200,
      body: { status: "error", errorCount: 3 },
    },
    "the sync of synchronization profile {id} found verification errors": {
      path: "/{id}/start",
      method: "POST",
      status: 400,
      body: { value: [{ type: "Error" }] },
      ...messages,
    },
    "a synchronization profile with id {id} has files with verification errors": {
      path: "/{id}/start",
      method: "POST",
      status: 400,
      body: { value: [{ type: "Error" }] },
      ...messages,
    },
    "the sync of synchronization profile {id} is quarantined": {
      path: "/{id}/profileStatus",
      status: 200,
      body: { status: "quarantined", errorCount: 35 },
    },
    "no synchronization profile with id {id} exists": {
      path: "/{id}",
      status: 404,
      body: { error: { code: "itemNotFound" } },
    },
    "the service is throttling requests": { path: "", status: 429, body: { error: { code: "TooManyRequests" } } },
  };

  test("the table covers every sentence of the vocabulary", () => {
    expect(Object.keys(checks).sort()).toEqual(vocabulary.map((entry) => entry.sentence).sort());
  });

  test.each(["chosen", "generated"] as const)(
    "every sentence holds, with %s ids",
    async (ids) => {
      const interactions = vocabulary.map((entry): ConsumerInteraction => {
        const check = checks[entry.sentence];
        if (!check) throw new Error(entry.sentence);
        const name = entry.sentence
          .replace("{id}", ids === "chosen" ? profileId : "${id}")
          .replace("{count}", "3")
          .replace("{errors}", "3")
          .replace("{status}", "${status}");
        const path = `${profiles}${check.path.replace("{id}", profileId)}`;
        return {
          description: `holds: ${entry.sentence}`,
          states: [{ name, params: { status: "quarantined" } }],
          request: {
            method: check.method ?? "GET",
            path,
            ...(check.query === undefined ? {} : { query: check.query }),
            ...(ids === "generated" && check.path.includes("{id}")
              ? { pathFromState: `${profiles}${check.path.replace("{id}", "${id}")}` }
              : {}),
          },
          response: {
            status: check.status,
            ...(check.body === undefined ? {} : { body: check.body }),
            ...(check.rules === undefined ? {} : { rules: check.rules }),
          },
        };
      });
      // The vocabulary alone must carry these: inference is off.
      const { report, verdict } = await verify(writeConsumerPact(scratch, `vocabulary-${ids}`, 4, interactions), {
        inferStates: false,
      });
      expect(verdict, report.join("\n")).toBe("passed");
      if (ids === "generated")
        expect(report.find((line) => line.includes("is provisioning"))).toMatch(/profile \$\{id\}: provisioning/);
    },
    60_000,
  );
});
