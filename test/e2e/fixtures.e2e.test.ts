import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { generateFixtures, generateInvalidFixtures } from "../../src/fixtures/generate-fixtures.js";
import { sdsKit } from "../support/cli-process.js";
import { expectGraphError } from "../support/graph-error.js";
import { simClient } from "../support/sim-client.js";

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), "sds-fixtures-"));
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ clock: "virtual", strict: true, limits: { maxProfilesPerTenant: 5000 } });
});
afterAll(async () => {
  await sim.close();
  rmSync(scratch, { recursive: true, force: true });
});

const requests = [
  ["createSynchronizationProfile", "POST", "/education/synchronizationProfiles"],
  ["replaceSynchronizationProfile", "PUT", "/education/synchronizationProfiles"],
  ["updateSynchronizationProfile", "PATCH", "/education/synchronizationProfiles/86904b1e-c7d0-4ead-b13a-98f11fc400ee"],
] as const;

describe("fixtures against the simulator, over HTTP", () => {
  test.each(requests.flatMap(([name, method, path]) => [1, 2, 3].map((seed) => [name, seed, method, path] as const)))(
    "every invalid %s fixture (seed %i) gets exactly the answer it is labelled with",
    async (name, seed, method, path) => {
      const call = simClient(sim.url);
      for (const fixture of generateInvalidFixtures(name, { seed })) {
        const answer = await call(method, path, { body: fixture.payload });
        const response = new Response(null, { status: answer.status, headers: answer.headers });
        expectGraphError(response, answer.body, {
          status: fixture.expected?.status ?? 0,
          code: fixture.expected?.code ?? "",
        });
        expect(answer.body.error.details, fixture.description).toEqual([
          expect.objectContaining({ code: fixture.rule, target: `body${fixture.path}` }),
        ]);
      }
    },
  );

  test("valid create fixtures are accepted: 202 and the profile", async () => {
    const call = simClient(sim.url);
    for (const fixture of generateFixtures("createSynchronizationProfile", { seed: 4, count: 100 })) {
      const answer = await call("POST", "/education/synchronizationProfiles", { body: fixture });
      expect(answer.status).toBe(202);
      expect(answer.body.displayName).toBe((fixture as { displayName: string }).displayName);
    }
  });
});

describe("sds-kit fixtures", () => {
  const cli = (...args: string[]) =>
    run(process.execPath, [sdsKit, "fixtures", ...args]).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  test("the same seed gives the same bytes, in two processes", async () => {
    const first = await cli("createSynchronizationProfile", "--count", "25", "--seed", "9");
    const second = await cli("createSynchronizationProfile", "--count", "25", "--seed", "9");
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(JSON.parse(first.stdout)).toHaveLength(25);
  });

  test("--format ndjson --out FILE writes one fixture per line", async () => {
    const out = join(scratch, "status.ndjson");
    const result = await cli(
      "EducationSynchronizationProfileStatus",
      "--count",
      "7",
      "--format",
      "ndjson",
      "--out",
      out,
    );
    expect(result.stderr).toBe(`wrote 7 fixture(s) of EducationSynchronizationProfileStatus to ${out}\n`);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual(
      generateFixtures("EducationSynchronizationProfileStatus", { count: 7 }),
    );
  });

  test("--invalid writes labelled fixtures", async () => {
    const result = await cli("createSynchronizationProfile", "--invalid");
    expect(JSON.parse(result.stdout)).toEqual(
      JSON.parse(JSON.stringify(generateInvalidFixtures("createSynchronizationProfile"))),
    );
  });

  test("--list names every schema and operation", async () => {
    const { stdout } = await cli("--list");
    expect(stdout.split("\n")).toEqual(
      expect.arrayContaining([
        "EducationSynchronizationProfileCreate",
        "createSynchronizationProfile",
        "createSynchronizationProfile.202",
      ]),
    );
  });

  test.each([
    [
      ["nope"],
      2,
      /^sds-kit fixtures: no schema or operation is called 'nope'; run 'sds-kit fixtures --list' for the names\nknown names:\n {2}Education/,
    ],
    [
      ["createSynchronizationProfile", "--count", "many"],
      2,
      /^sds-kit fixtures: --count must be a whole number, got 'many'\n$/,
    ],
    [
      ["createSynchronizationProfile", "--invalid", "--count", "3"],
      2,
      /^sds-kit fixtures: --count does not apply to --invalid/,
    ],
    [
      ["createSynchronizationProfile", "--format", "xml"],
      2,
      /^sds-kit fixtures: --format must be json or ndjson, got 'xml'\n$/,
    ],
    [[], 2, /^sds-kit fixtures: name a schema or operation/],
  ])("%j: exit %i with a clear message", async (args, code, message) => {
    const result = await cli(...args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });
});
