import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";

const npm = (...args: string[]) =>
  promisify(execFile)("npm", ["run", "-s", ...args], { cwd: packageRoot }).then(({ stdout }) => stdout);
const quick = ["--", "--seconds", "1", "--starts", "1"];
const serverMetrics = ["start ms", "create req/s", "create p99 ms", "status req/s", "status p99 ms"];

// The benchmarks are not timed tests: these only prove each script runs end to end and reports.
describe("benchmarks", () => {
  test("npm run bench:mock: the mock, Prism alone and the bare server, a ratio per metric", async () => {
    const stdout = await npm("bench:mock", ...quick);
    expect(stdout).toMatch(/Prism mock\s+Prism alone\s+bare node:http/);
    for (const metric of serverMetrics)
      expect(stdout).toMatch(new RegExp(`^${metric.replace("/", "\\/")}(\\s+[\\d.]+){3}\\s+(\\d+\\.\\d+x|n/a)`, "m"));
  }, 120_000);

  test("npm run bench:simulator: the simulator against the mock and the baselines", async () => {
    const stdout = await npm("bench:simulator", ...quick);
    expect(stdout).toMatch(/simulator\s+Prism mock\s+parse\+store\s+bare node:http/);
    expect(stdout).toMatch(/^simulator\/Prism mock: start [\d.]+x, create [\d.]+x, status [\d.]+x$/m);
  }, 120_000);

  test("npm run bench:fixtures: the wrapper against raw json-schema-faker", async () => {
    const stdout = await npm("bench:fixtures", "--", "--seconds", "1");
    expect(stdout).toMatch(/^createSynchronizationProfile\s+\d+\s+\d+\s+[\d.]+x$/m);
  }, 60_000);

  test("npm run bench:contracts: the contract tiers' wall times and check-pact per 1,000 interactions", async () => {
    const stdout = await npm("bench:contracts", "--", "--rounds", "1");
    expect(stdout).toMatch(/^consumer suite \(18 interactions\)\s+\d+ ms$/m);
    expect(stdout).toMatch(/^check-pact per 1,000 interactions\s+\d+ ms$/m);
  }, 120_000);

  test("npm run bench: every benchmark, with the options given", async () => {
    const stdout = await npm("bench", ...quick);
    expect(stdout).toMatch(/Prism mock\s+Prism alone/);
    expect(stdout).toMatch(/simulator\/Prism mock:/);
    expect(stdout).toMatch(/kit\/raw/);
    expect(stdout).toMatch(/check-pact per 1,000 interactions/);
  }, 180_000);
});
