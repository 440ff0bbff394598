import { type OdataTypeSpellings, odataTypeKeyword } from "./odata-types.js";
import type { JsonSchema, OpenApiDocument } from "./openapi-document.js";
import { locateSampleTarget, type Samples } from "./samples.js";
import { listOperations } from "./spec-operations.js";

/** Suffix of the response-side copies of the schemas in the Prism document. */
export const generatedVariantSuffix = "Generated";

/**
 * The spec with a copy of every schema tuned for generating data (`<Name>Generated`), for Prism's
 * dynamic mode and the fixture generators:
 * - properties with samples (spec/samples.yaml) draw from them instead of lorem ipsum;
 * - enums stop before `unknownFutureValue` unless `evolvable` is set: Graph sends the sentinel and
 *   the evolvable members after it only to clients that opt in.
 * Responses point at the copies; requests keep the spec's own schemas, so Prism validates them
 * unchanged. Examples are untouched, so Prism's static mode serves exactly the spec's examples.
 */
export function deriveGenerationDocument(
  document: OpenApiDocument,
  samples: Samples,
  options: { evolvable?: boolean } = {},
): OpenApiDocument {
  const out = structuredClone(document);
  const originals = out.components.schemas;
  const variants: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(originals)) {
    const copy = withCanonicalOdataType(withoutForbiddenProperties(retarget(structuredClone(schema))));
    variants[name] = options.evolvable ? copy : withoutEvolvableMembers(copy);
  }
  for (const [key, values] of samples) {
    // A sample for a schema holds for its request form too (`<Name>Input`, expand-spec.ts).
    const [schemaName = "", ...rest] = key.split(".");
    const keys = [key, ...(`${schemaName}Input` in variants ? [[`${schemaName}Input`, ...rest].join(".")] : [])];
    for (const sampleKey of keys) {
      const target = locateSampleTarget(variants, sampleKey);
      target.enum = values;
      // json-schema-faker prefers a pattern over an enum; the samples already satisfy it.
      delete target.pattern;
    }
  }
  for (const [name, schema] of Object.entries(variants)) {
    originals[`${name}${generatedVariantSuffix}`] = schema;
  }
  for (const op of listOperations(document)) {
    const responses = out.paths[op.path]?.[op.method]?.responses ?? {};
    for (const status of Object.keys(op.responses)) {
      // Shared responses are inlined so that each operation's copy can point at the variants.
      const response = structuredClone(op.responses[status]);
      const media = response?.content?.["application/json"];
      if (media?.schema !== undefined) media.schema = retarget(media.schema);
      if (response) responses[status] = response;
    }
  }
  return out;
}

/** Points every schema reference at the generation copy of its target. */
export function retarget<T>(node: T): T {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => {
        if (key === "$ref" && typeof inner === "string" && inner.startsWith("#/components/schemas/")) {
          return [key, `${inner}${generatedVariantSuffix}`];
        }
        if (key === "mapping" && inner !== null && typeof inner === "object") {
          return [key, Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, `${v}${generatedVariantSuffix}`]))];
        }
        return [key, walk(inner)];
      }),
    );
  };
  return walk(node) as T;
}

/** `id: false` forbids a property; with additionalProperties false, leaving it out says the same, and generators cope. */
function withoutForbiddenProperties(schema: JsonSchema): JsonSchema {
  if (typeof schema === "object" && schema.properties && typeof schema.properties === "object") {
    schema.properties = Object.fromEntries(
      Object.entries(schema.properties).filter(([, property]) => property !== false),
    );
  }
  return schema;
}

/** Generated data names each type by its canonical `@odata.type`, as the kit's servers do. */
function withCanonicalOdataType(schema: JsonSchema): JsonSchema {
  const property =
    typeof schema === "object"
      ? (schema.properties as Record<string, Record<string, unknown>> | undefined)?.["@odata.type"]
      : undefined;
  const spellings = property?.[odataTypeKeyword] as OdataTypeSpellings | undefined;
  if (property && spellings) {
    delete property.pattern;
    property.enum = [spellings.canonical];
  }
  return schema;
}

function withoutEvolvableMembers(schema: JsonSchema): JsonSchema {
  if (typeof schema === "object" && Array.isArray(schema.enum)) {
    const sentinel = schema.enum.indexOf("unknownFutureValue");
    if (sentinel >= 0) schema.enum = schema.enum.slice(0, sentinel);
  }
  return schema;
}
