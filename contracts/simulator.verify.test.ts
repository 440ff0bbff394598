import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ContractViolation } from "../mocks/simulator/create-simulator.js";
import { type RunningSimulator, startSimulator } from "../mocks/simulator/start-simulator.js";
import { verifyProvider } from "../src/pact/verify-provider.js";

const violations: ContractViolation[] = [];
let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ strict: true, onContractViolation: (v) => violations.push(v) });
});
afterAll(async () => {
  await simulator.close();
});

describe("provider verification: the simulator", () => {
  test("satisfies every interaction of the kit's pacts, with states set up through its admin API", async () => {
    await expect(verifyProvider({ providerBaseUrl: simulator.url })).resolves.toBeDefined();
    expect(violations).toEqual([]);
  }, 120_000);
});
