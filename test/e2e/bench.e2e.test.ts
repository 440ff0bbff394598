import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";

// The benchmarks are not timed tests: this only proves `npm run bench` runs end to end and reports.
describe("npm run bench", () => {
  test("runs every benchmark: each server side by side, a ratio per metric", async () => {
    const { stdout } = await promisify(execFile)(
      "npm",
      ["run", "-s", "bench", "--", "--seconds", "1", "--starts", "1"],
      {
        cwd: packageRoot,
      },
    );
    expect(stdout).toMatch(/Prism mock\s+Prism alone\s+bare node:http/);
    expect(stdout).toMatch(/simulator\s+Prism mock\s+parse\+store\s+bare node:http/);
    expect(stdout).toMatch(/^simulator\/Prism mock: start [\d.]+x, create [\d.]+x, status [\d.]+x$/m);
    expect(stdout).toMatch(/^createSynchronizationProfile\s+\d+\s+\d+\s+[\d.]+x$/m);
    for (const metric of ["start ms", "create req/s", "create p99 ms", "status req/s", "status p99 ms"]) {
      expect(stdout).toMatch(
        new RegExp(`^${metric.replace("/", "\\/")}\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+(\\d+\\.\\d+x|n/a)`, "m"),
      );
    }
  }, 120_000);
});
