import { createRequire } from "node:module";
import type { Ajv2020, Options, ValidateFunction } from "ajv/dist/2020.js";
import type addFormatsModule from "ajv-formats";
import { type OdataTypeSpellings, odataTypeKeyword } from "../spec/odata-types.js";
import { type JsonSchema, type OpenApiDocument, resolveReference } from "../spec/openapi-document.js";
import { navigationKeyword } from "../spec/projection.js";
import { excludedValuesKeyword, sourceForKeyword, sourceKeyword } from "../spec/provenance.js";
import { jsonContent, listOperations, type SpecOperation } from "../spec/spec-operations.js";
import { allowedTypesKeyword, canonicalTypesKeyword, writeOnlyKeyword } from "./ajv-errors.js";

// Ajv loads only when something is compiled at run time: with the validators generated ahead
// of time, a server never needs it, and starts ~20 ms sooner.
const require = createRequire(import.meta.url);
const loadAjv = () => (require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js")).Ajv2020;
const loadAddFormats = () => require("ajv-formats") as typeof addFormatsModule.default;

/** The id the spec's components are registered under; refs become `${specId}#/components/...`. */
export const specId = "urn:sds-contract-kit:openapi";

export function createAjv(options: { coerceTypes: boolean; strict: boolean; code?: Options["code"] }): Ajv2020 {
  const Ajv = loadAjv();
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: options.strict,
    // OpenAPI puts the discriminator property in each branch's `required`, not the parent's.
    strictRequired: false,
    allowUnionTypes: true,
    discriminator: true,
    coerceTypes: options.coerceTypes,
    ...(options.code ? { code: options.code } : {}),
  });
  loadAddFormats()(ajv);
  ajv.addVocabulary([
    "components",
    "example",
    allowedTypesKeyword,
    canonicalTypesKeyword,
    sourceKeyword,
    odataTypeKeyword,
    writeOnlyKeyword,
    "x-sds-known-values",
    "x-sds-rules",
    navigationKeyword,
    excludedValuesKeyword,
  ]);
  return ajv;
}

/** An Ajv holding the spec's components, ready to compile bodies that refer to them. */
export function createSchemaAjv(
  document: OpenApiDocument,
  options: { strict: boolean; code?: Options["code"]; declaredOnly?: boolean },
): Ajv2020 {
  const ajv = createAjv({ coerceTypes: false, ...options });
  ajv.addSchema({
    $id: specId,
    components: { schemas: prepareSchemas(document, { declaredOnly: options.declaredOnly === true }) },
  });
  return ajv;
}

/**
 * The spec's schemas as Ajv compiles them:
 * - Ajv's discriminator reads each branch's `@odata.type` `enum`, not a mapping or a pattern, so
 *   each branch accepts its canonical spelling, and values are brought to it before validation
 *   (any accepted spelling, in any case: src/spec/odata-types.ts); the mapping is replaced by
 *   annotations the error formatter uses to name the accepted types;
 * - `declaredOnly` closes every object to the properties it declares and refuses write-only ones:
 *   the stricter check the kit's own servers are held to (decisions.md#open-responses).
 */
function prepareSchemas(document: OpenApiDocument, options: { declaredOnly: boolean }): Record<string, JsonSchema> {
  const schemas = structuredClone(document.components.schemas);
  const canonicalOf = (ref: string): string => {
    const target = resolveReference<Record<string, unknown>>(document, { $ref: ref });
    const property = (target.properties as Record<string, Record<string, unknown>> | undefined)?.["@odata.type"];
    return (property?.[odataTypeKeyword] as OdataTypeSpellings | undefined)?.canonical ?? ref;
  };
  for (const schema of Object.values(schemas)) {
    if (typeof schema !== "object") continue;
    const property = (schema.properties as Record<string, Record<string, unknown>> | undefined)?.["@odata.type"];
    const spellings = property?.[odataTypeKeyword] as OdataTypeSpellings | undefined;
    if (property && spellings) {
      delete property.pattern;
      property.enum = [spellings.canonical];
    }
    if (typeof schema.discriminator === "object" && schema.discriminator !== null) {
      const { mapping, ...discriminator } = schema.discriminator as { mapping?: Record<string, string> };
      schema.discriminator = discriminator;
      schema[allowedTypesKeyword] = Object.keys(mapping ?? {});
      const branches = (schema.oneOf as { $ref: string }[] | undefined) ?? [];
      schema[canonicalTypesKeyword] = branches.map((branch) => canonicalOf(branch.$ref));
    }
  }
  for (const schema of Object.values(schemas)) {
    propagateSources(schema, undefined);
    markForbiddenProperties(schema);
  }
  if (options.declaredOnly) for (const schema of Object.values(schemas)) closeDeclared(schema);
  return schemas;
}

/**
 * A property the spec forbids with `false` ("never sent") becomes `{ not: {} }` carrying its
 * owner's `readOnly` source: the same verdict, with a schema that can say where it comes from.
 */
function markForbiddenProperties(node: unknown): void {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return;
  const schema = node as Record<string, unknown>;
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (properties) {
    for (const [name, property] of Object.entries(properties)) {
      if (property === false) {
        properties[name] = { not: {}, [sourceKeyword]: sourceForKeyword(schema[sourceKeyword], "readOnly") };
      }
    }
  }
  for (const child of subschemas(schema)) markForbiddenProperties(child);
}

/** The subschemas of a schema node, by the keywords that hold them. */
export function subschemas(schema: Record<string, unknown>): unknown[] {
  const found: unknown[] = [];
  for (const key of ["properties", "patternProperties", "$defs"]) {
    const map = schema[key];
    if (map !== null && typeof map === "object") found.push(...Object.values(map));
  }
  for (const key of [
    "items",
    "not",
    "additionalProperties",
    "if",
    "then",
    "else",
    "contains",
    "unevaluatedProperties",
  ]) {
    if (schema[key] !== null && typeof schema[key] === "object") found.push(schema[key]);
  }
  for (const key of ["oneOf", "anyOf", "allOf", "prefixItems"]) {
    if (Array.isArray(schema[key])) found.push(...(schema[key] as unknown[]));
  }
  return found;
}

/**
 * Gives every subschema the `x-sds-source` of its nearest annotated ancestor, so that an Ajv error
 * (whose `parentSchema` is the subschema holding the failed keyword) always says where its rule
 * comes from.
 */
export function propagateSources(node: unknown, inherited: unknown): void {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return;
  const schema = node as Record<string, unknown>;
  if (schema[sourceKeyword] === undefined && inherited !== undefined) schema[sourceKeyword] = inherited;
  for (const child of subschemas(schema)) propagateSources(child, schema[sourceKeyword]);
}

function closeDeclared(node: unknown): void {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return;
  const schema = node as Record<string, unknown>;
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (properties && schema.additionalProperties === undefined) {
    schema.additionalProperties = false;
    const source = schema[sourceKeyword];
    schema[sourceKeyword] = {
      ...(typeof source === "object" && source !== null ? (source as Record<string, string>) : { default: source }),
      additionalProperties: "kit decisions.md#open-responses",
    };
  }
  if (properties) {
    for (const [name, property] of Object.entries(properties)) {
      if (property !== null && typeof property === "object" && (property as Record<string, unknown>).writeOnly) {
        const source = sourceForKeyword((property as Record<string, unknown>)[sourceKeyword], "writeOnly");
        properties[name] = {
          not: {},
          [writeOnlyKeyword]: true,
          ...(source === undefined ? {} : { [sourceKeyword]: source }),
        };
      }
    }
  }
  for (const child of subschemas(schema)) closeDeclared(child);
}

/** A body schema ready to add to an Ajv holding the spec: refs absolute, sources propagated. */
export function compilableBody(schema: JsonSchema): JsonSchema {
  const body = absolutizeRefs(schema);
  propagateSources(body, undefined);
  return body;
}

export function absolutizeRefs(node: JsonSchema): JsonSchema {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === "$ref" && typeof inner === "string" && inner.startsWith("#") ? `${specId}${inner}` : walk(inner),
      ]),
    );
  };
  return walk(node) as JsonSchema;
}

/**
 * The id a body schema is compiled under: a component's own ref, or, for a schema written inline
 * in an operation, one named after the operation and status (`request` for the request body).
 */
export function bodySchemaId(schema: JsonSchema, operationId: string, where: string): string {
  if (typeof schema === "object" && typeof schema.$ref === "string" && Object.keys(schema).length === 1) {
    return `${specId}${schema.$ref}`;
  }
  return `urn:sds-contract-kit:inline:${operationId}:${where}`;
}

/** Every body schema the validators use: each component, and each operation's inline body schema. */
export function bodySchemas(document: OpenApiDocument): { id: string; schema: JsonSchema | undefined }[] {
  const found = new Map<string, JsonSchema | undefined>();
  for (const name of Object.keys(document.components.schemas))
    found.set(`${specId}#/components/schemas/${name}`, undefined);
  for (const op of listOperations(document)) {
    const bodies: [string, JsonSchema | undefined][] = [
      ["request", jsonContent(op.requestBody?.content)?.schema],
      ...Object.entries(op.responses).map(([status, r]): [string, JsonSchema | undefined] => [
        status,
        jsonContent(r.content)?.schema,
      ]),
    ];
    for (const [where, schema] of bodies) {
      if (schema === undefined) continue;
      const id = bodySchemaId(schema, op.operationId, where);
      if (found.has(id)) continue;
      found.set(id, compilableBody(schema));
    }
  }
  return [...found].map(([id, schema]) => ({ id, schema }));
}

export type ParameterLocation = "path" | "query" | "header";
export const parameterLocations: ParameterLocation[] = ["path", "query", "header"];

export function parameterSchemaId(operationId: string, location: ParameterLocation): string {
  return `urn:sds-contract-kit:parameters:${operationId}:${location}`;
}

/** One object schema for an operation's parameters in one location (header names lowercased). */
export function parameterSchema(operation: SpecOperation, location: ParameterLocation): JsonSchema {
  const parameters = operation.parameters.filter((p) => p.in === location);
  const key = (name: string) => (location === "header" ? name.toLowerCase() : name);
  return {
    type: "object",
    properties: Object.fromEntries(parameters.map((p) => [key(p.name), p.schema ?? {}])),
    required: parameters.filter((p) => p.required).map((p) => key(p.name)),
  };
}

/**
 * The validators `npm run generate` compiled ahead of time (generated/validators.cjs), by schema
 * id; undefined when the file is absent, in which case everything compiles at run time.
 */
export function loadPrecompiled(path: string): Map<string, ValidateFunction> | undefined {
  let module: { ids: Record<string, string> } & Record<string, ValidateFunction>;
  try {
    module = require(path);
  } catch {
    return undefined;
  }
  return new Map(
    Object.entries(module.ids).flatMap(([id, name]) => (module[name] ? [[id, module[name]] as const] : [])),
  );
}
