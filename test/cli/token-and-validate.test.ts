import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createSimulator } from "../../mocks/simulator/create-simulator.js";
import { readClaims } from "../../src/auth/test-token.js";
import { runValidate } from "../../src/cli/commands/validate.js";
import { runCli } from "../../src/cli/main.js";
import { readExample } from "../support/spec-source.js";

async function run(args: string[], stdin?: string) {
  let stdout = "";
  let stderr = "";
  const streams = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  };
  const code =
    stdin === undefined
      ? await runCli(args, streams)
      : await runValidate(args.slice(1), streams, async () => stdin).catch((error: Error) => {
          stderr += `${error.message}\n`;
          return 2;
        });
  return { code, stdout, stderr };
}

const scratch = mkdtempSync(join(tmpdir(), "sds-validate-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const file = (name: string, value: unknown) => {
  const path = join(scratch, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
};

describe("sds-kit token", () => {
  test("prints a token the simulator accepts, with the claims asked for", async () => {
    const { code, stdout } = await run([
      "token",
      "--scopes",
      "EduAdministration.Read,EduAdministration.ReadWrite",
      "--tenant",
      "contoso",
    ]);
    expect(code).toBe(0);
    const token = stdout.trim();
    expect(readClaims(token)).toMatchObject({
      scp: "EduAdministration.Read EduAdministration.ReadWrite",
      tid: "contoso",
    });
    const sim = createSimulator({ clock: "virtual" });
    const answer = await sim.fetch("http://sim/beta/education/synchronizationProfiles", {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(200);
  });

  test("application roles, and an expiry the simulator enforces", async () => {
    const roles = readClaims((await run(["token", "--roles", "EduAdministration.ReadWrite.All"])).stdout.trim());
    expect(roles).toMatchObject({ roles: ["EduAdministration.ReadWrite.All"] });
    expect(roles?.scp).toBeUndefined();
    const before = Math.floor(Date.now() / 1000);
    const expiring = readClaims((await run(["token", "--expires-in", "60"])).stdout.trim());
    expect(expiring?.exp).toBeGreaterThanOrEqual(before + 60);
    expect(expiring?.exp).toBeLessThanOrEqual(before + 61);
    expect(expiring?.scp).toBe("EduAdministration.ReadWrite");
  });

  test.each([
    [["token", "--expires-in", "soon"], "--expires-in must be a whole number of seconds, got 'soon'"],
    [["token", "--scopes", "Edu Admin"], "'Edu Admin' is not a permission name"],
    [["token", "--tenant", "a/b"], "--tenant takes letters, digits, '.', '-' and '_' (at most 64), got 'a/b'"],
    [["token", "--user", "x"], "Unknown option '--user'"],
  ])("%j is one line and exit 2", async (args, message) => {
    const result = await run(args);
    expect([result.code, result.stdout]).toEqual([2, ""]);
    expect(result.stderr).toBe(`sds-kit token: ${message}\n`);
  });
});

describe("sds-kit validate", () => {
  test("a payload nested 100,000 deep is one depth violation and exit 1, not a stack overflow", async () => {
    const path = file("deep.json", `${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    const result = await run(["validate", "createSynchronizationProfile", "request", path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^\$: nests arrays and objects more than 64 levels deep/);
    expect(result.stderr).toBe(
      "sds-kit validate: createSynchronizationProfile request: 1 violation(s) at the kit level\n",
    );
  });

  test("a valid request is silent on stdout and exits 0", async () => {
    const path = file("valid.json", readExample("createSynchronizationProfile.request").value);
    expect(await run(["validate", "createSynchronizationProfile", "request", path])).toEqual({
      code: 0,
      stdout: "",
      stderr: "sds-kit validate: createSynchronizationProfile request: valid at the kit level\n",
    });
  });

  test("each violation is a line with its JSON path and source; exit 1; the level decides what is held", async () => {
    const body = {
      ...(readExample("createSynchronizationProfile.request").value as object),
      displayName: "",
      extra: 1,
    };
    const path = file("broken.json", body);
    const kit = await run(["validate", "createSynchronizationProfile", "request", path]);
    expect(kit.code).toBe(1);
    expect(kit.stdout.trim().split("\n").sort()).toEqual(
      [
        "$.displayName: must NOT have fewer than 1 characters [kit decisions.md#display-name]",
        expect.stringMatching(/^\$\.extra: 'extra' is not a property of .* \[kit decisions\.md#closed-requests\]$/),
      ].sort(),
    );
    const documented = await run([
      "validate",
      "createSynchronizationProfile",
      "request",
      path,
      "--level",
      "documented",
    ]);
    expect([documented.code, documented.stdout]).toEqual([0, ""]);
  });

  test("a response body of a status, from standard input", async () => {
    const status = { ...(readExample("getSynchronizationProfileStatus.200").value as object), errorCount: "3" };
    const result = await run(
      ["validate", "getSynchronizationProfileStatus", "response", "200", "-"],
      JSON.stringify(status),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^\$\.errorCount: must be integer.* \[csdl §2\.2 \[SDK\]\[LEARN\]\]\n$/);
  });

  test.each([
    [["validate"], "give an operationId, request or response, and a file (sds-kit validate --help)"],
    [
      ["validate", "createProfile", "request", "x.json"],
      "unknown operationId 'createProfile'; known: listSynchronizationProfiles",
    ],
    [["validate", "createSynchronizationProfile", "body", "x.json"], "say request or response, got 'body'"],
    [["validate", "getSynchronizationProfile", "request", "x.json"], "getSynchronizationProfile takes no request body"],
    [["validate", "getSynchronizationProfile", "response", "x.json"], "a response needs its status: 200, 400, 401"],
    [
      ["validate", "deleteSynchronizationProfile", "response", "202", "x.json"],
      "deleteSynchronizationProfile declares no 202 response with a body",
    ],
    [
      ["validate", "createSynchronizationProfile", "request", "/nonexistent/x.json"],
      "cannot read payload /nonexistent/x.json: there is no such file",
    ],
    [
      ["validate", "createSynchronizationProfile", "request", "a.json", "b.json"],
      "name one file, or - for standard input",
    ],
  ])("%j is one line and exit 2", async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")).toHaveLength(2);
    expect(result.stderr).toContain(`sds-kit validate: ${message}`);
  });

  test("a file that is not JSON says so", async () => {
    const result = await run(["validate", "createSynchronizationProfile", "request", file("bad.json", "{ nope")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^sds-kit validate: .*bad\.json is not JSON: /);
  });
});
