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
/** engines.node's alternatives, one per major line: `^22.13 || ^24` gives two. */
const lines = engines.node.split("||").map((range) => range.trim());
/** The primary line's exact version: `.ci/run` runs `npm test` on it (and setup-node reads the file). */
const primary = readFileSync(join(packageRoot, ".nvmrc"), "utf8").trim();
const script = readFileSync(join(packageRoot, "scripts", "test-node-versions.sh"), "utf8");
/** The exact versions scripts/test-node-versions.sh runs the tiers on after `npm test`: the other lines' floors. */
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
  test("engines.node admits the primary version, every pinned one and the Node running these tests", () => {
    expect(semver.valid(primary), `.nvmrc holds ${primary}`).not.toBeNull();
    expect(pinned.length).toBeGreaterThan(0);
    const outside = [primary, ...pinned, process.version].filter((version) => !semver.satisfies(version, engines.node));
    expect(outside, `outside engines.node ${engines.node}`).toEqual([]);
  });

  test("engines.node has exactly one line per tested major: the primary's and each pinned version's", () => {
    // A line added to engines.node that nothing tests, or a pin for a line it does not name, fails here.
    const named = lines.map((range) => semver.minVersion(range)?.major).sort();
    const tested = [primary, ...pinned].map((version) => semver.major(version)).sort();
    expect(named).toEqual(tested);
  });

  test("each pinned version is its line's floor: the oldest release a team on that line may have", () => {
    const floors = pinned.map((version) => {
      const line = lines.find((range) => semver.minVersion(range)?.major === semver.major(version));
      const floor = line === undefined ? undefined : semver.minVersion(line);
      return `${version}: ${floor?.major}.${floor?.minor}`;
    });
    expect(floors).toEqual(pinned.map((version) => `${version}: ${semver.major(version)}.${semver.minor(version)}`));
  });

  test("the primary line is the newest: Node 24, long-term support", () => {
    const majors = lines.map((range) => semver.minVersion(range)?.major ?? 0);
    expect(semver.major(primary)).toBe(Math.max(...majors));
    expect(semver.major(primary)).toBe(24);
  });

  test("the oldest Node of each engines.node line, and each tested one, is one every installed package accepts", () => {
    // What sets the floors: a dependency upgraded to a release that needs a newer Node fails here
    // until engines.node (and, for a new major, the script's pins) says so.
    const versions = [
      ...lines.map((range) => semver.minVersion(range)?.version ?? range),
      primary,
      process.version,
      ...pinned,
    ];
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

  // Under scripts/test-node-versions.sh, the Node it asked for; otherwise the one `npm test` runs
  // on (.ci/run puts .nvmrc's first on PATH), which engines.node must admit: a machine's older Node fails here.
  test(`runs on ${expected ?? "the Node on PATH"}, a version engines.node admits`, () => {
    if (expected !== undefined) expect(process.version).toBe(expected);
    expect(semver.satisfies(process.version, engines.node)).toBe(true);
  });
});
