import { defineConfig } from "vitest/config";

// One project per test tier, told apart by file suffix (see STYLE.md).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/**/*.e2e.test.ts", "test/**/*.pact.test.ts", "test/**/*.verify.test.ts"],
        },
      },
      {
        test: {
          name: "contract",
          include: ["contracts/**/*.pact.test.ts"],
          globalSetup: ["contracts/pact-output.ts"],
          // One pact file, written interaction by interaction: the files run one at a time.
          fileParallelism: false,
          env: { PACT_DO_NOT_TRACK: "true" },
        },
      },
      {
        test: {
          name: "verify",
          include: ["contracts/**/*.verify.test.ts"],
          env: { PACT_DO_NOT_TRACK: "true" },
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/**/*.e2e.test.ts"],
        },
      },
      {
        test: {
          name: "types",
          include: [],
          typecheck: { enabled: true, only: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
        },
      },
    ],
  },
});
