import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runCli } from "../../src/cli/main.js";

const scratch = mkdtempSync(join(tmpdir(), "sds-docs-command-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr };
}

describe("sds-kit docs", () => {
  test("--out DIR writes the site and says where to open it", async () => {
    const out = join(scratch, "nested", "site");
    const result = await run(["docs", "--out", out]);
    expect(result).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^wrote 8 files to \S+nested\/site; open \S+nested\/site\/index\.html\n$/),
      stderr: "",
    });
    for (const name of ["index.html", "decisions.html", "provenance.html", "lifecycle.html", "lifecycle.svg"])
      expect(existsSync(join(out, name)), name).toBe(true);
  });

  test.each([
    [[], "sds-kit docs: --out DIR is required: where to write the site\n"],
    [["--out", " "], "sds-kit docs: --out DIR is required: where to write the site\n"],
    [["--out"], "sds-kit docs: Option '--out <value>' argument missing\n"],
    [["--open"], "sds-kit docs: Unknown option '--open'\n"],
  ])("%j is a usage error: one line, exit 2", async (args, stderr) => {
    expect(await run(["docs", ...args])).toEqual({ code: 2, stdout: "", stderr });
  });
});
