import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";

// Not a timed test: this proves the install benchmark runs end to end and reports, with the quick
// options bench/README.md gives. Its own figures (sizes, the import ratio) are bench/README.md's.
describe("the install benchmark", () => {
  test("npm run bench:install -- --rounds 2 --parts none: the core's footprint and the import side by side", async () => {
    const { stdout } = await promisify(execFile)(
      "npm",
      ["run", "-s", "bench:install", "--", "--rounds", "2", "--parts", "none"],
      { cwd: packageRoot, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout).toMatch(/^the core \(the README's first line\)\s+\d+\s+[\d.]+\s+[\d.]+$/m);
    expect(stdout).toMatch(/^cold import in a new process, 2 alternating rounds, medians \(Node v[\d.]+\)$/m);
    expect(stdout).toMatch(/^sds-contract-kit\s+\d+\s+\d+\s+\d+$/m);
    expect(stdout).toMatch(/^msw\/node\s+\d+\s+\d+\s+\d+$/m);
    expect(stdout).toMatch(/^kit\/msw: import [\d.]+x, process [\d.]+x, RSS [\d.]+x \(target: import <= 1\.00x\)$/m);
    // --parts none installs no optional part: no row for one, and no advisory scan of everything.
    expect(stdout).not.toMatch(/^\+ /m);
    expect(stdout).not.toMatch(/known-vulnerable/);
  }, 180_000);

  test("a bad option is one line and exit 2", async () => {
    const failed = await promisify(execFile)("npm", ["run", "-s", "bench:install", "--", "--parts", "some"], {
      cwd: packageRoot,
    }).catch((error: { code?: number; stderr?: string }) => error);
    expect("code" in failed ? failed.code : 0).toBe(2);
    expect("stderr" in failed ? failed.stderr?.trim() : "").toBe("bench: --parts takes all or none, got 'some'");
  }, 60_000);
});
