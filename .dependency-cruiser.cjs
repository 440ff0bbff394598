/**
 * The kit's layers, as rules (`npm run lint:deps`, part of `npm test`). Dependencies point one way:
 *
 *   generated/  <-  foundation  <-  parts  <-  faces
 *
 * - foundation: src/spec, src/validation, src/graph, src/http, src/process, src/auth, src/format,
 *   src/csv, src/site, src/parts, src/lifecycle, src/random, src/package-root.ts (the spec model, validators,
 *   Graph's responses, HTTP and process helpers, test tokens, report formats, the CSV roster rules,
 *   the documentation site that both servers serve and the CLI writes, the optional parts' loader,
 *   the lifecycle's vocabulary and each operation's place in it; the site reads the simulator's
 *   lifecycle tables from generated/lifecycle.json, which `npm run generate` derives from them);
 * - parts: mocks/prism, mocks/simulator, src/client, src/fixtures, src/pact, src/conform; no part
 *   imports another;
 * - faces: src/cli and the package's entry points, src/index.ts and src/entries/ (one per subpath).
 * The optional parts' packages (package.json peerDependencies: Prism, Pact, Azurite, the Storage
 * SDK, the docs site's renderers, selfsigned) are loaded by import() on first use, never up front.
 * Build-time generation (scripts/) stands beside the faces: it may use the foundation, and nothing
 * that ships imports it. Tests, contracts and benchmarks may import anything; nothing imports them.
 * The examples (examples/) are projects of a team's: they reach the kit by its package name, as
 * installed from its tarball where they run, and nothing of the kit's imports them.
 */
const foundation =
  "^src/(spec|validation|graph|http|process|auth|format|csv|site|parts|lifecycle|random)/|^src/package-root\\.ts$";
const parts = "^(mocks/[^/]+|src/(?:client|fixtures|pact|conform))/";
const faces = "^src/cli/|^src/entries/|^src/index\\.ts$";
// The documentation site's writer and its Markdown renderer: loaded only by import() (src/site/build-docs-site.ts).
const docsSiteModules = "^src/site/(docs-site|markdown-page)\\.ts$";
// Imports that load nothing when the module runs: a type, or an import() on first use.
const notLoadedUpFront = ["type-only", "type-import", "dynamic-import"];
const runtime = "^(src|mocks|generated)/";
const testsAndTools = "^(test|contracts|bench|scripts)/";

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "A module never reaches itself again through its imports.",
      from: {},
      to: { circular: true },
    },
    {
      name: "generated-stands-alone",
      severity: "error",
      comment: "generated/ is derived from the spec and imports nothing of the kit's.",
      from: { path: "^generated/" },
      to: { path: "^(src|mocks|scripts|test|contracts|bench)/" },
    },
    {
      name: "foundation-below-parts",
      severity: "error",
      comment:
        "The foundation (spec, validation, Graph responses, HTTP, tokens) knows nothing of the parts built on it.",
      from: { path: foundation },
      to: { path: `${parts}|${faces}` },
    },
    {
      name: "parts-below-faces",
      severity: "error",
      comment: "The mocks, client, fixtures and pact tooling never import the CLI or the package entry point.",
      from: { path: parts },
      to: { path: faces },
    },
    {
      name: "parts-independent",
      severity: "error",
      comment: "No part imports another: what two parts share belongs in the foundation.",
      from: { path: parts },
      to: { path: parts, pathNot: "^$1/" },
    },
    {
      name: "runtime-not-on-tests-or-tools",
      severity: "error",
      comment: "What ships (src, mocks, generated) never imports tests, contracts, benchmarks or build scripts.",
      from: { path: runtime },
      to: { path: testsAndTools },
    },
    {
      name: "runtime-not-on-dev-dependencies",
      severity: "error",
      comment:
        "What ships runs with the package's dependencies and its optional parts (peers, also dev dependencies so that the tests have them) only.",
      from: { path: runtime },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only", "type-import", "npm-peer"] },
    },
    {
      name: "optional-parts-on-first-use",
      severity: "error",
      comment:
        "An optional part's package (a peer dependency) is loaded by import() where the part is used, so that importing the kit never needs it.",
      from: { path: runtime, pathNot: docsSiteModules },
      to: { dependencyTypes: ["npm-peer"], dependencyTypesNot: notLoadedUpFront },
    },
    {
      name: "docs-site-on-first-use",
      severity: "error",
      comment:
        "The documentation site's writer imports its renderers (redoc, marked) up front, so it is itself loaded only by import().",
      from: { path: runtime, pathNot: docsSiteModules },
      to: { path: docsSiteModules, dependencyTypesNot: notLoadedUpFront },
    },
    {
      name: "examples-use-the-package",
      severity: "error",
      comment: "An example imports the kit by its package name, never by a path into this repository.",
      from: { path: "^examples/" },
      to: { path: "^(src|mocks|generated|scripts|test|contracts|bench|bin)/" },
    },
    {
      name: "nothing-imports-examples",
      severity: "error",
      comment: "The examples stand apart: the kit, its tests and its tools never import them.",
      from: { pathNot: "^examples/" },
      to: { path: "^examples/" },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      comment: "Every import resolves.",
      from: { pathNot: "^examples/" },
      to: { couldNotResolve: true },
    },
    {
      name: "no-unresolvable-in-examples",
      severity: "error",
      comment: "Every import of an example resolves, but the kit's own name: it is installed where the example runs.",
      from: { path: "^examples/" },
      to: { couldNotResolve: true, pathNot: "^sds-contract-kit(/|$)" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // node_modules stays in the graph (unfollowed), so that the rules on packages can see it.
    exclude: { path: "^dist/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".cjs", ".mjs", ".json", ".d.ts"],
      // Packages of types alone (Microsoft's Graph types) name their entry in `types`, not `main`.
      mainFields: ["module", "main", "types"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
