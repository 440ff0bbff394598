import { type JsonSchema, type OpenApiDocument, resolveReference } from "./openapi-document.js";

/** A schema object as the walkers over example values read it. */
export type SchemaNode = Record<string, unknown> & {
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema;
  oneOf?: JsonSchema[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  items?: JsonSchema;
};

/**
 * The schema a value is an instance of: references followed, and a oneOf settled by the value
 * (by its `@odata.type` through the discriminator, else by being null or not, else by its type).
 * Undefined when the value fits no branch (an unknown `@odata.type`) or the schema is boolean.
 */
export function instanceSchema(
  document: OpenApiDocument,
  raw: JsonSchema | undefined,
  value: unknown,
): SchemaNode | undefined {
  if (raw === undefined || typeof raw === "boolean") return undefined;
  const schema = resolveReference<SchemaNode>(document, raw as SchemaNode);
  if (!schema.oneOf) return schema;
  if (schema.discriminator && value !== null && typeof value === "object") {
    const tag = (value as Record<string, unknown>)[schema.discriminator.propertyName];
    const ref = schema.discriminator.mapping?.[String(tag)];
    return ref ? instanceSchema(document, { $ref: ref }, value) : undefined;
  }
  const branches = schema.oneOf
    .map((branch) => instanceSchema(document, branch, value))
    .filter((b): b is SchemaNode => b !== undefined);
  if (value === null) return branches.find((b) => b.type === "null");
  const nonNull = branches.filter((b) => b.type !== "null");
  return nonNull.length === 1
    ? nonNull[0]
    : (nonNull.find((b) => b.type === (Array.isArray(value) ? "array" : typeof value)) ?? nonNull[0]);
}
