import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";

const scratch = mkdtempSync(join(tmpdir(), "sds-layers-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A small tree laid out like the kit's: a module per layer, each importing only what it may. A
 * case adds one import and runs the kit's own dependency rules (`npm run lint:deps`) over it.
 */
const lawful: Record<string, string> = {
  "generated/route-table.ts": "export const operations = [];\n",
  "src/spec/model.ts":
    'import { operations } from "../../generated/route-table.js";\nexport const model = operations;\n',
  "src/graph/responses.ts": 'import { model } from "../spec/model.js";\nexport const respond = () => model;\n',
  "mocks/simulator/core.ts": 'import { respond } from "../../src/graph/responses.js";\nexport const core = respond;\n',
  "mocks/prism/facade.ts": 'import { respond } from "../../src/graph/responses.js";\nexport const facade = respond;\n',
  "src/client/client.ts": 'import { model } from "../spec/model.js";\nexport const client = model;\n',
  "src/cli/main.ts": 'import { core } from "../../mocks/simulator/core.js";\nexport const main = core;\n',
  "src/index.ts":
    'export { core } from "../mocks/simulator/core.js";\nexport { facade } from "../mocks/prism/facade.js";\nexport { client } from "./client/client.js";\n',
  "scripts/codegen/render.ts": 'import { model } from "../../src/spec/model.js";\nexport const render = model;\n',
  "test/core.test.ts": 'import { main } from "../src/cli/main.js";\nexport const checked = main;\n',
  "examples/app/src/app.ts": 'import { client } from "sds-contract-kit";\nexport const app = client;\n',
  // An optional part's package loaded on first use, its types imported up front: both lawful.
  "src/http/certificate.ts":
    'import type { generate } from "selfsigned";\nexport const certificate = async (): Promise<typeof generate> => (await import("selfsigned")).generate;\n',
  "src/site/docs-site.ts": 'import { Marked } from "marked";\nexport const site = () => new Marked();\n',
  "src/site/build-docs-site.ts": 'export const buildDocsSite = async () => (await import("./docs-site.js")).site();\n',
  "src/entries/docs.ts": 'export { buildDocsSite } from "../site/build-docs-site.js";\n',
};

async function cruise(name: string, extra: Record<string, string>): Promise<{ code: number; output: string }> {
  const root = join(scratch, name);
  for (const [path, text] of Object.entries({ ...lawful, ...extra })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  writeFileSync(
    join(root, "package.json"),
    JSON.stringify({
      name: "layers",
      type: "module",
      peerDependencies: { marked: "^18.3.0", selfsigned: "^5.5.0" },
      devDependencies: { "openapi-typescript": "7.13.0", marked: "18.3.0", selfsigned: "5.5.0" },
    }),
  );
  writeFileSync(
    join(root, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }),
  );
  symlinkSync(join(packageRoot, "node_modules"), join(root, "node_modules"));
  const depcruise = join(packageRoot, "node_modules", ".bin", "depcruise");
  const args = [
    "src",
    "mocks",
    "generated",
    "scripts",
    "test",
    "examples",
    "--config",
    join(packageRoot, ".dependency-cruiser.cjs"),
  ];
  try {
    const { stdout } = await promisify(execFile)(depcruise, args, { cwd: root });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

describe("the layer rules (npm run lint:deps)", () => {
  test("a tree whose imports point one way passes", async () => {
    const { code, output } = await cruise("lawful", {});
    expect(output).toMatch(/no dependency violations found/);
    expect(code).toBe(0);
  }, 30_000);

  // Each case adds one forbidden import, in a file of its own; one run judges them all.
  const forbidden: [string, string, string, string][] = [
    ["a cycle", "no-cycles", "src/spec/cycle-a.ts", 'import "./cycle-b.js";\nexport const a = 1;\n'],
    [
      "the foundation importing a part",
      "foundation-below-parts",
      "src/graph/leak.ts",
      'import { core } from "../../mocks/simulator/core.js";\nexport const leak = core;\n',
    ],
    [
      "a part importing the CLI",
      "parts-below-faces",
      "mocks/simulator/leak.ts",
      'import { main } from "../../src/cli/main.js";\nexport const leak = main;\n',
    ],
    [
      "one part importing another",
      "parts-independent",
      "mocks/prism/leak.ts",
      'import { core } from "../simulator/core.js";\nexport const leak = core;\n',
    ],
    [
      "generated code importing the kit",
      "generated-stands-alone",
      "generated/leak.ts",
      'import { model } from "../src/spec/model.js";\nexport const leak = model;\n',
    ],
    [
      "shipped code importing a build script",
      "runtime-not-on-tests-or-tools",
      "src/spec/tool-leak.ts",
      'import { render } from "../../scripts/codegen/render.js";\nexport const leak = render;\n',
    ],
    [
      "shipped code importing a devDependency",
      "runtime-not-on-dev-dependencies",
      "src/spec/dev-leak.ts",
      'import openapiTS from "openapi-typescript";\nexport const leak = openapiTS;\n',
    ],
    [
      "shipped code importing an optional part's package up front",
      "optional-parts-on-first-use",
      "src/http/eager-part.ts",
      'import { generate } from "selfsigned";\nexport const leak = generate;\n',
    ],
    [
      "an entry point importing the docs site's writer up front",
      "docs-site-on-first-use",
      "src/entries/eager-docs.ts",
      'export { site } from "../site/docs-site.js";\n',
    ],
    [
      "the optional parts' loader importing a part",
      "foundation-below-parts",
      "src/parts/leak.ts",
      'import { core } from "../../mocks/simulator/core.js";\nexport const leak = core;\n',
    ],
    [
      "an example importing the kit by path",
      "examples-use-the-package",
      "examples/app/src/leak.ts",
      'import { client } from "../../../src/client/client.js";\nexport const leak = client;\n',
    ],
    [
      "a test importing an example",
      "nothing-imports-examples",
      "test/example-leak.ts",
      'import { app } from "../examples/app/src/app.js";\nexport const leak = app;\n',
    ],
    [
      "an example importing what is not installed",
      "no-unresolvable-in-examples",
      "examples/app/src/missing.ts",
      'import { gone } from "./gone.js";\nexport const leak = gone;\n',
    ],
  ];
  let judged: Promise<{ code: number; output: string }> | undefined;
  const judgeAll = () => {
    judged ??= cruise("forbidden", {
      ...Object.fromEntries(forbidden.map(([, , file, text]) => [file, text])),
      "src/spec/cycle-b.ts": 'import "./cycle-a.js";\n',
    });
    return judged;
  };

  test.each(forbidden)(
    "%s fails with %s",
    async (_name, rule, file) => {
      const { code, output } = await judgeAll();
      expect(code).not.toBe(0);
      const reported = output.split("\n").filter((line) => line.includes(`error ${rule}:`));
      expect(
        reported.some((line) => line.includes(file)),
        `${rule} names ${file}:\n${output}`,
      ).toBe(true);
    },
    30_000,
  );
});
