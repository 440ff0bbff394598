import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import semver from "semver";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";

const run = promisify(execFile);
const { engines } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
  engines: { node: string };
};
/** engines.node's alternatives, one per major line: `^20.19 || ^22.13 || ^24` gives three. */
const lines = engines.node.split("||").map((range) => range.trim());
const script = readFileSync(join(packageRoot, "scripts", "test-node-versions.sh"), "utf8");
/** The exact versions scripts/test-node-versions.sh runs the tiers on, besides the machine's own. */
const pinned = /^readonly pinned_versions=\(([^)]*)\)$/m.exec(script)?.[1]?.trim().split(/\s+/) ?? [];
/** Set by scripts/test-node-versions.sh to the version it put first on PATH. */
const expected = process.env.SDS_KIT_EXPECT_NODE;

/** `name@version` and engines.node of every installed package that states one, nested copies included. */
function installedEngines(): { pkg: string; node: string }[] {
  const found: { pkg: string; node: string }[] = [];
  const walk = (modules: string) => {
    for (const name of readdirSync(modules)) {
      if (name.startsWith(".")) continue;
      if (name.startsWith("@")) {
        for (const scoped of readdirSync(join(modules, name))) visit(join(modules, name, scoped));
      } else visit(join(modules, name));
    }
  };
  const visit = (dir: string) => {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name, version, engines } = JSON.parse(readFileSync(manifest, "utf8")) as {
        name?: string;
        version?: string;
        engines?: { node?: unknown };
      };
      if (typeof engines?.node === "string" && semver.validRange(engines.node))
        found.push({ pkg: `${name}@${version}`, node: engines.node });
    }
    if (existsSync(join(dir, "node_modules"))) walk(join(dir, "node_modules"));
  };
  walk(join(packageRoot, "node_modules"));
  return found;
}

describe("Node versions", () => {
  test("engines.node covers the Node running these tests and every version the script pins", () => {
    expect(pinned.length).toBeGreaterThan(0);
    const outside = [process.version, ...pinned].filter((version) => !semver.satisfies(version, engines.node));
    expect(outside, `outside engines.node ${engines.node}`).toEqual([]);
  });

  test("engines.node names the machine's major line first, then exactly one line per pinned version", () => {
    // `npm test` tests the first line on the machine's Node (the test above checks it is covered);
    // the script tests each later one, so a line added to engines.node without a pin fails here.
    const majors = lines.map((range) => semver.minVersion(range)?.major);
    expect(majors.slice(1)).toEqual(pinned.map((version) => semver.major(version)));
  });

  test("the oldest Node of each engines.node line, and each tested one, is one every installed package accepts", () => {
    // What sets the floors: a dependency upgraded to a release that needs a newer Node fails here
    // until engines.node (and, for a new major, the script's pins) says so.
    const versions = [...lines.map((range) => semver.minVersion(range)?.version ?? range), process.version, ...pinned];
    const packages = installedEngines();
    expect(packages.length).toBeGreaterThan(100);
    const refused = versions.flatMap((version) =>
      packages
        .filter(({ node }) => !semver.satisfies(version, node))
        .map(({ pkg, node }) => `Node ${version}: ${pkg} needs ${node}`),
    );
    expect(refused).toEqual([]);
  });

  test("the node on PATH (npm, tsx, bins) and process.execPath (spawned servers and CLIs) are the running one", async () => {
    const onPath = await run("node", ["--version"]);
    const execPath = await run(process.execPath, ["--version"]);
    expect([onPath.stdout.trim(), execPath.stdout.trim()]).toEqual([process.version, process.version]);
  });

  // Under scripts/test-node-versions.sh, the Node it asked for; otherwise the machine's own, the
  // one `npm test` runs on, which must be a line engines names.
  test(`runs on ${expected ?? "the machine's Node"}, a version engines.node admits`, () => {
    if (expected !== undefined) expect(process.version).toBe(expected);
    expect(semver.satisfies(process.version, engines.node)).toBe(true);
  });
});
