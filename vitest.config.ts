import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The end-to-end files that take longest start first, so a fresh clone (which has no timings
 * cached) keeps both workers busy to the end instead of finishing on one long file alone.
 */
const longestFirst = ["bench.e2e.test.ts", "documentation.e2e.test.ts", "core-install.e2e.test.ts"];
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = longestFirst.findIndex((name) => file.moduleId.endsWith(name));
      return index < 0 ? longestFirst.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

// One project per test tier, told apart by file suffix: *.test.ts, *.e2e.test.ts, *.packed.test.ts, *.browser.test.ts, *.test-d.ts; contracts/*.pact.test.ts and *.verify.test.ts.
export default defineConfig({
  test: {
    // Both cores, whatever the environment: the default keeps one for itself, which halves a 2-core CI machine.
    maxWorkers: 2,
    // The longest end-to-end files first (vitest 5 takes a sequencer for the whole run, not per project).
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          // Files share modules within a worker: the spec, validators and compiled schemas load once.
          isolate: false,
          setupFiles: ["test/support/unit-setup.ts"],
          globalSetup: ["test/support/source-copies.ts"],
          // Tests are bounded by what they do (counts, timeouts of their own); the tiers run twice in
          // CI (Node 24, then 22) on 2 cores, where 5 s trips on load, not on a fault.
          testTimeout: 20_000,
          exclude: [
            "test/**/*.e2e.test.ts",
            "test/**/*.browser.test.ts",
            "test/**/*.packed.test.ts",
            "test/**/*.pact.test.ts",
            "test/**/*.verify.test.ts",
          ],
        },
      },
      {
        test: {
          name: "contract",
          include: ["contracts/**/*.pact.test.ts"],
          globalSetup: ["contracts/pact-output.ts"],
          // One pact file, written interaction by interaction: the files run one at a time.
          fileParallelism: false,
          // Pact's mock server starts per interaction; on a busy 2-core machine that can take seconds.
          testTimeout: 30_000,
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
          globalSetup: ["test/support/source-copies.ts"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "packed",
          include: ["test/**/*.packed.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/**/*.browser.test.ts"],
          // Headless Chromium: installed first if missing (CI runs as root), before any test starts.
          globalSetup: ["test/support/chromium.ts", "test/support/source-copies.ts"],
          testTimeout: 20_000,
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
