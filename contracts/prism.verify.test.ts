import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type PrismMock, startPrismMock } from "../mocks/prism/start-prism-mock.js";
import { prismPreferStates } from "../src/pact/provider-states/prism-prefer-states.js";
import { verifyProvider } from "../src/pact/verify-provider.js";

let mock: PrismMock;
beforeAll(async () => {
  mock = await startPrismMock();
}, 60_000);
afterAll(async () => {
  await mock.close();
});

describe("provider verification: the Prism mock", () => {
  test("satisfies every interaction of the kit's pacts, each state choosing its answer with Prefer", async () => {
    const { states, prefer } = prismPreferStates();
    await expect(
      verifyProvider({ providerBaseUrl: mock.url, stateHandlers: states, extraHeaders: prefer }),
    ).resolves.toBeDefined();
  }, 120_000);
});
