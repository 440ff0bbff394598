import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { codeBlocks, documentationFiles } from "../support/readme.js";

/** Every name the package entry point exports, values and types alike, read by the compiler. */
function packageExports(): Set<string> {
  const entry = join(packageRoot, "src", "index.ts");
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
  });
  const source = program.getSourceFile(entry);
  const checker = program.getTypeChecker();
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error("cannot read the exports of src/index.ts");
  return new Set(checker.getExportsOfModule(symbol).map((s) => s.getName()));
}

/** `{ a, type B, c as d }` from `import ... from "sds-contract-kit"` in a snippet: the exported names. */
function importedNames(code: string): string[] {
  const names: string[] = [];
  for (const match of code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"sds-contract-kit"/g)) {
    for (const part of (match[1] ?? "").split(",")) {
      const name = part
        .trim()
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/)[0];
      if (name) names.push(name);
    }
  }
  return names;
}

const imports = documentationFiles().flatMap((file) =>
  codeBlocks(file, "ts").flatMap((code) => importedNames(code).map((name) => [file, name] as const)),
);

describe("the package entry point exports what the documentation imports", () => {
  const exported = packageExports();

  test("the documentation imports from the package", () => {
    expect(imports.length).toBeGreaterThan(5);
  });

  test.each(imports)("%s imports %s", (_file, name) => {
    expect(exported.has(name), `${name} is not exported by src/index.ts`).toBe(true);
  });

  test.each([
    ["verifyProvider"],
    ["checkPact"],
    ["readPact"],
    ["kitPactFiles"],
    ["startSimulator"],
    ["startPrismMock"],
  ])("%s, which the documentation shows, is exported", (name) => {
    expect(exported.has(name)).toBe(true);
  });
});

describe("docs/library.md names everything the entry point exports", () => {
  const library = readFileSync(join(packageRoot, "docs", "library.md"), "utf8");
  const exportsTable = library.slice(0, library.indexOf("\n## "));

  test.each([...packageExports()].sort())("%s is in the table of exports", (name) => {
    expect(exportsTable).toContain(`\`${name}\``);
  });
});
