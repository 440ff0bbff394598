import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runFixtures } from "../../src/cli/commands/fixtures.js";
import { verifyRoster } from "../../src/csv/verify-roster.js";

function streams(isTTY: boolean) {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    streams: {
      stdout: { write: (chunk: string) => (out.stdout += chunk) },
      stderr: { write: (chunk: string) => (out.stderr += chunk), isTTY },
    },
  };
}

describe("sds-kit fixtures: progress", () => {
  test("draws a progress bar on a terminal for large counts, and the fixtures are the same", async () => {
    const tty = streams(true);
    expect(await runFixtures(["EducationIdentityDomain", "--count", "1200", "--format", "ndjson"], tty.streams)).toBe(
      0,
    );
    expect(tty.out.stderr).toContain("] 1200/1200 EducationIdentityDomain");
    const plain = streams(false);
    await runFixtures(["EducationIdentityDomain", "--count", "1200", "--format", "ndjson"], plain.streams);
    expect(plain.out.stderr).toBe("");
    expect(tty.out.stdout).toBe(plain.out.stdout);
  });
});

describe("sds-kit fixtures csv", () => {
  const scratch = mkdtempSync(join(tmpdir(), "sds-csv-fixtures-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const read = (dir: string) =>
    Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), "utf8")]));

  test("writes the six files that verify cleanly, and what start answers; the same seed gives the same bytes", async () => {
    const [first, second] = [join(scratch, "a"), join(scratch, "b")];
    const { streams: quiet, out } = streams(false);
    expect(await runFixtures(["csv", "--out", first, "--seed", "roster-7", "--schools", "3"], quiet)).toBe(0);
    await runFixtures(["csv", "--out", second, "--seed", "roster-7", "--schools", "3"], streams(false).streams);
    const files = read(first);
    expect(Object.keys(files).sort()).toEqual([
      "expected.json",
      "school.csv",
      "section.csv",
      "student.csv",
      "studentenrollment.csv",
      "teacher.csv",
      "teacherroster.csv",
    ]);
    expect(files["school.csv"]?.trimEnd().split("\r\n")).toHaveLength(1 + 3);
    expect(JSON.parse(files["expected.json"] ?? "")).toEqual({ status: 200, messages: [] });
    expect(read(second)).toEqual(files);
    const roster = new Map(Object.entries(files).filter(([name]) => name.endsWith(".csv")));
    expect(verifyRoster(roster).messages).toEqual([]);
    expect(out.stderr).toBe(`wrote 6 CSV file(s) to ${first}\n`);
  });

  test("--break writes the set with that rule broken, and the messages start answers", async () => {
    const dir = join(scratch, "broken");
    const { streams: quiet, out } = streams(false);
    expect(await runFixtures(["csv", "--out", dir, "--break", "unknown-section-reference"], quiet)).toBe(0);
    const files = read(dir);
    const expected = JSON.parse(files["expected.json"] ?? "") as { status: number; messages: unknown[] };
    expect(expected.status).toBe(400);
    const roster = new Map(Object.entries(files).filter(([name]) => name.endsWith(".csv")));
    expect(verifyRoster(roster).messages).toEqual(expected.messages);
    expect(out.stderr).toMatch(/with 'unknown-section-reference' broken: start answers 400\n$/);
  });

  test.each([
    [["csv"], "sds-kit fixtures csv writes six files: give --out DIR"],
    [["csv", "--out", "x", "--break", "typo"], "--break takes one of missing-file, "],
    [["csv", "--out", "x", "--dialect", "FR"], "--dialect must be US or UK, got 'FR'"],
    [["csv", "--out", "x", "--count", "3"], "--count does not apply to sds-kit fixtures csv"],
    [["csv", "--out", "x", "--schools", "many"], "--schools must be a whole number, got 'many'"],
    [
      ["csv", "--out", "x", "--break", "missing-file", "--schools", "3"],
      "the break 'missing-file' is defined on the default set",
    ],
    [["EducationIdentityDomain", "--schools", "2"], "--schools applies to sds-kit fixtures csv only"],
  ])("%j is a usage error that says why", async (args, message) => {
    await expect(runFixtures(args, streams(false).streams)).rejects.toThrow(message);
  });
});
