import { readFileSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import {
  hasPart,
  importPart,
  MissingPartError,
  missingPackages,
  type OptionalPart,
  optionalParts,
  requirePart,
  supportedRange,
} from "../../src/parts/optional-parts.js";

const manifest = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};
const parts = Object.keys(optionalParts) as OptionalPart[];
const partPackages = [...new Set(parts.flatMap((part) => optionalParts[part].packages))].sort();

describe("the optional parts", () => {
  test("each part's packages are exactly package.json's optional peer dependencies", () => {
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(partPackages);
    for (const name of partPackages) expect(manifest.peerDependenciesMeta[name]?.optional, name).toBe(true);
    // A peer is never also a dependency: then it would be installed whether the part is used or not.
    expect(partPackages.filter((name) => name in manifest.dependencies)).toEqual([]);
  });

  test("the kit's own tests run with each peer at a version inside the range it supports", () => {
    const outside = partPackages.filter(
      (name) => !semver.satisfies(manifest.devDependencies[name] ?? "0.0.0", manifest.peerDependencies[name] ?? ""),
    );
    expect(outside).toEqual([]);
  });

  test("the range a message names is package.json's", () => {
    expect(supportedRange("@stoplight/prism-cli")).toBe(manifest.peerDependencies["@stoplight/prism-cli"]);
    expect(supportedRange("not-a-part")).toBe("*");
  });

  test("a missing part is one line naming each package with its range, and the command that adds them", () => {
    const error = new MissingPartError("docsSite", ["redoc@^2.5.4", "marked@^18.3.0"]);
    expect(error.message).toBe(
      "The documentation site (sds-kit docs, buildDocsSite, /_sds/docs/) needs redoc@^2.5.4 and marked@^18.3.0: npm install --save-dev redoc@^2.5.4 marked@^18.3.0",
    );
    expect(error.message).not.toContain("\n");
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.part, error.missing]).toEqual([
      "MissingPartError",
      "docsSite",
      ["redoc@^2.5.4", "marked@^18.3.0"],
    ]);
  });

  // Every part is installed in this checkout (the peers are dev dependencies too): the other side,
  // a part that is not installed, is the packed kit's test (test/e2e/core-install.e2e.test.ts).
  test.each(parts)("%s, installed here, is found and loads", async (part) => {
    expect(hasPart(part)).toBe(true);
    expect(missingPackages(part)).toEqual([]);
    expect(() => requirePart(part)).not.toThrow();
    await expect(importPart(part, async () => "loaded")).resolves.toBe("loaded");
  });

  test("the install table of docs/getting-started.md names every package of every part with the range it supports", () => {
    const page = readFileSync(join(packageRoot, "docs", "getting-started.md"), "utf8");
    const install = page.slice(page.indexOf("\n## Install\n"), page.indexOf("\n## Use it from your project"));
    expect(install.length).toBeGreaterThan(500);
    const missing = partPackages
      .map((name) => `\`${name}@${manifest.peerDependencies[name]}\``)
      .filter((named) => !install.includes(named));
    expect(missing).toEqual([]);
  });
});
