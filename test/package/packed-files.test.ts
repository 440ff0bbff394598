import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, posix, relative } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";

const run = promisify(execFile);

/**
 * What `npm pack` puts in the tarball: what a user needs to run the kit, and nothing else. The
 * rules are chosen here, by folder and file kind, not read from a previous pack.
 */
const shipped: { pattern: RegExp; why: string }[] = [
  { pattern: /^package\.json$/, why: "the manifest" },
  { pattern: /^README\.md$/, why: "the front page" },
  { pattern: /^bin\/sds-kit\.js$/, why: "the CLI's entry point" },
  { pattern: /^dist\/(src|mocks|generated)\/.+\.(js|d\.ts)$/, why: "the compiled library, mocks and their types" },
  { pattern: /^generated\/[\w.-]+\.(json|cjs)$/, why: "the bundled specs and the precompiled validators" },
  { pattern: /^generated\/PROVENANCE\.md$/, why: "whose word each rule is" },
  { pattern: /^spec\/(openapi|samples)\.yaml$/, why: "the spec and the fixtures' sample values" },
  { pattern: /^spec\/decisions\.md$/, why: "the decisions messages link to" },
  { pattern: /^spec\/examples\/[\w.-]+\.json$/, why: "the spec's examples" },
  { pattern: /^contracts\/pacts\/[\w.-]+\.json$/, why: "the kit's pacts, verified by sds-kit verify" },
  // npm adds a shipped folder's README by itself; this one is the pacts' and the state vocabulary's.
  { pattern: /^contracts\/README\.md$/, why: "the contracts' page" },
  // The pages the front page links to, so that its links hold inside node_modules too.
  { pattern: /^docs\/[\w-]+\.md$/, why: "the documentation the README links to" },
  { pattern: /^mocks\/(prism|simulator)\/README\.md$/, why: "the mocks' pages" },
  { pattern: /^bench\/README\.md$/, why: "the benchmarks' figures the README cites" },
];

/** Never in the tarball, wherever they are: how the kit is built, tested and run in CI, and scratch. */
const forbidden: { pattern: RegExp; what: string }[] = [
  { pattern: /(^|\/)test\//, what: "tests" },
  { pattern: /(^|\/)bench\/(?!README\.md$)/, what: "benchmarks" },
  { pattern: /^scripts\//, what: "build scripts" },
  { pattern: /^examples\//, what: "the example projects" },
  { pattern: /\.(test|test-d|pact\.test|verify\.test|e2e\.test)\.(ts|js|d\.ts)$/, what: "a test file" },
  { pattern: /(^|\/)tsconfig[\w.-]*\.json$/, what: "a TypeScript project file" },
  { pattern: /(^|\/)\.ci\//, what: "CI scripts" },
  { pattern: /\.tgz$/, what: "a packed tarball" },
  { pattern: /(^|\/)coverage\//, what: "coverage output" },
  { pattern: /(^|\/)(\.pacts-tmp|logs?)\/|\.log$/, what: "Pact's scratch output or a log" },
  { pattern: /\.tsbuildinfo$/, what: "the incremental build's state" },
  { pattern: /\.map$/, what: "a source map (its sources are not shipped)" },
  { pattern: /(^|\/)node_modules\//, what: "installed dependencies" },
  { pattern: /^generated\/[\w.-]+\.ts$/, what: "the generated TypeScript (dist ships it compiled)" },
  { pattern: /^spec\/spectral\//, what: "lint rules for the spec" },
];

const refusal = (path: string): string | undefined => {
  const banned = forbidden.find(({ pattern }) => pattern.test(path));
  if (banned) return `${path} is ${banned.what}`;
  if (!shipped.some(({ pattern }) => pattern.test(path))) return `${path} is nothing a user needs`;
  return undefined;
};

describe("the rules refuse what must not ship", () => {
  test.each([
    ["test/package/packed-files.test.ts"],
    ["dist/test/support/readme.js"],
    ["dist/src/csv/verify-roster.test.js"],
    ["dist/src/csv/verify-roster.test.d.ts"],
    ["dist/bench/all.bench.js"],
    ["bench/all.bench.ts"],
    ["docs/images/diagram.png"],
    ["mocks/simulator/store.ts"],
    ["scripts/generate.ts"],
    ["examples/consumer-project/package.json"],
    ["tsconfig.build.json"],
    [".ci/run"],
    ["sds-contract-kit-0.1.0.tgz"],
    ["coverage/index.html"],
    ["contracts/.pacts-tmp/a.json"],
    ["contracts/consumer.pact.test.ts"],
    ["pact.log"],
    ["dist/.tsbuildinfo"],
    ["dist/src/index.js.map"],
    ["generated/types.ts"],
    ["spec/spectral/functions/graphPermissions.js"],
    ["examples/consumer-project/README.md"],
  ])("refuses %s", (path) => {
    expect(refusal(path)).toBeDefined();
  });
});

describe("npm pack", () => {
  let packed: string[];
  beforeAll(async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: packageRoot });
    const [pack] = JSON.parse(stdout) as { files: { path: string }[] }[];
    packed = (pack?.files ?? []).map((file) => file.path).sort();
  }, 60_000);

  test("ships nothing but what a user needs", () => {
    expect(packed.map(refusal).filter((why) => why !== undefined)).toEqual([]);
  });

  test("ships the package's entry points: exports, types and bin", () => {
    const manifest = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
      bin: Record<string, string>;
      exports: Record<string, string | Record<string, string>>;
    };
    const targets = [
      ...Object.values(manifest.bin),
      ...Object.values(manifest.exports).flatMap((target) =>
        typeof target === "string" ? [target] : Object.values(target),
      ),
    ].map((target) => target.replace(/^\.\//, ""));
    expect(targets).toEqual(expect.arrayContaining(["bin/sds-kit.js", "dist/src/index.js", "dist/src/index.d.ts"]));
    expect(targets.filter((target) => !packed.includes(target))).toEqual([]);
  });

  test("ships what the kit reads at run time", () => {
    const needed = [
      "README.md",
      "package.json",
      "dist/src/cli/main.js", // bin/sds-kit.js runs it
      "generated/openapi.json",
      "generated/prism-openapi.json", // the Prism mock serves it
      "generated/validators.cjs",
      "spec/openapi.yaml", // the package root is found by it
      "spec/samples.yaml", // the fixtures draw from it
    ];
    expect(needed.filter((path) => !packed.includes(path))).toEqual([]);
    expect(packed.filter((path) => /^contracts\/pacts\/.+\.json$/.test(path)).length).toBeGreaterThan(0);
  });

  test("ships every module of the library and the mocks, compiled, with its types", () => {
    const sources = ["src", "mocks", "generated"].flatMap((dir) => tsSources(join(packageRoot, dir)));
    expect(sources.length).toBeGreaterThan(50);
    const missing = sources.flatMap((source) =>
      [".js", ".d.ts"]
        .map((extension) => `dist/${source.replace(/\.ts$/, extension)}`)
        .filter((path) => !packed.includes(path)),
    );
    expect(missing).toEqual([]);
  });

  test("every relative link of a shipped page lands on a shipped file or folder", () => {
    // Inside node_modules the repository is not there: a link to a test or a source file would be
    // a dead end, so shipped pages name those in code and link only to what ships.
    const folders = new Set(
      packed.flatMap((path) =>
        path
          .split("/")
          .slice(0, -1)
          .map((_, i, parts) => parts.slice(0, i + 1).join("/")),
      ),
    );
    const pages = packed.filter((path) => path.endsWith(".md"));
    expect(pages).toEqual(expect.arrayContaining(["README.md", "docs/library.md", "mocks/simulator/README.md"]));
    const dead = pages.flatMap((page) =>
      [...readFileSync(join(packageRoot, page), "utf8").matchAll(/(?<!!)\[(?:[^[\]]|\[[^\]]*\])*\]\(([^)\s]+)\)/g)]
        .map((match) => match[1] ?? "")
        .filter((target) => !/^([a-z]+:|#)/.test(target))
        .map((target) =>
          posix.normalize(posix.join(posix.dirname(page), target.replace(/#.*$/, ""))).replace(/\/$/, ""),
        )
        .filter((target) => !packed.includes(target) && !folders.has(target))
        .map((target) => `${page} -> ${target}`),
    );
    expect(dead).toEqual([]);
  });

  test("ships no compiled file whose source is gone (a stale dist/: rm -rf dist && npm run build)", () => {
    const orphans = packed
      .filter((path) => /^dist\/.+\.(js|d\.ts)$/.test(path))
      .filter((path) => !existsSync(join(packageRoot, path.slice("dist/".length).replace(/\.(d\.ts|js)$/, ".ts"))));
    expect(orphans).toEqual([]);
  });
});

/** The TypeScript modules under `dir` that the build compiles (tests excluded), relative to the kit. */
function tsSources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts") && !/\.test(-d)?\.ts$/.test(name))
    .map((name) => relative(packageRoot, join(dir, name)));
}
