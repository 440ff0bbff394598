import { guaranteedFields, guaranteePath } from "../spec/guaranteed-fields.js";
import { instanceSchema, type SchemaNode } from "../spec/instance-schema.js";
import { matchRoute } from "../spec/match-route.js";
import { type JsonSchema, type OpenApiDocument, resolveReference } from "../spec/openapi-document.js";
import type { ConformanceLevel } from "../spec/provenance.js";
import { excludedValuesKeyword } from "../spec/provenance.js";
import { jsonContent } from "../spec/spec-operations.js";
import { graphErrorStatuses, type SpecValidators, specValidators } from "../validation/spec-validators.js";
import { formatViolation } from "../validation/violation.js";
import { matchersAt } from "./matching.js";
import type { BodyRule, PactFile, PactInteraction } from "./pact-file.js";

export type Severity = "error" | "warning";

/** One thing wrong with an interaction, as the spec sees it. */
export interface Finding {
  severity: Severity;
  /** A stable name for what is wrong: `unknownPath`, `requestRegexWiderThanEnum`, ... */
  rule: string;
  interaction: string;
  /** `request.body`, `response.status`, `request.query`, ... */
  location: string;
  /** A JSON path into the location, `$` for all of it. */
  path: string;
  message: string;
  /** Where the broken rule comes from, when the spec says (`x-sds-source`). */
  source?: string;
}

export interface CheckPactOptions {
  validators?: SpecValidators;
  /**
   * `kit` (the default) holds every rule of the spec; `documented` only what Microsoft documented,
   * for pacts written against a real or third-party provider (decisions.md#conformance-levels).
   */
  level?: ConformanceLevel;
}

/**
 * Checks every HTTP interaction of a pact against the spec, reading the matching rules as well as
 * the examples, in the direction that matters:
 * - requests (what the consumer may send): every value a request matcher admits must be one the
 *   spec accepts; a matcher that admits more is an error;
 * - responses (what the consumer accepts): the example must be valid; relying on a field the spec
 *   does not guarantee, or matching wider than the spec's vocabulary, is a warning.
 */
export function checkPact(pact: PactFile, options: CheckPactOptions = {}): Finding[] {
  const validators = options.validators ?? specValidators();
  const level = options.level ?? "kit";
  return pact.interactions.flatMap((interaction) => checkInteraction(interaction, validators, level));
}

function checkInteraction(
  interaction: PactInteraction,
  validators: SpecValidators,
  level: ConformanceLevel,
): Finding[] {
  const findings: Finding[] = [];
  const add = (severity: Severity, rule: string, location: string, path: string, message: string, source?: string) =>
    findings.push({
      severity,
      rule,
      interaction: interaction.description,
      location,
      path,
      message,
      ...(source === undefined ? {} : { source }),
    });
  const { request, response } = interaction;

  const match = matchRoute(request.method, request.path);
  if (match.kind === "notFound") {
    add(
      "error",
      "unknownPath",
      "request.path",
      "$",
      `${request.method} ${request.path} is not an operation of the spec`,
    );
    return findings;
  }
  if (match.kind === "methodNotAllowed") {
    add(
      "error",
      "unknownMethod",
      "request.method",
      "$",
      `${match.path} takes ${match.allowed.join(", ")}, not ${request.method}`,
    );
    return findings;
  }
  const operation = validators.operation(match.operation.operationId);
  const document = validators.document;

  // ---- request: the example must be valid, and every matcher must stay inside the spec.
  const hasBody = request.body !== undefined && request.body !== null && request.body !== "";
  // An interaction answered with a client error is about a bad request: its example may break the spec on purpose.
  const expectsRejection = response.status >= 400 && response.status < 500;
  const requestViolations = validators.validateRequest(
    operation.operationId,
    {
      pathParams: match.pathParams,
      query: request.query,
      headers: {
        ...request.headers,
        ...(hasBody && !request.headers["content-type"] ? { "content-type": "application/json" } : {}),
      },
      body: hasBody ? request.body : undefined,
    },
    { level },
  );
  for (const violation of expectsRejection ? [] : requestViolations) {
    add(
      "error",
      "invalidRequest",
      `request.${violation.location}`,
      toJsonPath(violation.path),
      formatViolation(violation),
      violation.source,
    );
  }
  const requestSchema = jsonContent(operation.requestBody?.content)?.schema;
  if (requestSchema !== undefined && hasBody) {
    for (const problem of matcherProblems(document, requestSchema, request.body, request.rules.body, true, level)) {
      add(
        "error",
        problem.rule === "regex" ? "requestRegexWiderThanSpec" : "requestTypeMatcherOnConstrainedField",
        "request.body",
        problem.path,
        `${problem.message}: the consumer may send what the provider rejects`,
      );
    }
  }

  // ---- response: a declared status, a valid example, guaranteed fields, the spec's vocabulary.
  const status = String(response.status);
  const declared = operation.responses[status];
  // Graph may answer any of its error statuses; at the documented level an undeclared one is no fault.
  const toleratedError =
    level !== "kit" &&
    graphErrorStatuses.has(response.status) &&
    (response.body === undefined ||
      response.body === null ||
      validators.validateSchema("GraphError", response.body, { level }).length === 0);
  if (!declared && toleratedError) return findings;
  if (!declared) {
    add(
      "error",
      "undeclaredStatus",
      "response.status",
      "$",
      `${operation.operationId} does not declare ${status}; declared: ${Object.keys(operation.responses).join(", ")}`,
    );
    return findings;
  }
  const responseSchema = jsonContent(declared.content)?.schema;
  const responseHasBody = response.body !== undefined && response.body !== null && response.body !== "";
  if (responseSchema === undefined) {
    if (responseHasBody)
      add(
        "error",
        "unexpectedResponseBody",
        "response.body",
        "$",
        `a ${status} response of ${operation.operationId} has no body`,
      );
    return findings;
  }
  if (!responseHasBody) return findings;
  // A consumer's response example holds only what it reads (the provider may send more), so a
  // missing required property is not a fault of the example; anything it does hold must be valid.
  for (const violation of validators.validateResponseBody(operation.operationId, status, response.body, { level })) {
    if (violation.rule === "required") continue;
    add(
      "error",
      "invalidResponseExample",
      "response.body",
      toJsonPath(violation.path),
      formatViolation(violation),
      violation.source,
    );
  }
  const promised = new Set(guaranteedFields(declared)?.fields ?? []);
  for (const reliance of unguaranteedFields(document, responseSchema, response.body, promised)) {
    add("warning", "reliesOnUnguaranteedField", "response.body", reliance.path, reliance.message);
  }
  for (const problem of matcherProblems(document, responseSchema, response.body, response.rules.body, false, level)) {
    add(
      "warning",
      "responseMatcherWiderThanSpec",
      "response.body",
      problem.path,
      `${problem.message}: vocabulary the spec never produces; the consumer may misread the API`,
    );
  }
  return findings;
}

// ---------------------------------------------------------------- schemas along example values

function isNullable(document: OpenApiDocument, raw: JsonSchema): boolean {
  if (typeof raw === "boolean") return raw;
  const schema = resolveReference<SchemaNode>(document, raw as SchemaNode);
  if (schema.type === "null" || (Array.isArray(schema.type) && schema.type.includes("null"))) return true;
  return (schema.oneOf ?? []).some((branch) => isNullable(document, branch));
}

interface Leaf {
  segments: string[];
  value: unknown;
  schema: SchemaNode | undefined;
}

/** Every value in an example, with its path and the schema it stands under. */
function leaves(document: OpenApiDocument, raw: JsonSchema, value: unknown, segments: string[] = []): Leaf[] {
  const schema = instanceSchema(document, raw, value);
  const here: Leaf = { segments, value, schema };
  if (Array.isArray(value)) {
    return [
      here,
      ...value.flatMap((item, index) =>
        schema?.items !== undefined ? leaves(document, schema.items, item, [...segments, String(index)]) : [],
      ),
    ];
  }
  if (value !== null && typeof value === "object") {
    return [
      here,
      ...Object.entries(value).flatMap(([key, child]) => {
        const childSchema = schema?.properties?.[key];
        return childSchema === undefined ? [] : leaves(document, childSchema, child, [...segments, key]);
      }),
    ];
  }
  return [here];
}

const isAnnotation = (key: string) => key.startsWith("@odata.");

/**
 * Response fields the consumer relies on (they are in its contract) that the spec does not
 * guarantee: optional or nullable in the schema, and not among the fields the pages show in every
 * answer of this operation (`promised`: decisions.md#guaranteed-fields). OData control annotations
 * are exempt: their presence follows the request (`@odata.nextLink` on every page but the last,
 * `@odata.count` with `$count`), not the schema.
 */
function unguaranteedFields(
  document: OpenApiDocument,
  raw: JsonSchema,
  body: unknown,
  promised: ReadonlySet<string>,
): { path: string; message: string }[] {
  const found: { path: string; message: string }[] = [];
  for (const leaf of leaves(document, raw, body)) {
    if (leaf.value === null || typeof leaf.value !== "object" || Array.isArray(leaf.value) || !leaf.schema?.properties)
      continue;
    for (const key of Object.keys(leaf.value)) {
      const property = leaf.schema.properties[key];
      if (property === undefined || isAnnotation(key) || promised.has(guaranteePath([...leaf.segments, key]))) continue;
      const optional = !(leaf.schema.required ?? []).includes(key);
      const nullable = isNullable(document, property);
      if (optional || nullable) {
        found.push({
          path: toJsonPath([...leaf.segments, key]),
          message: `the contract relies on '${key}', which the spec does not guarantee (${[optional ? "optional" : "", nullable ? "nullable" : ""].filter(Boolean).join(", ")})`,
        });
      }
    }
  }
  return found;
}

// ---------------------------------------------------------------- matchers against constraints

const badFormatProbes: Record<string, string[]> = {
  uuid: ["not-a-guid", "x"],
  date: ["31/12/2027", "x"],
  "date-time": ["yesterday", "x"],
  uri: ["not a uri", "x"],
  hostname: ["-not a host-", "x"],
};

/**
 * Matchers that admit strings the schema refuses: at enum-constrained fields, and for requests
 * also at format-constrained ones (a response's format is the provider's business; its vocabulary,
 * the enum, is what a consumer can misread).
 */
function matcherProblems(
  document: OpenApiDocument,
  raw: JsonSchema,
  body: unknown,
  rules: BodyRule[],
  checkFormats: boolean,
  level: ConformanceLevel,
): { rule: "regex" | "type"; path: string; message: string }[] {
  const problems: { rule: "regex" | "type"; path: string; message: string }[] = [];
  for (const leaf of leaves(document, raw, body)) {
    if (typeof leaf.value !== "string" || !leaf.schema) continue;
    // At the documented level, the values the kit leaves out of a documented enum are allowed again.
    const excluded =
      level !== "kit" ? Object.keys((leaf.schema[excludedValuesKeyword] as object | undefined) ?? {}) : [];
    const allowed = leaf.schema.enum?.filter((v): v is string => typeof v === "string").concat(excluded);
    const format =
      checkFormats && leaf.schema.format && badFormatProbes[leaf.schema.format] ? leaf.schema.format : undefined;
    if (!allowed && !format) continue;
    const applying = matchersAt(rules, leaf.segments);
    if (!applying) continue;
    const path = toJsonPath(leaf.segments);
    const constraint = allowed ? `one of ${allowed.join(", ")}` : `a ${format}`;
    for (const matcher of applying.matchers) {
      if (matcher.match === "type") {
        problems.push({
          rule: "type",
          path,
          message: `a type matcher${applying.own ? "" : " (inherited)"} lets '${leaf.segments.at(-1)}' be any string; the spec allows ${constraint}`,
        });
      } else if (matcher.match === "regex" && typeof matcher.regex === "string") {
        const outside = regexAdmitsOutside(matcher.regex, allowed, format);
        if (outside !== undefined)
          problems.push({
            rule: "regex",
            path,
            message: `the regex ${matcher.regex} admits ${JSON.stringify(outside)}; the spec allows ${constraint}`,
          });
      }
    }
  }
  return problems;
}

/** A value the regex accepts that the constraint refuses, if one is found. */
function regexAdmitsOutside(
  pattern: string,
  allowed: string[] | undefined,
  format: string | undefined,
): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch {
    return `(an invalid regex: ${pattern})`;
  }
  if (allowed) {
    // The literal alternatives of an anchored pattern are its whole language: compare them.
    const literals = /^\^\(?([\w|]+)\)?\$$/.exec(pattern)?.[1]?.split("|");
    if (literals) return literals.find((value) => !allowed.includes(value));
    const probes = ["notAMember", "x", "", ...allowed.map((v) => `${v}x`), ...allowed.map((v) => v.toUpperCase())];
    return probes.find((probe) => regex.test(probe) && !allowed.includes(probe));
  }
  return (badFormatProbes[format ?? ""] ?? []).find((probe) => regex.test(probe));
}

function toJsonPath(path: string | string[]): string {
  const segments =
    typeof path === "string"
      ? path
          .split("/")
          .slice(1)
          .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      : path;
  return `$${segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `['${s}']`)).join("")}`;
}
