import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";

const run = promisify(execFile);
const spectral = join(packageRoot, "node_modules", ".bin", "spectral");
const scratch = mkdtempSync(join(tmpdir(), "sds-spectral-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function lint(specPath: string): Promise<{ code: number; output: string }> {
  const args = ["lint", specPath, "--ruleset", join(packageRoot, ".spectral.yaml"), "--format", "json", "--quiet"];
  try {
    const { stdout } = await run(spectral, args, { cwd: packageRoot });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? 1, output: failed.stdout ?? "" };
  }
}

describe("spec lint (npm run lint:spec)", () => {
  test("the kit's own rules catch each kind of breakage", async () => {
    const copy = join(scratch, "spec");
    cpSync(join(packageRoot, "spec"), copy, { recursive: true });
    const specPath = join(copy, "openapi.yaml");
    const breakages: [string, string][] = [
      ["      summary: Get a synchronization profile\n", ""],
      [
        '        "429": { $ref: "#/components/responses/TooManyRequests" }\n',
        '        "429": { $ref: "#/components/responses/OkNoBody" }\n',
      ],
      [
        '              examples:\n                documented:\n                  $ref: "./examples/getSynchronizationProfileUploadUrl.201.json"\n',
        "",
      ],
      [
        "      x-permissions:\n        delegated: [EduAdministration.ReadWrite]\n        application: []\n",
        "      x-permissions:\n        delegated: [EduAdministration.ReadWrite.All]\n        application: []\n",
      ],
    ];
    let text = readFileSync(specPath, "utf8");
    for (const [from, to] of breakages) {
      expect(text).toContain(from);
      text = text.replace(from, to);
    }
    writeFileSync(specPath, text);
    const example = join(copy, "examples", "getSynchronizationProfile.200.json");
    writeFileSync(example, readFileSync(example, "utf8").replace('"state": "provisioned"', '"state": "Provisioned"'));

    const { code, output } = await lint(specPath);
    expect(code).not.toBe(0);
    const rules = new Set((JSON.parse(output) as { code: string }[]).map((result) => result.code));
    for (const rule of [
      "operation-summary-present",
      "graph-error-responses",
      "response-examples-present",
      "graph-permissions",
      "oas3-valid-media-example",
    ]) {
      expect(rules, rule).toContain(rule);
    }
  }, 60_000);
});
