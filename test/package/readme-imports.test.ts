import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { codeBlocks, documentationFiles } from "../support/readme.js";

/** Each entry point of package.json's `exports` that is code: `sds-contract-kit`, `sds-contract-kit/pact`, … → its source. */
function entryPoints(): Map<string, string> {
  const { exports } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
    exports: Record<string, string | { default?: string }>;
  };
  const entries = new Map<string, string>();
  for (const [subpath, target] of Object.entries(exports)) {
    const built = typeof target === "string" ? target : target.default;
    if (!built?.startsWith("./dist/src/")) continue;
    const specifier = subpath === "." ? "sds-contract-kit" : `sds-contract-kit/${subpath.slice(2)}`;
    entries.set(specifier, join(packageRoot, built.replace("./dist/", "").replace(/\.js$/, ".ts")));
  }
  return entries;
}

/** Every name an entry point exports, values and types alike, read by the compiler; the values apart. */
function exportsOf(entry: string): Set<string> & { values: Set<string> } {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
  });
  const source = program.getSourceFile(entry);
  const checker = program.getTypeChecker();
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error(`cannot read the exports of ${entry}`);
  const symbols = checker.getExportsOfModule(symbol);
  const resolved = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  return Object.assign(new Set(symbols.map((s) => s.getName())), {
    values: new Set(symbols.filter((s) => resolved(s).flags & ts.SymbolFlags.Value).map((s) => s.getName())),
  });
}

/** `[specifier, name]` for `{ a, type B, c as d }` imported from the kit or a part of it in a snippet. */
function importedNames(code: string): [string, string][] {
  const names: [string, string][] = [];
  for (const match of code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"(sds-contract-kit(?:\/[a-z]+)?)"/g)) {
    for (const part of (match[1] ?? "").split(",")) {
      const name = part
        .trim()
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/)[0];
      if (name) names.push([match[2] ?? "", name]);
    }
  }
  return names;
}

const entries = entryPoints();
const exported = new Map([...entries].map(([specifier, file]) => [specifier, exportsOf(file)]));
const imports = documentationFiles().flatMap((file) =>
  codeBlocks(file, "ts").flatMap((code) =>
    importedNames(code).map(([specifier, name]) => [file, specifier, name] as const),
  ),
);

describe("the package's entry points export what the documentation imports", () => {
  test("there are the main entry and one per part", () => {
    expect([...entries.keys()].sort()).toEqual([
      "sds-contract-kit",
      "sds-contract-kit/conform",
      "sds-contract-kit/csv",
      "sds-contract-kit/docs",
      "sds-contract-kit/mock",
      "sds-contract-kit/pact",
      "sds-contract-kit/validation",
    ]);
  });

  test("the documentation imports from the package", () => {
    expect(imports.length).toBeGreaterThan(5);
  });

  test.each(imports)("%s imports from %s: %s", (_file, specifier, name) => {
    expect(exported.get(specifier)?.has(name), `${name} is not exported by ${specifier}`).toBe(true);
  });

  test.each([
    ["sds-contract-kit/pact", "verifyProvider"],
    ["sds-contract-kit/pact", "checkPact"],
    ["sds-contract-kit/pact", "readPact"],
    ["sds-contract-kit/pact", "kitPactFiles"],
    ["sds-contract-kit", "startSimulator"],
    ["sds-contract-kit/mock", "startPrismMock"],
  ])("%s exports %s, which the documentation shows", (specifier, name) => {
    expect(exported.get(specifier)?.has(name)).toBe(true);
  });

  test("the main entry stays small: the simulator, the client, tokens, fixtures and the spec's types", () => {
    const main = exported.get("sds-contract-kit");
    // About 30 values (the issue's measure; types cost nothing at run time); the parts' tooling
    // lives in their own entries.
    expect(main?.values.size).toBeGreaterThan(10);
    expect(main?.values.size).toBeLessThanOrEqual(30);
    expect(main?.values.has("startSimulator")).toBe(true);
    expect(main?.values.has("SynchronizationProfile"), "a type is not counted as a value").toBe(false);
    for (const name of ["verifyProvider", "startPrismMock", "runConformance", "verifyRoster", "buildDocsSite"])
      expect(main?.has(name), name).toBe(false);
  });
});

describe("docs/library.md names everything each entry point exports, under its entry", () => {
  const library = readFileSync(join(packageRoot, "docs", "library.md"), "utf8");
  const intro = library.slice(0, library.indexOf("\n## "));
  /** The bullet of an entry: from `- \`specifier\`:` to the next bullet or paragraph. */
  const bulletOf = (specifier: string) => {
    const start = intro.indexOf(`\n- \`${specifier}\`:`);
    if (start < 0) return undefined;
    const ends = [intro.indexOf("\n- ", start + 1), intro.indexOf("\n\n", start + 1)].filter((at) => at > 0);
    return intro.slice(start, ends.length > 0 ? Math.min(...ends) : undefined);
  };
  const rows = [...entries.keys()].flatMap((specifier) =>
    [...(exported.get(specifier) ?? [])].sort().map((name) => [specifier, name] as const),
  );

  test.each(rows)("%s: %s is in its entry's list", (specifier, name) => {
    const bullet = bulletOf(specifier);
    expect(bullet, `a bullet for ${specifier}`).toBeDefined();
    expect(bullet).toContain(`\`${name}\``);
  });
});
