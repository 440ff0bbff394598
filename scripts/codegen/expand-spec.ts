import {
  caseInsensitivePattern,
  namedSpellings,
  type OdataTypeSpellings,
  odataTypeKeyword,
  odataTypeProperties,
} from "../../src/spec/odata-types.js";
import { type JsonSchema, type OpenApiDocument, requestFormSuffix } from "../../src/spec/openapi-document.js";
import { listOperations } from "../../src/spec/spec-operations.js";
import { subschemas } from "../../src/validation/schema-compiler.js";

/**
 * What `npm run generate` writes into the bundled spec beyond the hand-written one, so that every
 * tool reading generated/openapi.json sees the rules the kit enforces:
 * - each `@odata.type` that lists its spellings gets the pattern accepting them in any case, and
 *   each discriminator the mapping from every named spelling to its branch;
 * - every object a request body can carry gets a closed `<Name>Input` copy, and request bodies
 *   point at those (decisions.md#closed-requests): responses stay open, requests do not.
 */
export function expandSpec(document: OpenApiDocument): OpenApiDocument {
  expandOdataTypes(document);
  deriveRequestVariants(document);
  return document;
}

const closedRequestsSource = "kit decisions.md#closed-requests";
const schemaPrefix = "#/components/schemas/";

function expandOdataTypes(document: OpenApiDocument): void {
  const spellingsBySchema = new Map<string, OdataTypeSpellings>();
  for (const { schemaName, property, spellings } of odataTypeProperties(document)) {
    property.pattern = caseInsensitivePattern(spellings);
    spellingsBySchema.set(schemaName, spellings);
  }
  for (const schema of Object.values(document.components.schemas)) {
    if (typeof schema !== "object" || typeof schema.discriminator !== "object" || schema.discriminator === null)
      continue;
    const mapping: Record<string, string> = {};
    for (const branch of (schema.oneOf as { $ref: string }[] | undefined) ?? []) {
      const spellings = spellingsBySchema.get(branch.$ref.slice(schemaPrefix.length));
      if (!spellings) throw new Error(`spec: ${branch.$ref} is a discriminated branch without ${odataTypeKeyword}`);
      for (const spelling of namedSpellings(spellings)) mapping[spelling] = branch.$ref;
    }
    (schema.discriminator as Record<string, unknown>).mapping = mapping;
  }
}

/** Schema names a schema refers to, directly. */
function referencedNames(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) referencedNames(item, into);
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith(schemaPrefix)) {
        into.add(value.slice(schemaPrefix.length));
      } else if (key !== "mapping" && !key.startsWith("x-")) {
        referencedNames(value, into);
      }
    }
  }
  return into;
}

function deriveRequestVariants(document: OpenApiDocument): void {
  const schemas = document.components.schemas;
  const roots = new Set<string>();
  for (const operation of listOperations(document)) {
    const schema = operation.requestBody?.content["application/json"]?.schema;
    for (const name of referencedNames(schema)) roots.add(name);
  }
  // Everything a request body reaches.
  const reachable = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const name = pending.pop() ?? "";
    for (const next of referencedNames(schemas[name])) {
      if (!reachable.has(next) && !roots.has(next)) {
        reachable.add(next);
        pending.push(next);
      }
    }
  }
  // Which of them need a request copy: objects, and whatever refers to one that does. Enums need
  // none, unless the spec gives one by hand (EducationUserRoleInput).
  const needsCopy = new Set<string>();
  const handWritten = new Set([...reachable].filter((name) => `${name}${requestFormSuffix}` in schemas));
  let grew = true;
  while (grew) {
    grew = false;
    for (const name of reachable) {
      if (needsCopy.has(name) || handWritten.has(name)) continue;
      const schema = schemas[name];
      const isObject = typeof schema === "object" && (schema.type === "object" || schema.properties !== undefined);
      const refersToCopy = [...referencedNames(schema)].some((ref) => needsCopy.has(ref) || handWritten.has(ref));
      if (isObject || refersToCopy) {
        needsCopy.add(name);
        grew = true;
      }
    }
  }
  const renamed = new Set([...needsCopy, ...handWritten]);
  const retarget = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(retarget);
    if (node === null || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        const name = value.startsWith(schemaPrefix) ? value.slice(schemaPrefix.length) : "";
        out[key] = renamed.has(name) ? `${value}${requestFormSuffix}` : value;
      } else if (key === "mapping" && value !== null && typeof value === "object") {
        out[key] = Object.fromEntries(
          Object.entries(value).map(([spelling, ref]) => {
            const name = typeof ref === "string" ? ref.slice(schemaPrefix.length) : "";
            return [spelling, renamed.has(name) ? `${ref}${requestFormSuffix}` : ref];
          }),
        );
      } else {
        out[key] = key.startsWith("x-") ? value : retarget(value);
      }
    }
    return out;
  };
  for (const name of needsCopy) {
    const copy = retarget(structuredClone(schemas[name])) as Exclude<JsonSchema, boolean>;
    closeObject(copy);
    copy.title = `${typeof copy.title === "string" ? copy.title : name} (in a request)`;
    copy.description = `${typeof copy.description === "string" ? `${copy.description}\n\n` : ""}The request form: closed to properties the type does not have (decisions.md#closed-requests).`;
    schemas[`${name}${requestFormSuffix}`] = copy;
  }
  for (const root of roots) schemas[root] = retarget(schemas[root]) as JsonSchema;
}

/** Closes every object schema (this one and its inline subschemas) that lists its properties, and says where that rule comes from. */
function closeObject(schema: Exclude<JsonSchema, boolean>): void {
  for (const child of subschemas(schema)) if (child !== null && typeof child === "object") closeObject(child as never);
  if (schema.properties === undefined || schema.additionalProperties !== undefined) return;
  schema.additionalProperties = false;
  const source = schema["x-sds-source"];
  schema["x-sds-source"] =
    typeof source === "object" && source !== null
      ? { ...(source as Record<string, string>), additionalProperties: closedRequestsSource }
      : { default: source, additionalProperties: closedRequestsSource };
}
