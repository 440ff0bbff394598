import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import type { OpenApiDocument } from "../../src/spec/openapi-document.js";
import { expandSpec } from "./expand-spec.js";

/**
 * Reads the hand-written spec, inlines every external `$ref` (the example files) and expands what
 * the spec states compactly (expand-spec.ts), so that runtime code, openapi-typescript and Prism
 * read one self-contained document. Internal refs (`#/components/...`) are kept: the validators
 * and the type generator resolve them.
 */
export function bundleSpec(specPath: string): OpenApiDocument {
  const document = parse(readFileSync(specPath, "utf8")) as OpenApiDocument;
  return expandSpec(inlineExternalRefs(document, dirname(specPath)) as OpenApiDocument);
}

function inlineExternalRefs(node: unknown, baseDir: string): unknown {
  if (Array.isArray(node)) {
    return node.map((item) => inlineExternalRefs(item, baseDir));
  }
  if (node === null || typeof node !== "object") {
    return node;
  }
  const record = node as Record<string, unknown>;
  const ref = record.$ref;
  if (typeof ref === "string" && !ref.startsWith("#")) {
    const target = resolve(baseDir, ref);
    let text: string;
    try {
      text = readFileSync(target, "utf8");
    } catch {
      throw new Error(`spec: $ref '${ref}' points to a file that cannot be read (${target})`);
    }
    const loaded: unknown = target.endsWith(".json") ? JSON.parse(text) : parse(text);
    return inlineExternalRefs(loaded, dirname(target));
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = inlineExternalRefs(value, baseDir);
  }
  return out;
}
