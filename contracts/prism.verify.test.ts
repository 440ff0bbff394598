import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type PrismMock, startPrismMock } from "../mocks/prism/start-prism-mock.js";
import { verifyProvider } from "../src/pact/verify-provider.js";
import { writeConsumerPact } from "./support/consumer-pacts.js";
import { profileId, teamPact } from "./support/team-pact.js";

let mock: PrismMock;
beforeAll(async () => {
  mock = await startPrismMock();
}, 60_000);
afterAll(async () => {
  await mock.close();
});

describe("provider verification: the Prism mock", () => {
  test("satisfies every interaction of the kit's pacts, each state choosing its answer with Prefer", async () => {
    const unsatisfiable: string[] = [];
    await expect(
      verifyProvider({
        providerBaseUrl: mock.url,
        states: "prefer",
        report: (line) => line.startsWith("✗") && unsatisfiable.push(line),
      }),
    ).resolves.toBeDefined();
    expect(unsatisfiable).toEqual([]);
  }, 120_000);
});

describe("provider verification: the Prism mock, with a consumer team's own pact", () => {
  test("the same setup steers it with Prefer; what a stateless mock cannot satisfy is named before verification", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "sds-prism-team-"));
    try {
      const report: string[] = [];
      const verdict = await verifyProvider({
        providerBaseUrl: mock.url,
        states: "prefer",
        pactFiles: [writeConsumerPact(scratch, "team", 3, teamPact)],
        report: (line) => report.push(line),
      }).then(
        () => "passed",
        (error: unknown) => String(error),
      );
      // The team pins its own profile id; the mock only ever serves the spec's examples.
      expect(report.filter((line) => line.startsWith("✗"))).toEqual([
        `✗ a stateless mock cannot satisfy "a provisioned profile": the mock serves the spec's 200 example "documented": $.id: "86904b1e-c7d0-4ead-b13a-98f11fc400ee" where the pact expects "${profileId}"`,
      ]);
      expect(verdict).toMatch(/1 pact failure|failed/i);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 120_000);
});
