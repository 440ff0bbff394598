import { describe, expect, test } from "vitest";
import { runFixtures } from "../../src/cli/commands/fixtures.js";

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
