import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { packageRoot } from "../../src/package-root.js";

export const examplesDir = join(packageRoot, "spec", "examples");

/** The hand-written spec as written: external example `$ref`s are still references here. */
export function readSpecSource(): Record<string, unknown> {
  return parse(readFileSync(join(packageRoot, "spec", "openapi.yaml"), "utf8")) as Record<string, unknown>;
}

export function exampleFileNames(): string[] {
  return readdirSync(examplesDir)
    .filter((name) => name.endsWith(".json"))
    .sort();
}

export function readExample(name: string): { summary: string; description?: string; value: unknown } {
  return JSON.parse(readFileSync(join(examplesDir, `${name}.json`), "utf8"));
}

/** Every `$ref` to an example file in the spec source, with the JSON path where it stands. */
export function exampleReferences(): { file: string; at: string[] }[] {
  const found: { file: string; at: string[] }[] = [];
  const walk = (node: unknown, at: string[]) => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, [...at, String(index)]);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === "string" && ref.startsWith("./examples/")) {
      found.push({ file: ref.slice("./examples/".length), at });
      return;
    }
    for (const [key, value] of Object.entries(node)) walk(value, [...at, key]);
  };
  walk(readSpecSource(), []);
  return found;
}
