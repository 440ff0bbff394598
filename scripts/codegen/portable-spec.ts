import { namedSpellings, odataTypeKey, odataTypeProperties } from "../../src/spec/odata-types.js";
import {
  httpMethods,
  isReference,
  type OpenApiDocument,
  type OpenApiMediaType,
  resolveReference,
} from "../../src/spec/openapi-document.js";

/**
 * The bundled spec (generated/openapi.json) describes the API in ways some third-party tools cannot
 * read: discriminator mappings with one key per published spelling, examples written in those
 * alias spellings, and JSON Schema boolean schemas (`id: false`: "never sent"). The portable
 * variant (generated/openapi.portable.json) says the same things in the forms those tools share:
 * - each discriminator maps exactly one key per branch, the branch's canonical spelling: tools that
 *   build a lookup table from the mapping (or require a key per branch) see one entry per type;
 * - every `@odata.type` in every example is the canonical spelling, so an example is valid for a
 *   tool that dispatches on the mapping;
 * - a property that may never be sent (`id: false`) is left out of an object that admits no other
 *   property (`additionalProperties: false`), which refuses it just the same: tools that generate
 *   requests from a schema's properties (Specmatic, Portman) then never send it, where
 *   `{ not: {} }` was read as "anything" and sent;
 * - any other boolean schema in a subschema position becomes its object form (`false` ->
 *   `{ not: {} }`, `true` -> `{}`), the same verdict in a form draft-04-era validators accept.
 *
 * Kept as they are, on purpose:
 * - the case-insensitive `pattern` on each `@odata.type`: the servers accept every spelling, so an
 *   `enum` of the canonical one would describe a stricter API than the one served (a client
 *   validating with it would reject Microsoft's own published responses). The pattern is plain
 *   ECMA-262 (character classes, no flags, no lookbehind), which Redocly, Spectral and Postman's
 *   Ajv all read; with one canonical key per branch, dispatch-by-mapping tools still resolve every
 *   value the kit's servers answer with;
 * - `additionalProperties: false` (and `unevaluatedProperties`): OpenAPI 3.0 and every JSON Schema
 *   draft since 04 define these keywords as "boolean or schema", so every tool reads the boolean;
 * - type arrays (`[string, "null"]`), `const` and `{ type: "null" }` branches: all draft-06/07
 *   JSON Schema, which the tools we target (Ajv draft-07 in Postman/Newman, Redocly, Spectral) read;
 * - every `x-` extension: tools ignore what they do not know.
 */
export function derivePortableDocument(bundled: OpenApiDocument): OpenApiDocument {
  const document = structuredClone(bundled);
  canonicalizeMappings(document);
  canonicalizeExamples(document, canonicalSpellings(document));
  replaceBooleanSubschemas(document);
  document.info = { ...document.info, description: withPortableNote(document.info.description) };
  return document;
}

const portableNote =
  "This is the portable variant of the spec, for tools that read neither several discriminator " +
  "mapping keys per type nor JSON Schema boolean schemas: each discriminator maps only the canonical " +
  "`@odata.type`, examples use it, a property that may never be sent is left out of a closed object, and " +
  "other `false` schemas are written `{ not: {} }`. The API is the same; " +
  "generated/openapi.json is the full description, with every published spelling.";

function withPortableNote(description: unknown): string {
  return typeof description === "string" && description.trim() !== ""
    ? `${description.trimEnd()}\n\n${portableNote}\n`
    : `${portableNote}\n`;
}

/** Lower-case spelling without `#` -> canonical spelling, from every type that lists its spellings. */
function canonicalSpellings(document: OpenApiDocument): Map<string, string> {
  const canonicalByKey = new Map<string, string>();
  for (const { schemaName, spellings } of odataTypeProperties(document)) {
    for (const spelling of namedSpellings(spellings)) {
      const key = odataTypeKey(spelling);
      const known = canonicalByKey.get(key);
      // A spelling naming two types would make the replacement depend on the order of the schemas.
      if (known !== undefined && known !== spellings.canonical) {
        throw new Error(`spec: '${spelling}' (${schemaName}) also names ${known}`);
      }
      canonicalByKey.set(key, spellings.canonical);
    }
  }
  return canonicalByKey;
}

function canonicalOfTarget(document: OpenApiDocument, ref: string): string {
  const target = resolveReference<Record<string, unknown>>(document, { $ref: ref });
  const properties = target.properties as Record<string, Record<string, unknown>> | undefined;
  const spellings = properties?.["@odata.type"]?.["x-sds-odata-type"] as { canonical?: unknown } | undefined;
  if (typeof spellings?.canonical !== "string") {
    throw new Error(`spec: discriminator maps to ${ref}, whose @odata.type lists no canonical spelling`);
  }
  return spellings.canonical;
}

function canonicalizeMappings(document: OpenApiDocument): void {
  forEachObject(document, (node) => {
    const discriminator = node.discriminator as { mapping?: Record<string, string> } | undefined;
    if (discriminator === null || typeof discriminator !== "object" || discriminator.mapping === undefined) return;
    const mapping: Record<string, string> = {};
    for (const target of new Set(Object.values(discriminator.mapping))) {
      mapping[canonicalOfTarget(document, target)] = target;
    }
    discriminator.mapping = mapping;
  });
}

/** A media type's examples: the named ones the kit writes, and OpenAPI's single `example`. */
type ExampleCarrier = OpenApiMediaType & { example?: unknown };

/** Every media type of the document that can carry examples, with a name for error messages. */
function mediaTypes(document: OpenApiDocument): { where: string; media: ExampleCarrier }[] {
  const found: { where: string; media: ExampleCarrier }[] = [];
  const addContent = (where: string, content: Record<string, OpenApiMediaType> | undefined) => {
    for (const [type, media] of Object.entries(content ?? {})) found.push({ where: `${where} (${type})`, media });
  };
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const method of httpMethods) {
      const operation = pathItem[method];
      if (!operation) continue;
      const name = `${method.toUpperCase()} ${path}`;
      // Referenced bodies and responses are visited once, under components, below.
      if (operation.requestBody && !isReference(operation.requestBody)) {
        addContent(`${name} request`, operation.requestBody.content);
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!isReference(response)) addContent(`${name} ${status}`, response.content);
      }
    }
  }
  for (const [name, response] of Object.entries(document.components.responses ?? {})) {
    addContent(`components.responses.${name}`, response.content);
  }
  const { requestBodies } = document.components as {
    requestBodies?: Record<string, { content?: Record<string, OpenApiMediaType> }>;
  };
  for (const [name, body] of Object.entries(requestBodies ?? {})) {
    addContent(`components.requestBodies.${name}`, body.content);
  }
  return found;
}

function canonicalizeExamples(document: OpenApiDocument, canonicalByKey: Map<string, string>): void {
  const canonicalize = (value: unknown, exampleName: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => canonicalize(item, exampleName));
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key === "@odata.type" && typeof inner === "string") {
        const canonical = canonicalByKey.get(odataTypeKey(inner));
        // An abstract or unknown type has no canonical spelling: passing it through would leave an
        // example the portable spec's own schemas reject.
        if (canonical === undefined) throw new Error(`spec: example ${exampleName} names no known type: '${inner}'`);
        out[key] = canonical;
      } else {
        out[key] = canonicalize(inner, exampleName);
      }
    }
    return out;
  };
  for (const { where, media } of mediaTypes(document)) {
    if (media.example !== undefined) media.example = canonicalize(media.example, `'example' of ${where}`);
    for (const [name, example] of Object.entries(media.examples ?? {})) {
      if (isReference(example)) continue;
      if (example.value !== undefined) example.value = canonicalize(example.value, `'${name}' of ${where}`);
    }
  }
  const { examples } = document.components as { examples?: Record<string, { value?: unknown }> };
  for (const [name, example] of Object.entries(examples ?? {})) {
    if (example.value !== undefined) example.value = canonicalize(example.value, `components.examples.${name}`);
  }
}

/** Keywords whose value is a schema, a list of schemas, or a map of name -> schema. */
const schemaKeywords = ["items", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems"];
const schemaListKeywords = ["allOf", "anyOf", "oneOf", "prefixItems"];
const schemaMapKeywords = ["properties", "patternProperties", "$defs", "dependentSchemas"];

/** The object form of a boolean schema. */
function objectSchema(schema: boolean): Record<string, unknown> {
  return schema ? {} : { not: {} };
}

/** Replaces boolean subschemas (other than `additionalProperties`/`unevaluatedProperties`) in every schema of the document. */
function replaceBooleanSubschemas(document: OpenApiDocument): void {
  const visit = (schema: unknown): void => {
    if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return;
    const node = schema as Record<string, unknown>;
    for (const keyword of schemaKeywords) {
      if (typeof node[keyword] === "boolean") node[keyword] = objectSchema(node[keyword]);
      visit(node[keyword]);
    }
    for (const keyword of schemaListKeywords) {
      const list = node[keyword];
      if (!Array.isArray(list)) continue;
      list.forEach((item, index) => {
        if (typeof item === "boolean") list[index] = objectSchema(item);
        visit(list[index]);
      });
    }
    // A closed object already refuses every property it does not list: one listed as `false` says
    // the same thing, and is dropped rather than rewritten.
    const closed = node.additionalProperties === false || node.unevaluatedProperties === false;
    for (const keyword of schemaMapKeywords) {
      const map = node[keyword];
      if (map === null || typeof map !== "object") continue;
      const entries = map as Record<string, unknown>;
      for (const [name, item] of Object.entries(entries)) {
        if (item === false && keyword === "properties" && closed) {
          delete entries[name];
          continue;
        }
        if (typeof item === "boolean") entries[name] = objectSchema(item);
        visit(entries[name]);
      }
    }
    for (const keyword of ["additionalProperties", "unevaluatedProperties"]) visit(node[keyword]);
  };
  // Schemas sit under components.schemas and under every `schema` key (parameters, headers, media
  // types). Visiting one twice is harmless: the second visit finds nothing left to replace.
  const schemas = document.components.schemas;
  for (const [name, schema] of Object.entries(schemas)) {
    if (typeof schema === "boolean") schemas[name] = objectSchema(schema);
    visit(schemas[name]);
  }
  forEachObject(document, (node) => {
    if (typeof node.schema === "boolean") node.schema = objectSchema(node.schema);
    visit(node.schema);
  });
}

/** Calls `visit` on every object of the tree, except inside examples and `x-` extensions. */
function forEachObject(root: unknown, visit: (node: Record<string, unknown>) => void): void {
  const walk = (node: unknown, key: string): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, key);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    visit(record);
    // Under `properties` a key is a property name, not a keyword: a property may be called `examples`.
    const namesProperties = key === "properties" || key === "patternProperties";
    for (const [childKey, child] of Object.entries(record)) {
      const isExample = childKey === "example" || childKey === "examples";
      if (!namesProperties && (childKey.startsWith("x-") || isExample)) continue;
      walk(child, childKey);
    }
  };
  walk(root, "");
}
