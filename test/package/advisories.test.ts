import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { advisories, knownVulnerable } from "../support/advisories.js";
import { installedPackages } from "../support/packed-kit.js";

describe("known advisories", () => {
  test("the check finds a version an advisory names, and passes its fixed release", () => {
    const found = knownVulnerable([
      { name: "lodash", version: "4.17.21", path: "node_modules/lodash" },
      { name: "lodash", version: "4.18.1", path: "node_modules/a/node_modules/lodash" },
      { name: "axios", version: "0.27.2", path: "node_modules/axios" },
      { name: "axios", version: "1.21.1", path: "node_modules/b/node_modules/axios" },
    ]);
    expect(found.map((line) => line.split(" ")[0])).toEqual(["lodash@4.17.21", "axios@0.27.2"]);
    expect(found[0]).toContain("at node_modules/lodash");
  });

  test("this checkout's tree (every dev tool and every optional part) holds none, overrides included", () => {
    const installed = installedPackages(packageRoot);
    expect(installed.length).toBeGreaterThan(500);
    // The packages the advisories name are in the tree at fixed versions, not absent by luck.
    const named = new Set(installed.map(({ name }) => name));
    expect(advisories.filter(({ name }) => named.has(name)).length).toBeGreaterThanOrEqual(4);
    expect(knownVulnerable(installed)).toEqual([]);
  });
});
