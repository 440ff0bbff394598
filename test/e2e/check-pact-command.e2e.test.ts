import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { sdsKit } from "../support/cli-process.js";

const kitPact = join(packageRoot, "contracts", "pacts", "sds-contract-kit-client-sds-synchronization-profiles.json");
// biome-ignore lint/suspicious/noExplicitAny: the tests edit pact JSON freely to break it
type LoosePact = { interactions: { description: string; response: Record<string, any> }[] };
const scratch = mkdtempSync(join(tmpdir(), "sds-check-pact-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, [sdsKit, "check-pact", ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

/** A copy of the kit's pact with one response changed: a warning (a regex wider than the state enum) and an error (an undeclared status). */
function brokenPact(): string {
  const pact = JSON.parse(readFileSync(kitPact, "utf8")) as LoosePact;
  for (const interaction of pact.interactions) {
    if (interaction.description === "a request for a provisioned profile")
      interaction.response.matchingRules.body["$.state"].matchers = [{ match: "regex", regex: "^.*$" }];
    if (interaction.description === "a request to delete a profile") interaction.response.status = 204;
  }
  const file = join(scratch, "broken.json");
  writeFileSync(file, JSON.stringify(pact));
  return file;
}

describe("sds-kit check-pact", () => {
  test("the kit's own pacts pass --strict at every level: they read state and status where the pages promise them", async () => {
    for (const level of ["documented", "observed", "kit"]) {
      const result = await run(kitPact, "--level", level, "--strict");
      expect(result).toEqual({
        code: 0,
        stdout: "",
        stderr: `check-pact: 18 interaction(s) in 1 file(s): 0 error(s), 0 warning(s) (strict) at the ${level} level\n`,
      });
    }
  });

  test("one line per finding; an error fails the check, a warning only under --strict", async () => {
    const file = brokenPact();
    const result = await run(file);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ERROR \[undeclaredStatus\] "a request to delete a profile" response\.status \$: deleteSynchronizationProfile does not declare 204/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^WARNING \[responseMatcherWiderThanSpec\] "a request for a provisioned profile" response\.body \$\.state: /,
      ),
    );
  });

  test("--format json and --format junit", async () => {
    const file = brokenPact();
    const json = JSON.parse((await run(file, "--format", "json")).stdout) as { severity: string; rule: string }[];
    expect(json.map((f) => f.rule).sort()).toEqual(["responseMatcherWiderThanSpec", "undeclaredStatus"]);
    const junit = (await run(file, "--format", "junit", "--strict")).stdout;
    expect(junit).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="sds-kit check-pact">/);
    // One test case per interaction: the delete (its status) and the read that matches state too widely.
    expect(junit).toContain('tests="18" failures="2"');
    expect(junit).toContain('<failure type="undeclaredStatus"');
  });

  test("a warning alone passes without --strict and fails with it", async () => {
    const pact = JSON.parse(readFileSync(kitPact, "utf8")) as LoosePact;
    // Only the delete, which reads nothing; then one read of a field no page promises.
    pact.interactions = pact.interactions.filter((i) => i.description === "a request to delete a profile");
    const file = join(scratch, "warning.json");
    writeFileSync(file, JSON.stringify(pact));
    expect((await run(file, "--strict")).code).toBe(0);
    const status = JSON.parse(readFileSync(kitPact, "utf8")) as LoosePact;
    const success = status.interactions.find(
      (i) => i.description === "a request for the status of a profile whose sync is success",
    );
    if (!success) throw new Error("the kit's pact has no success status interaction");
    delete success.response.body.content.status;
    success.response.body.content.errorCount = 0;
    pact.interactions.push(success);
    writeFileSync(file, JSON.stringify(pact));
    expect((await run(file)).code).toBe(0);
    expect((await run(file, "--strict")).code).toBe(1);
  });

  test.each([
    [[], "name at least one pact file"],
    [["missing.json"], "cannot read pact file missing.json: there is no such file"],
    [[kitPact, "--format", "yaml"], "--format must be text, json or junit, got 'yaml'"],
  ])("%j is a one-line usage error, exit 2", async (args, message) => {
    expect(await run(...args)).toMatchObject({ code: 2, stderr: `sds-kit check-pact: ${message}\n` });
  });
});
