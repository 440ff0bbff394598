import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One simulator for the whole run, on a free port; each test file works in a tenant of its own.
    globalSetup: ["test/global-setup.ts"],
    // Pact's mock server and the simulator's blob emulator start on first use: seconds on a busy machine.
    testTimeout: 60_000,
    env: { PACT_DO_NOT_TRACK: "true" },
  },
});
