import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";

const scratch = mkdtempSync(join(tmpdir(), "sds-readme-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// The README's code must run and print what the README says it prints.
describe("README", () => {
  const readme = readFileSync(join(packageRoot, "README.md"), "utf8");
  const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

  test("has TypeScript snippets", () => {
    expect(snippets.length).toBeGreaterThan(0);
  });

  test.each(snippets.map((code, index) => [index, code] as const))(
    "snippet %i prints what its comments say",
    async (index, code) => {
      const expected = code
        .split("\n")
        .filter((line) => line.startsWith("// "))
        .map((line) => line.slice(3));
      const runnable = code
        .replaceAll('"sds-contract-kit/types"', JSON.stringify(join(packageRoot, "generated", "types.ts")))
        .replaceAll('"sds-contract-kit"', JSON.stringify(join(packageRoot, "src", "index.ts")));
      const file = join(scratch, `snippet-${index}.mts`);
      writeFileSync(file, runnable);
      const { stdout } = await promisify(execFile)(join(packageRoot, "node_modules", ".bin", "tsx"), [file], {
        cwd: packageRoot,
      });
      expect(stdout.trimEnd()).toBe(expected.join("\n"));
    },
    60_000,
  );
});
