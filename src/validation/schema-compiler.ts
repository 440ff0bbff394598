import { createRequire } from "node:module";
import type { Ajv2020, Options, ValidateFunction } from "ajv/dist/2020.js";
import type addFormatsModule from "ajv-formats";
import { type JsonSchema, type OpenApiDocument, resolveReference } from "../spec/openapi-document.js";
import { jsonContent, listOperations, type SpecOperation } from "../spec/spec-operations.js";
import { allowedTypesKeyword, canonicalTypesKeyword } from "./ajv-errors.js";

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
  ajv.addVocabulary(["components", "example", allowedTypesKeyword, canonicalTypesKeyword]);
  return ajv;
}

/** An Ajv holding the spec's components, ready to compile bodies that refer to them. */
export function createSchemaAjv(
  document: OpenApiDocument,
  options: { strict: boolean; code?: Options["code"] },
): Ajv2020 {
  const ajv = createAjv({ coerceTypes: false, ...options });
  ajv.addSchema({ $id: specId, components: { schemas: prepareSchemas(document) } });
  return ajv;
}

/**
 * Ajv does not take a discriminator `mapping` (it reads each branch's `@odata.type` enum instead).
 * The mapping is replaced by annotations the error formatter uses to name the accepted values.
 */
function prepareSchemas(document: OpenApiDocument): Record<string, JsonSchema> {
  const schemas = structuredClone(document.components.schemas);
  for (const schema of Object.values(schemas)) {
    if (typeof schema !== "object" || typeof schema.discriminator !== "object" || schema.discriminator === null) {
      continue;
    }
    const { mapping, ...discriminator } = schema.discriminator as { mapping?: Record<string, string> };
    schema.discriminator = discriminator;
    schema[allowedTypesKeyword] = Object.keys(mapping ?? {});
    const branches = (schema.oneOf as { $ref: string }[] | undefined) ?? [];
    schema[canonicalTypesKeyword] = branches.map((branch) => {
      const target = resolveReference<Record<string, unknown>>(document, branch);
      const typeProperty = (target.properties as Record<string, { enum?: string[] }> | undefined)?.["@odata.type"];
      return typeProperty?.enum?.[0] ?? branch.$ref;
    });
  }
  return schemas;
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
      if (!found.has(id)) found.set(id, absolutizeRefs(schema));
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
