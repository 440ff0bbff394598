import { readFileSync } from "node:fs";
import { loadOnFirstUse } from "../parts/load-on-first-use.js";
import type { JsonSchema } from "./openapi-document.js";

const yaml = loadOnFirstUse<typeof import("yaml")>("yaml");

/** spec/samples.yaml: realistic values per property, keyed `<Schema>.<property>[.<property>...]`. */
export type Samples = Map<string, unknown[]>;

export function readSamples(path: string): Samples {
  const raw = yaml().parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const samples: Samples = new Map();
  for (const [key, values] of Object.entries(raw ?? {})) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new Error(`samples: '${key}' must be a non-empty list`);
    }
    samples.set(key, values);
  }
  return samples;
}

/** `EducationSynchronizationProfile.@odata.context` -> schema name and property path. */
export function parseSampleKey(key: string): { schema: string; path: { property: string; items: boolean }[] } {
  const [schema, ...rest] = key.split(".");
  const segments: string[] = [];
  for (let i = 0; i < rest.length; i += 1) {
    const segment = rest[i] ?? "";
    // `@odata.context` is one property name with a dot in it.
    if (segment === "@odata" && i + 1 < rest.length) {
      segments.push(`@odata.${rest[i + 1]}`);
      i += 1;
    } else {
      segments.push(segment);
    }
  }
  if (!schema || segments.length === 0 || segments.some((s) => s === "" || s === "[]")) {
    throw new Error(`samples: '${key}' is not <Schema>.<property>`);
  }
  return {
    schema,
    path: segments.map((s) =>
      s.endsWith("[]") ? { property: s.slice(0, -2), items: true } : { property: s, items: false },
    ),
  };
}

/**
 * The subschema a sample key points at, inside `schemas` (which the caller may then change).
 * Samples only describe properties written inline: a key that runs into a `$ref` would change
 * every other user of the referenced schema, so it is refused.
 */
export function locateSampleTarget(schemas: Record<string, JsonSchema>, key: string): Record<string, unknown> {
  const { schema, path } = parseSampleKey(key);
  let node = schemas[schema];
  if (typeof node !== "object") throw new Error(`samples: '${key}' names no schema '${schema}'`);
  for (const { property, items } of path) {
    const properties = node.properties as Record<string, JsonSchema> | undefined;
    let next = properties?.[property];
    if (typeof next !== "object") throw new Error(`samples: '${key}': '${property}' is not a property`);
    if (items) {
      next = next.items as JsonSchema | undefined;
      if (typeof next !== "object") throw new Error(`samples: '${key}': '${property}' is not an array`);
    }
    node = next;
  }
  if (JSON.stringify(node).includes('"$ref"')) {
    throw new Error(
      `samples: '${key}' reaches a $ref; samples go on inline leaf properties (give them on the referenced schema)`,
    );
  }
  return node;
}
