import type { OpenApiDocument } from "./openapi-document.js";
import { excludedValuesKeyword, sourceForKeyword, sourceKeyword } from "./provenance.js";

/** One thing the spec asserts, where it stands, and where it comes from. */
export interface SpecAssertion {
  /** JSON pointer into the bundled document. */
  pointer: string;
  /** What is asserted, for a reader: `operation createSynchronizationProfile`, `status 409`, `minLength`, ... */
  what: string;
  /** The source, as written; undefined when nothing names one (the completeness test fails on it). */
  source: string | undefined;
  /** Whether the node carries its own `x-sds-source` (operations, parameters, headers, responses, schemas and properties must). */
  own: boolean;
}

/** Schema keywords that constrain a value: each is an assertion with a source. */
const constraintKeywords = [
  "required",
  "enum",
  "const",
  "pattern",
  "format",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "minItems",
  "maxItems",
  "minProperties",
  "readOnly",
  "writeOnly",
] as const;

const httpMethods = ["get", "put", "post", "delete", "patch"] as const;

const escapePointer = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");
type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Every assertion of a bundled spec (decisions.md#provenance): each operation and declared
 * status, each parameter and header and its constraints, each response, each schema, property and
 * constraining keyword, and each rule JSON Schema cannot state (`x-sds-rules`). A node without an
 * annotation of its own inherits the nearest enclosing one within its schema.
 */
export function specAssertions(document: OpenApiDocument): SpecAssertion[] {
  const collector = new AssertionCollector();
  for (const [path, item] of Object.entries(document.paths)) {
    const itemPointer = `/paths/${escapePointer(path)}`;
    for (const [index, parameter] of (item.parameters ?? []).entries())
      if (!("$ref" in parameter))
        collector.parameter(
          parameter as unknown as Node,
          `${itemPointer}/parameters/${index}`,
          `parameter ${parameter.name}`,
        );
    for (const method of httpMethods) {
      const operation = item[method];
      if (operation) collector.operation(operation as unknown as Node, `${itemPointer}/${method}`);
    }
  }
  collector.components(document);
  return collector.found;
}

/** Walks a document's nodes, adding an assertion for each thing it states. */
class AssertionCollector {
  readonly found: SpecAssertion[] = [];

  private add(pointer: string, what: string, annotation: unknown, keyword: string, own: boolean): void {
    this.found.push({ pointer, what, source: sourceForKeyword(annotation, keyword), own });
  }

  /** An operation: itself, its parameters, its request examples, and each response it declares. */
  operation(operation: Node, pointer: string): void {
    const annotation = operation[sourceKeyword];
    this.add(pointer, `operation ${operation.operationId}`, annotation, "default", annotation !== undefined);
    for (const [index, parameter] of ((operation.parameters as Node[] | undefined) ?? []).entries())
      if (!("$ref" in parameter))
        this.parameter(parameter, `${pointer}/parameters/${index}`, `parameter ${parameter.name}`);
    const requestBody = operation.requestBody;
    if (isNode(requestBody) && !("$ref" in requestBody) && isNode(requestBody.content))
      for (const [type, media] of Object.entries(requestBody.content))
        this.examples((media as Node).examples, `${pointer}/requestBody/content/${escapePointer(type)}/examples`);
    const statusSources = (operation["x-sds-responses"] ?? {}) as Record<string, string | undefined>;
    for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, Node>))
      this.response(response, `${pointer}/responses/${status}`, status, statusSources[status]);
  }

  /** A declared status, what it guarantees, its body's word, its examples and its inline schema. */
  private response(response: Node, at: string, status: string, source: string | undefined): void {
    this.found.push({ pointer: at, what: `status ${status}`, source, own: source !== undefined });
    if ("$ref" in response) return;
    const guaranteed = response["x-sds-guaranteed"];
    if (isNode(guaranteed))
      this.found.push({
        pointer: `${at}/x-sds-guaranteed`,
        what: `status ${status} guarantees ${Array.isArray(guaranteed.fields) ? guaranteed.fields.join(", ") : ""}`,
        source: typeof guaranteed.source === "string" ? guaranteed.source : undefined,
        own: true,
      });
    const body = response["x-sds-body"];
    if (typeof body === "string")
      this.found.push({ pointer: `${at}/content`, what: `status ${status} body`, source: body, own: true });
    for (const [type, media] of Object.entries((response.content ?? {}) as Record<string, Node>)) {
      this.examples(media.examples, `${at}/content/${escapePointer(type)}/examples`);
      const schema = media.schema;
      if (isNode(schema) && schema.$ref === undefined)
        this.schema(
          schema,
          `${at}/content/${escapePointer(type)}/schema`,
          undefined,
          `status ${status} body schema`,
          true,
        );
    }
  }

  /** The shared parameters, headers, responses and schemas. */
  components(document: OpenApiDocument): void {
    for (const [name, parameter] of Object.entries(document.components.parameters ?? {}))
      this.parameter(
        parameter as unknown as Node,
        `/components/parameters/${escapePointer(name)}`,
        `parameter ${parameter.name}`,
      );
    for (const [name, header] of Object.entries(document.components.headers ?? {}))
      this.parameter(header as unknown as Node, `/components/headers/${escapePointer(name)}`, `header ${name}`);
    for (const [name, response] of Object.entries(document.components.responses ?? {})) {
      const annotation = (response as unknown as Node)[sourceKeyword];
      const at = `/components/responses/${escapePointer(name)}`;
      this.add(at, `response ${name}`, annotation, "default", annotation !== undefined);
      for (const [type, media] of Object.entries(response.content ?? {}))
        this.examples(media.examples, `${at}/content/${escapePointer(type)}/examples`);
    }
    for (const [name, schema] of Object.entries(document.components.schemas))
      this.schema(schema, `/components/schemas/${escapePointer(name)}`, undefined, `schema ${name}`, true);
  }

  parameter(parameter: Node, pointer: string, what: string): void {
    const annotation = parameter[sourceKeyword];
    this.add(pointer, what, annotation, "default", annotation !== undefined);
    if (parameter.required === true) this.add(`${pointer}/required`, "required", annotation, "required", true);
    this.schema(parameter.schema, `${pointer}/schema`, annotation, "", false);
  }

  private examples(examples: unknown, pointer: string): void {
    if (!isNode(examples)) return;
    for (const [name, example] of Object.entries(examples)) {
      if (!isNode(example) || example.$ref !== undefined) continue;
      const label = typeof example["x-sds-example"] === "string" ? example["x-sds-example"] : "unlabelled";
      const source = example[sourceKeyword];
      this.found.push({
        pointer: `${pointer}/${escapePointer(name)}`,
        what: `example ${name} (${label})`,
        source: typeof source === "string" ? source : undefined,
        own: source !== undefined,
      });
    }
  }

  /** A schema, its constraints and rules, and every property and branch under it. */
  private schema(schema: unknown, pointer: string, inherited: unknown, what: string, mustOwn: boolean): void {
    if (!isNode(schema)) return;
    const ownAnnotation = schema[sourceKeyword];
    const annotation = ownAnnotation ?? inherited;
    if (mustOwn) this.add(pointer, what, annotation, "default", ownAnnotation !== undefined);
    for (const keyword of constraintKeywords) {
      if (schema[keyword] !== undefined && schema[keyword] !== false)
        this.add(`${pointer}/${keyword}`, keyword, annotation, keyword, ownAnnotation !== undefined);
    }
    if (schema.additionalProperties === false)
      this.add(`${pointer}/additionalProperties`, "additionalProperties", annotation, "additionalProperties", true);
    this.ruleNotes(schema, pointer);
    if (isNode(schema.properties)) {
      for (const [name, property] of Object.entries(schema.properties)) {
        const at = `${pointer}/properties/${escapePointer(name)}`;
        if (property === false) this.add(at, `property ${name} forbidden`, annotation, "readOnly", true);
        else this.schema(property, at, annotation, `property ${name}`, true);
      }
    }
    for (const keyword of ["oneOf", "anyOf", "allOf"] as const) {
      const branches = schema[keyword];
      if (Array.isArray(branches))
        for (const [index, branch] of branches.entries())
          this.schema(branch, `${pointer}/${keyword}/${index}`, annotation, "", false);
    }
    if (schema.items !== undefined) this.schema(schema.items, `${pointer}/items`, annotation, "", false);
  }

  /** What a schema states beside JSON Schema: enum members it leaves out, and rules it cannot state. */
  private ruleNotes(schema: Node, pointer: string): void {
    const excluded = schema[excludedValuesKeyword];
    if (isNode(excluded)) {
      for (const [value, source] of Object.entries(excluded))
        this.found.push({
          pointer: `${pointer}/${excludedValuesKeyword}/${escapePointer(value)}`,
          what: `enum leaves out ${value}`,
          source: typeof source === "string" ? source : undefined,
          own: true,
        });
    }
    const rules = schema["x-sds-rules"];
    if (Array.isArray(rules)) {
      for (const [index, rule] of (rules as { rule?: string; source?: string }[]).entries())
        this.found.push({
          pointer: `${pointer}/x-sds-rules/${index}`,
          what: `rule: ${rule.rule}`,
          source: rule.source,
          own: true,
        });
    }
  }
}
