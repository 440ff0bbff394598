import { guaranteedFields } from "./guaranteed-fields.js";
import { type OdataTypeSpellings, odataTypeKeyword } from "./odata-types.js";
import { type JsonSchema, type OpenApiDocument, requestFormSuffix } from "./openapi-document.js";
import { locateSampleTarget, type Samples } from "./samples.js";
import { listOperations } from "./spec-operations.js";

/** Suffix of the response-side copies of the schemas in the Prism document. */
export const generatedVariantSuffix = "Generated";

/**
 * The spec with a copy of every schema tuned for generating data (`<Name>Generated`), for Prism's
 * dynamic mode and the fixture generators:
 * - properties with samples (spec/samples.yaml) draw from them instead of lorem ipsum;
 * - enums stop before `unknownFutureValue` unless `evolvable` is set: Graph sends the sentinel and
 *   the evolvable members after it only to clients that opt in;
 * - a response form (a schema without the `Input` suffix of the request forms) is closed and has
 *   no write-only property: the spec leaves responses open so that a client tolerates what Graph
 *   may add, but what the kit generates holds only what the spec declares, and never a secret
 *   (decisions.md#open-responses, decisions.md#secrets).
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
    // After the samples, which name the request forms' write-only properties too.
    if (!name.endsWith(requestFormSuffix)) asGeneratedResponse(schema);
    originals[`${name}${generatedVariantSuffix}`] = schema;
  }
  for (const op of listOperations(document)) {
    const responses = out.paths[op.path]?.[op.method]?.responses ?? {};
    for (const status of Object.keys(op.responses)) {
      // Shared responses are inlined so that each operation's copy can point at the variants.
      const response = structuredClone(op.responses[status]);
      const media = response?.content?.["application/json"];
      if (media?.schema !== undefined) {
        media.schema = retarget(media.schema);
        // What the pages promise in this answer is always generated, never null (decisions.md#guaranteed-fields).
        const promised = guaranteedFields(response);
        if (promised) media.schema = withGuaranteed(originals, media.schema, promised.fields);
      }
      if (response) responses[status] = response;
    }
  }
  return out;
}

/**
 * A generation copy of a schema (a `$ref` to one) in which the guaranteed fields are required and
 * never null: `state`, or `value[].state` for each item of a collection. Copies are added to
 * `schemas` under a name that says what they promise, and reused.
 */
function withGuaranteed(
  schemas: Record<string, JsonSchema>,
  schema: JsonSchema,
  fields: readonly string[],
): JsonSchema {
  const ref = typeof schema === "object" && typeof schema.$ref === "string" ? schema.$ref : undefined;
  const name = ref?.replace("#/components/schemas/", "");
  const target = name === undefined ? undefined : schemas[name];
  if (name === undefined || typeof target !== "object") return schema;
  const copyName = `${name}With${fields.map((f) => f.replace(/\W+(\w)/g, (_m, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase())).join("")}`;
  if (!(copyName in schemas)) {
    const copy = structuredClone(target) as Record<string, unknown>;
    const properties = (copy.properties ?? {}) as Record<string, JsonSchema>;
    const own = fields.filter((field) => !field.includes("."));
    copy.required = [
      ...new Set([...((copy.required as string[] | undefined) ?? []), ...own.map((f) => f.replace(/\[\]$/, ""))]),
    ];
    for (const field of own) {
      const property = properties[field];
      if (property !== undefined) properties[field] = withoutNull(property);
    }
    const nested = new Map<string, string[]>();
    for (const field of fields.filter((f) => f.includes("."))) {
      const [head = "", ...rest] = field.split(".");
      nested.set(head, [...(nested.get(head) ?? []), rest.join(".")]);
    }
    for (const [head, inner] of nested) {
      const property = properties[head.replace(/\[\]$/, "")];
      if (head.endsWith("[]") && typeof property === "object" && property.items !== undefined)
        property.items = withGuaranteed(schemas, property.items as JsonSchema, inner);
      else if (property !== undefined) properties[head] = withGuaranteed(schemas, property, inner);
    }
    schemas[copyName] = copy;
  }
  return { $ref: `#/components/schemas/${copyName}` };
}

/** A property schema without its null: the `null` type, or a `{ type: "null" }` branch. */
function withoutNull(schema: JsonSchema): JsonSchema {
  if (typeof schema !== "object") return schema;
  const copy = { ...schema };
  if (Array.isArray(copy.type)) copy.type = copy.type.filter((t) => t !== "null");
  if (Array.isArray(copy.oneOf)) {
    const branches = copy.oneOf.filter(
      (b) => !(typeof b === "object" && b !== null && (b as { type?: unknown }).type === "null"),
    );
    delete copy.oneOf;
    if (branches.length === 1) Object.assign(copy, branches[0] as object);
    else copy.oneOf = branches;
  }
  return copy;
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

/** A response form as the kit generates it: only declared properties, and none that is write-only. */
function asGeneratedResponse(schema: JsonSchema): void {
  if (typeof schema !== "object" || !schema.properties || typeof schema.properties !== "object") return;
  schema.properties = Object.fromEntries(
    Object.entries(schema.properties).filter(
      ([, property]) => !(typeof property === "object" && (property as { writeOnly?: unknown }).writeOnly === true),
    ),
  );
  schema.additionalProperties ??= false;
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
