import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { operations } from "../../generated/route-table.js";
import { findDrift, layoutOf, renderGenerated } from "../../scripts/codegen/render-generated.js";
import { packageRoot } from "../../src/package-root.js";
import { listOperations } from "../../src/spec/spec-operations.js";
import { specValidators } from "../../src/validation/spec-validators.js";

const scratch = mkdtempSync(join(tmpdir(), "sds-generate-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Rendering takes a few seconds; the tests that read today's rendering share one.
let today: ReturnType<typeof renderGenerated> | undefined;
const renderToday = () => {
  today ??= renderGenerated(layoutOf(packageRoot));
  return today;
};

describe("generated/", () => {
  test("matches what the spec renders today", async () => {
    const files = await renderToday();
    expect(findDrift(files).map((path) => relative(packageRoot, path))).toEqual([]);
  });

  test("every generated file opens with a do-not-edit notice naming its source", async () => {
    const files = await renderToday();
    expect(files.size).toBeGreaterThanOrEqual(3);
    // lifecycle.json is the simulator's tables as data; everything else comes from the spec.
    const sourceOf = (path: string) =>
      path.endsWith("lifecycle.json") ? "mocks/simulator/lifecycle.ts" : "spec/openapi.yaml";
    for (const [path, content] of files) {
      const opening = content.slice(0, 200);
      expect(opening, path).toContain("Do not edit");
      expect(opening, path).toContain(sourceOf(path));
    }
  });

  test("generate writes what generate:check accepts; a changed spec fails the check, naming the files", async () => {
    const root = join(scratch, "script");
    cpSync(join(packageRoot, "spec"), join(root, "spec"), { recursive: true });
    const script = (...args: string[]) =>
      promisify(execFile)(join(packageRoot, "node_modules", ".bin", "tsx"), [
        join(packageRoot, "scripts", "generate.ts"),
        "--root",
        root,
        ...args,
      ]).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );

    const written = await script();
    expect(written.code).toBe(0);
    expect(written.stdout).toContain("wrote generated/openapi.json");
    expect(readFileSync(join(root, "generated", "types.ts"), "utf8")).toBe(
      readFileSync(join(packageRoot, "generated", "types.ts"), "utf8"),
    );
    expect((await script("--check")).code).toBe(0);

    const specPath = join(root, "spec", "openapi.yaml");
    writeFileSync(
      specPath,
      readFileSync(specPath, "utf8").replace("summary: Get a synchronization profile\n", "summary: Read one profile\n"),
    );
    const drifted = await script("--check");
    expect(drifted.code).toBe(1);
    // Exactly the files the summary reaches, and no others.
    expect(drifted.stderr).toContain(
      "(generated/openapi.json, generated/openapi.portable.json, generated/prism-openapi.json, generated/types.ts, generated/route-table.ts)",
    );
  }, 180_000);

  test("the route table lists every operation of the spec", () => {
    const fromSpec = listOperations(specValidators().document).map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect(operations.map((op) => `${op.method} ${op.path}`)).toEqual(fromSpec);
  });
});
