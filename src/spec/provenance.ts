import type { OpenApiDocument } from "./openapi-document.js";

/**
 * Where an assertion of the spec comes from (decisions.md#provenance), as `x-sds-source` gives it:
 * - `documented §<section> ...`: Microsoft's SDS pages (reference/graph-sds-api.md);
 * - `csdl §<section> ...`: Microsoft's metadata and the SDKs generated from it;
 * - `graph-convention §4 ...` or `graph-convention (<what>)`: Graph-wide documentation;
 * - `observed decisions.md#<entry>`: what the live service was seen to do (a captured response,
 *   production code that relied on a behaviour, Microsoft's own test collections), with the
 *   evidence in the entry;
 * - `kit decisions.md#<entry>`: a decision of the kit's.
 */
export type SourceKind = "documented" | "csdl" | "graph-convention" | "observed" | "kit";

export const sourceKeyword = "x-sds-source";
/** On an enum narrower than the documented one: each value left out, with the source of leaving it out. */
export const excludedValuesKeyword = "x-sds-excluded-values";

const sourcePattern =
  /^(?:(documented|csdl) §\d+(?:\.\d+)?(?: #\d+)?(?: (?:\[[A-Z-]+\])+)?(?: \(.+\))?|graph-convention(?: §4)?(?: \(.+\))?|(observed|kit) decisions\.md#([a-z0-9-]+))$/;

export interface ParsedSource {
  kind: SourceKind;
  /** For `observed` and `kit`, the decisions.md entry that holds the evidence or the decision. */
  decision?: string;
}

/** Reads a source string; undefined when it does not follow the grammar above. */
export function parseSource(source: string): ParsedSource | undefined {
  const match = sourcePattern.exec(source);
  if (!match) return undefined;
  if (match[3]) return { kind: match[2] as "observed" | "kit", decision: match[3] };
  if (source.startsWith("graph-convention")) return { kind: "graph-convention" };
  return { kind: match[1] as "documented" | "csdl" };
}

/** `x-sds-source` as written: one source, or a map from keyword to source with a `default`. */
export type SourceAnnotation = string | Record<string, string>;

/** The source of one keyword of a node's annotation (the default when the keyword has none of its own). */
export function sourceForKeyword(annotation: unknown, keyword: string): string | undefined {
  if (typeof annotation === "string") return annotation;
  if (annotation !== null && typeof annotation === "object") {
    const map = annotation as Record<string, unknown>;
    const own = map[keyword];
    if (typeof own === "string") return own;
    return typeof map.default === "string" ? map.default : undefined;
  }
  return undefined;
}

/**
 * The levels at which a request or response is judged, from the loosest (decisions.md#conformance-levels):
 * `documented` holds Microsoft's pages, metadata and Graph's conventions; `observed` adds what the
 * live service was seen to do (where it differs from a page, the observation wins); `kit` adds the
 * kit's own decisions.
 */
export type ConformanceLevel = "documented" | "observed" | "kit";
export const conformanceLevels: readonly ConformanceLevel[] = ["documented", "observed", "kit"];

/** Whether an assertion with this source is held at a level: `observed` ones from the observed level up, `kit` ones only at the kit level. */
export function heldAt(source: string | undefined, level: ConformanceLevel): boolean {
  if (level === "kit" || source === undefined) return true;
  if (source.startsWith("kit ")) return false;
  return level === "observed" || !source.startsWith("observed ");
}

/** Whether `level` holds at least what `floor` holds. */
export function atLeast(level: ConformanceLevel, floor: ConformanceLevel): boolean {
  return conformanceLevels.indexOf(level) >= conformanceLevels.indexOf(floor);
}

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
  const found: SpecAssertion[] = [];
  const add = (pointer: string, what: string, annotation: unknown, keyword: string, own: boolean) =>
    found.push({ pointer, what, source: sourceForKeyword(annotation, keyword), own });

  const walkSchema = (schema: unknown, pointer: string, inherited: unknown, what: string, mustOwn: boolean) => {
    if (!isNode(schema)) return;
    const ownAnnotation = schema[sourceKeyword];
    const annotation = ownAnnotation ?? inherited;
    if (mustOwn) add(pointer, what, annotation, "default", ownAnnotation !== undefined);
    for (const keyword of constraintKeywords) {
      if (schema[keyword] !== undefined && schema[keyword] !== false)
        add(`${pointer}/${keyword}`, keyword, annotation, keyword, ownAnnotation !== undefined);
    }
    if (schema.additionalProperties === false)
      add(`${pointer}/additionalProperties`, "additionalProperties", annotation, "additionalProperties", true);
    const excluded = schema[excludedValuesKeyword];
    if (isNode(excluded)) {
      for (const [value, source] of Object.entries(excluded))
        found.push({
          pointer: `${pointer}/${excludedValuesKeyword}/${escapePointer(value)}`,
          what: `enum leaves out ${value}`,
          source: typeof source === "string" ? source : undefined,
          own: true,
        });
    }
    const rules = schema["x-sds-rules"];
    if (Array.isArray(rules)) {
      for (const [index, rule] of (rules as { rule?: string; source?: string }[]).entries())
        found.push({
          pointer: `${pointer}/x-sds-rules/${index}`,
          what: `rule: ${rule.rule}`,
          source: rule.source,
          own: true,
        });
    }
    if (isNode(schema.properties)) {
      for (const [name, property] of Object.entries(schema.properties)) {
        const at = `${pointer}/properties/${escapePointer(name)}`;
        if (property === false) add(at, `property ${name} forbidden`, annotation, "readOnly", true);
        else walkSchema(property, at, annotation, `property ${name}`, true);
      }
    }
    for (const keyword of ["oneOf", "anyOf", "allOf"] as const) {
      const branches = schema[keyword];
      if (Array.isArray(branches))
        for (const [index, branch] of branches.entries())
          walkSchema(branch, `${pointer}/${keyword}/${index}`, annotation, "", false);
    }
    if (schema.items !== undefined) walkSchema(schema.items, `${pointer}/items`, annotation, "", false);
  };

  const walkParameter = (parameter: Node, pointer: string, what: string) => {
    const annotation = parameter[sourceKeyword];
    add(pointer, what, annotation, "default", annotation !== undefined);
    if (parameter.required === true) add(`${pointer}/required`, "required", annotation, "required", true);
    walkSchema(parameter.schema, `${pointer}/schema`, annotation, "", false);
  };

  const walkExamples = (examples: unknown, pointer: string) => {
    if (!isNode(examples)) return;
    for (const [name, example] of Object.entries(examples)) {
      if (!isNode(example) || example.$ref !== undefined) continue;
      const label = typeof example["x-sds-example"] === "string" ? example["x-sds-example"] : "unlabelled";
      const source = example[sourceKeyword];
      found.push({
        pointer: `${pointer}/${escapePointer(name)}`,
        what: `example ${name} (${label})`,
        source: typeof source === "string" ? source : undefined,
        own: source !== undefined,
      });
    }
  };

  for (const [path, item] of Object.entries(document.paths)) {
    const itemPointer = `/paths/${escapePointer(path)}`;
    for (const [index, parameter] of (item.parameters ?? []).entries())
      if (!("$ref" in parameter))
        walkParameter(
          parameter as unknown as Node,
          `${itemPointer}/parameters/${index}`,
          `parameter ${parameter.name}`,
        );
    for (const method of ["get", "put", "post", "delete", "patch"] as const) {
      const operation = item[method];
      if (!operation) continue;
      const pointer = `${itemPointer}/${method}`;
      add(
        pointer,
        `operation ${operation.operationId}`,
        operation[sourceKeyword],
        "default",
        operation[sourceKeyword] !== undefined,
      );
      for (const [index, parameter] of (operation.parameters ?? []).entries())
        if (!("$ref" in parameter))
          walkParameter(parameter as unknown as Node, `${pointer}/parameters/${index}`, `parameter ${parameter.name}`);
      const requestBody = operation.requestBody;
      if (requestBody && !("$ref" in requestBody))
        for (const [type, media] of Object.entries(requestBody.content))
          walkExamples(media.examples, `${pointer}/requestBody/content/${escapePointer(type)}/examples`);
      const statusSources = operation["x-sds-responses"] ?? {};
      for (const [status, response] of Object.entries(operation.responses)) {
        const at = `${pointer}/responses/${status}`;
        found.push({
          pointer: at,
          what: `status ${status}`,
          source: statusSources[status],
          own: statusSources[status] !== undefined,
        });
        if ("$ref" in response) continue;
        const guaranteed = (response as unknown as Node)["x-sds-guaranteed"];
        if (isNode(guaranteed))
          found.push({
            pointer: `${at}/x-sds-guaranteed`,
            what: `status ${status} guarantees ${Array.isArray(guaranteed.fields) ? guaranteed.fields.join(", ") : ""}`,
            source: typeof guaranteed.source === "string" ? guaranteed.source : undefined,
            own: true,
          });
        const body = (response as unknown as Node)["x-sds-body"];
        if (typeof body === "string")
          found.push({ pointer: `${at}/content`, what: `status ${status} body`, source: body, own: true });
        for (const [type, media] of Object.entries(response.content ?? {})) {
          walkExamples(media.examples, `${at}/content/${escapePointer(type)}/examples`);
          const schema = media.schema;
          if (isNode(schema) && schema.$ref === undefined)
            walkSchema(
              schema,
              `${at}/content/${escapePointer(type)}/schema`,
              undefined,
              `status ${status} body schema`,
              true,
            );
        }
      }
    }
  }
  for (const [name, parameter] of Object.entries(document.components.parameters ?? {}))
    walkParameter(
      parameter as unknown as Node,
      `/components/parameters/${escapePointer(name)}`,
      `parameter ${parameter.name}`,
    );
  for (const [name, header] of Object.entries(document.components.headers ?? {})) {
    const node = header as unknown as Node;
    walkParameter(node, `/components/headers/${escapePointer(name)}`, `header ${name}`);
  }
  for (const [name, response] of Object.entries(document.components.responses ?? {})) {
    const annotation = (response as unknown as Node)[sourceKeyword];
    const at = `/components/responses/${escapePointer(name)}`;
    add(at, `response ${name}`, annotation, "default", annotation !== undefined);
    for (const [type, media] of Object.entries(response.content ?? {}))
      walkExamples(media.examples, `${at}/content/${escapePointer(type)}/examples`);
  }
  for (const [name, schema] of Object.entries(document.components.schemas))
    walkSchema(schema, `/components/schemas/${escapePointer(name)}`, undefined, `schema ${name}`, true);
  return found;
}
