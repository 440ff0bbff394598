import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type PrismMock, startPrismMock } from "../../mocks/prism/start-prism-mock.js";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { runConformance } from "../../src/conform/run-conformance.js";
import { sdsKit } from "../support/cli-process.js";

const conform = (...args: string[]) =>
  promisify(execFile)(process.execPath, [sdsKit, "conform", ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

const scratch = mkdtempSync(join(tmpdir(), "sds-conform-"));
let simulator: RunningSimulator;
let simulatorUrl: string;
let mock: PrismMock;
beforeAll(async () => {
  // The simulator over HTTP, with quick provisioning and deletion; the CLI runs as its own process.
  [simulator, mock] = await Promise.all([
    startSimulator({ strict: true, timing: { provisioningMs: 300, deletionMs: 300 } }),
    startPrismMock(),
  ]);
  simulatorUrl = simulator.url;
}, 60_000);
afterAll(async () => {
  await Promise.all([simulator.close(), mock.close()]);
  rmSync(scratch, { recursive: true, force: true });
});

describe("sds-kit conform", () => {
  // Below its level a check is skipped: four of the service group at documented, one at observed.
  test.each([
    ["documented", 20, 5],
    ["observed", 23, 2],
    ["kit", 24, 1],
  ] as const)(
    "the simulator over HTTP passes at the %s level",
    async (level, passed, skipped) => {
      const result = await conform("--base-url", `${simulatorUrl}/beta`, "--level", level);
      expect(result.code, result.stdout).toBe(0);
      const lines = result.stdout.trim().split("\n");
      expect(lines[0]).toBe(`sds-kit conform against ${simulatorUrl}/beta, at the ${level} level`);
      expect(lines.filter((line) => line.startsWith("✓ "))).toHaveLength(passed);
      // A skip's duration is however long deciding to skip took: not part of what is checked.
      expect(lines.map((line) => line.replace(/ \(\d+ ms\)$/, ""))).toContain(
        "- errors › a 429 carries Retry-After and Graph's error envelope",
      );
      expect(result.stderr).toBe(`conform: ${passed} passed, 0 failed, ${skipped} skipped\n`);
    },
    60_000,
  );

  test("--format junit and --format json, to a file", async () => {
    const junit = join(scratch, "conform.xml");
    expect(
      (await conform("--base-url", simulatorUrl, "--only", "read", "--format", "junit", "--out", junit)).code,
    ).toBe(0);
    expect(readFileSync(junit, "utf8")).toMatch(/<testsuite name="read" tests="4" failures="0">/);
    const json = await conform("--base-url", simulatorUrl, "--only", "errors", "--format", "json");
    const report = JSON.parse(json.stdout) as { level: string; results: { status: string }[] };
    expect([report.level, report.results.map((r) => r.status)]).toEqual([
      "documented",
      ["passed", "passed", "skipped"],
    ]);
  }, 60_000);

  test("--token-command gives the token; a command that fails is a one-line usage error", async () => {
    const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"] });
    const passes = await conform("--base-url", simulatorUrl, "--only", "errors", "--token-command", `echo ${token}`);
    expect(passes.code).toBe(0);
    const fails = await conform("--base-url", simulatorUrl, "--token-command", "echo no credential >&2; exit 3");
    expect([fails.code, fails.stderr]).toEqual([2, "sds-kit conform: --token-command failed: no credential\n"]);
  }, 60_000);

  test("a server that cannot be reached is one line and exit 1", async () => {
    // A port that was free a moment ago and that nothing listens on now.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const result = await conform("--base-url", `http://127.0.0.1:${closed}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^sds-kit conform: cannot reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  }, 60_000);

  test.each([
    [[], "--base-url is required"],
    [["--base-url", "localhost:4011"], "'localhost:4011' is not an http(s) URL"],
    [
      ["--base-url", "http://127.0.0.1:1", "--level", "strict"],
      "--level must be documented, observed or kit, got 'strict'",
    ],
    [
      ["--base-url", "http://127.0.0.1:1", "--only", "writes"],
      "--only takes create, provisioning, read, service, csv, delete, errors, got 'writes'",
    ],
    [
      ["--base-url", "http://127.0.0.1:1", "--timeout", "0"],
      "--timeout must be a number of seconds from 1 to 3600, got '0'",
    ],
    [
      ["--base-url", "http://127.0.0.1:1", "--token", "t", "--token-command", "echo t"],
      "give --token or --token-command, not both",
    ],
  ])("%j is a one-line usage error, exit 2", async (args, message) => {
    expect(await conform(...args)).toMatchObject({ code: 2, stderr: `sds-kit conform: ${message}\n` });
  });
});

describe("runConformance against the Prism mock", () => {
  test("documented level: what a stateless mock can satisfy passes; the rest is skipped, saying why", async () => {
    const report = await runConformance({ baseUrl: mock.url, level: "documented", timeoutMs: 10_000 });
    expect(report.failed, JSON.stringify(report.results.filter((r) => r.status === "failed"))).toBe(0);
    const skipped = report.results.filter((r) => r.status === "skipped");
    expect(skipped.map((r) => `${r.group}: ${r.name}`)).toEqual([
      "provisioning: polling the profile settles in provisioned or provisioningFailed within the timeout",
      "read: get answers the profile that was created",
      "service: a create in the Microsoft.Education.DataSync namespace is refused, as the service refused it",
      "service: status with $select answers only the property selected",
      "service: a path the API does not have is Graph's 400 naming the segment",
      "service: path segments in another letter case reach their operation",
      "csv: the six CSV files upload through the URL with the Azure Storage SDK",
      "delete: delete answers 202, then the profile goes away or reports deleting while it does",
      "errors: an unknown id answers 404",
      "errors: a 429 carries Retry-After and Graph's error envelope",
    ]);
    for (const result of skipped.filter((r) => r.group !== "service").slice(0, 5))
      expect(result.reason).toMatch(
        /^the server keeps no state: GET \/education\/synchronizationProfiles\/[0-9a-f-]+ answered 200 \{"displayName":"Test Profile"\}, not the profile created as "sds-kit conform [0-9a-f]{8}"$/,
      );
    expect(report.passed).toBe(15);
  }, 60_000);

  test("observed level: the façade answers the service's namespace, $select and unknown segment", async () => {
    const report = await runConformance({
      baseUrl: mock.url,
      level: "observed",
      timeoutMs: 10_000,
      only: ["service"],
    });
    expect(report.results.map((r) => [r.name, r.status])).toEqual([
      ["a create in the Microsoft.Education.DataSync namespace is refused, as the service refused it", "passed"],
      ["status with $select answers only the property selected", "passed"],
      ["query options are taken without their $, as on Graph's beta endpoint", "passed"],
      ["a path the API does not have is Graph's 400 naming the segment", "passed"],
      ["path segments in another letter case reach their operation", "skipped"],
    ]);
  }, 60_000);
});
