import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";

const serverMetrics = ["start ms", "create req/s", "create p99 ms", "status req/s", "status p99 ms"];
/** A table row: the metric, each server's figure, then each server's ratio to the baseline. */
const row = (metric: string, servers: number) =>
  new RegExp(`^${metric.replace("/", "\\/")}(\\s+[\\d.]+){${servers}}(\\s+(\\d+\\.\\d+x|n/a)){${servers - 1}}$`, "m");
/** The load benchmark's rows: the metric, then the simulator's figure, the sandbox's and the Prism mock's. */
const loadMetrics = [
  "requests",
  "req/s",
  "p50 ms",
  "p99 ms",
  "create 202",
  "create 403 at cap",
  "status 200",
  "list 200",
  "bad body 400",
  "unknown id 404",
  "RSS start MB",
  "RSS end MB",
  "RSS max MB",
  "RSS 2nd-half growth MB",
  "RSS samples",
];
const loadRuns = (stdout: string, pattern: string) => stdout.match(new RegExp(`^${pattern}$`, "gm"))?.length ?? 0;

// The benchmarks are not timed tests: this only proves that every one runs end to end and reports,
// with the quick options bench/README.md gives (one run of them all, as `npm run bench` runs them).
describe("benchmarks", () => {
  test("npm run bench -- --seconds 0.25 --starts 1 --rounds 1: every benchmark reports its figures", async () => {
    const { stdout } = await promisify(execFile)(
      "npm",
      ["run", "-s", "bench", "--", "--seconds", "0.25", "--starts", "1", "--rounds", "1"],
      { cwd: packageRoot },
    );
    expect(stdout).toMatch(/Prism mock\s+Prism alone\s+bare node:http/);
    expect(stdout).toMatch(/simulator\s+Prism mock\s+parse\+store\s+bare node:http/);
    for (const metric of serverMetrics) {
      expect(stdout).toMatch(row(metric, 3));
      expect(stdout).toMatch(row(metric, 4));
    }
    expect(stdout).toMatch(/^simulator\/Prism mock: start [\d.]+x, create [\d.]+x, status [\d.]+x$/m);
    expect(stdout).toMatch(/^targets: status [\d.]+x bare \(>= 0\.50\), create [\d.]+x parse\+store \(>= 0\.50\)$/m);
    expect(stdout).toMatch(/^createSynchronizationProfile\s+\d+\s+\d+\s+[\d.]+x$/m);
    expect(stdout).toMatch(/^consumer suite \(18 interactions\)\s+\d+ ms$/m);
    expect(stdout).toMatch(/^check-pact per 1,000 interactions\s+\d+ ms$/m);
    expect(stdout).toMatch(/^simulator \(in process, virtual clock\)\s+\d+ ms$/m);
    expect(stdout).toMatch(/^Prism mock \(HTTP\)\s+\d+ ms$/m);
    expect(stdout).toMatch(/^simulator: conform: 23 passed, 0 failed, 2 skipped$/m);
    expect(stdout).toMatch(/^rows\/s\s+\d+\s+\d+$/m);
    expect(stdout).toMatch(/^verifyRoster\/csv-parse: [\d.]+x$/m);
    expect(stdout).toMatch(/^upload\+start\/upload: [\d.]+x$/m);
    // Load and soak, at its default 10 and 50 connections: no answer but the expected ones, no socket error.
    expect(stdout).toMatch(/^load and soak: 0\.25 s per run; each connection repeats create, status, /m);
    expect(stdout).toMatch(/^10 connections\s+simulator\s+PostgreSQL ×2\s+Prism mock$/m);
    expect(stdout).toMatch(/^50 connections\s+simulator\s+PostgreSQL ×2\s+Prism mock$/m);
    expect(loadRuns(stdout, "unexpected answers\\s+0\\s+0\\s+0")).toBe(2);
    expect(loadRuns(stdout, "socket errors\\s+0\\s+0\\s+0")).toBe(2);
    for (const metric of loadMetrics)
      expect(loadRuns(stdout, `${metric}\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+`), metric).toBe(2);
    // Every connection starts its cycle with a create.
    expect(loadRuns(stdout, "create 202\\s+[1-9]\\d*\\s+[1-9]\\d*\\s+[1-9]\\d*")).toBe(2);
    expect(loadRuns(stdout, "simulator RSS growth over the second half: [\\d.]+ MB, bound 32 MB: (within|OVER)")).toBe(
      2,
    );
    expect(loadRuns(stdout, "simulator/Prism mock: throughput [\\d.]+x")).toBe(2);
    expect(loadRuns(stdout, "PostgreSQL ×2/simulator: throughput [\\d.]+x, p99 [\\d.]+x")).toBe(2);
  }, 240_000);
});
