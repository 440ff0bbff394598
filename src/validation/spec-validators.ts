import { join } from "node:path";
import type { Ajv2020, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { packageRoot } from "../package-root.js";
import { type GuaranteedFields, guaranteedFields, missingGuaranteedFields } from "../spec/guaranteed-fields.js";
import { loadSpec } from "../spec/load-spec.js";
import {
  canonicalizeOdataTypes,
  type OdataTypeNormalizer,
  odataTypeKey,
  odataTypeNormalizer,
  refusedSpellings,
} from "../spec/odata-types.js";
import {
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiHeader,
  type OpenApiParameter,
  resolveReference,
} from "../spec/openapi-document.js";
import {
  type ConformanceLevel,
  excludedValuesKeyword,
  heldAt,
  sourceForKeyword,
  sourceKeyword,
} from "../spec/provenance.js";
import { jsonContent, listOperations, type SpecOperation } from "../spec/spec-operations.js";
import { toViolations } from "./ajv-errors.js";
import { maxJsonDepth, valueNestsDeeperThan } from "./json-depth.js";
import {
  bodySchemaId,
  compilableBody,
  createAjv,
  createSchemaAjv,
  loadPrecompiled,
  type ParameterLocation,
  parameterSchema,
  parameterSchemaId,
} from "./schema-compiler.js";
import type { Violation } from "./violation.js";

/** Validators compiled by `npm run generate`, loaded once and shared by every instance built on the kit's own spec. */
const kitPrecompiled = new Map<string, Map<string, ValidateFunction> | undefined>();
function precompiledFile(
  name: "validators.cjs" | "parameter-validators.cjs",
): Map<string, ValidateFunction> | undefined {
  if (!kitPrecompiled.has(name)) kitPrecompiled.set(name, loadPrecompiled(join(packageRoot, "generated", name)));
  return kitPrecompiled.get(name);
}

type HeaderSource = Headers | Record<string, string | undefined>;
type QuerySource = URLSearchParams | Record<string, string | string[] | undefined>;

export interface RequestInput {
  pathParams?: Record<string, string>;
  query?: QuerySource;
  headers?: HeaderSource;
  /** Defaults to the `content-type` header. */
  contentType?: string;
  /** Parsed JSON body; `undefined` means the request has no body. */
  body?: unknown;
}

export interface ResponseInput {
  status: number;
  headers?: HeaderSource;
  /** Parsed JSON body; `undefined` means the response has no body. */
  body?: unknown;
}

/** How strictly to judge (decisions.md#conformance-levels). */
export interface JudgeOptions {
  /**
   * `kit` (the default) holds every rule of the spec; `documented` only what Microsoft documented
   * (its pages, its metadata and Graph's conventions), tolerating whatever the docs are silent on.
   */
  level?: ConformanceLevel;
}

export interface ResponseJudgeOptions extends JudgeOptions {
  /**
   * The status the kit answers in this situation. At the kit level any other status is a
   * violation naming the rule; at the documented level, when the kit's status is its own
   * decision, any Graph error status with Graph's envelope will do.
   */
  expectedStatus?: number | string;
  /**
   * The stricter check the kit's own servers are held to: no property the spec does not declare,
   * and never a write-only one (decisions.md#open-responses).
   */
  declaredOnly?: boolean;
  /**
   * The request asked for some properties only (`$select`): a field the pages guarantee need not
   * be there unless selected (decisions.md#guaranteed-fields, decisions.md#select).
   */
  selected?: boolean;
}

interface CompiledParameters {
  validate: ValidateFunction;
  parameters: OpenApiParameter[];
}

interface CompiledResponse {
  headers: { name: string; required: boolean; source: string | undefined; validate: ValidateFunction }[];
  body: ValidateFunction | undefined;
  /** Where "this response has a JSON body" comes from. */
  bodySource: string | undefined;
  /** Fields the pages promise in this response (decisions.md#guaranteed-fields). */
  guaranteed: GuaranteedFields | undefined;
}

interface CompiledOperation {
  operation: SpecOperation;
  path: CompiledParameters;
  query: CompiledParameters;
  header: CompiledParameters;
  body: { required: boolean; validate: ValidateFunction } | undefined;
  responses: Map<string, CompiledResponse>;
  /** Each declared status's source (`x-sds-responses`). */
  statusSources: Record<string, string>;
}

/** A required property missing from an entity, or from an entity of a collection's `value`: what `$select` leaves out. */
const isUnselectedProperty = (violation: Violation) =>
  violation.rule === "required" && /^(?:\/value\/\d+)?\/[^/]+$/.test(violation.path);

/** The rule a payload breaks with an `@odata.type` spelling the live service refused. */
export const refusedOdataTypeRule = "refusedOdataType";

/** Graph's error statuses (reference §4): the documented level accepts any of them with Graph's envelope. */
export const graphErrorStatuses: ReadonlySet<number> = new Set([
  400, 401, 403, 404, 405, 406, 409, 410, 411, 412, 413, 414, 415, 416, 422, 423, 429, 500, 501, 503, 504, 507, 509,
]);

/**
 * Ajv validators for every operation's request (path, query, headers, body) and every declared
 * response, compiled once from the spec (each operation's on first use). The mock, simulator,
 * fixtures and pact checks all validate through this one class. Every violation says where the
 * rule it breaks comes from, and each call can judge at the `documented` or the `kit` level.
 */
export class SpecValidators {
  readonly document: OpenApiDocument;
  private readonly strict: boolean;
  /** Created on the first schema that was not compiled ahead of time. */
  private schemaAjvInstance: Ajv2020 | undefined;
  private declaredOnlyAjvInstance: Ajv2020 | undefined;
  private parameterAjvInstance: Ajv2020 | undefined;
  private readonly precompiledParameters: Map<string, ValidateFunction> | undefined;
  private readonly operations = new Map<string, SpecOperation>();
  private readonly compiled = new Map<string, CompiledOperation>();
  private readonly declaredOnlyBodies = new Map<string, ValidateFunction>();
  private readonly precompiled: Map<string, ValidateFunction> | undefined;
  private readonly normalizeType: OdataTypeNormalizer;
  /** Spellings the live service refused, by comparison key, with the source that says so. */
  private readonly refusedTypes: Map<string, string>;

  /**
   * `strict` turns on Ajv's strict mode, which refuses unknown keywords and other schema mistakes:
   * the kit's tests compile every validator that way; servers skip the checks to start faster.
   */
  constructor(document?: OpenApiDocument, options: { strict?: boolean; precompiled?: boolean } = {}) {
    this.document = document ?? loadSpec();
    const strict = options.strict ?? false;
    // The kit's own spec has its body validators compiled ahead of time (fast start); any other
    // document, strict mode, or precompiled: false compiles them here.
    const usePrecompiled = document === undefined && !strict && options.precompiled !== false;
    this.precompiled = usePrecompiled ? precompiledFile("validators.cjs") : undefined;
    this.precompiledParameters = usePrecompiled ? precompiledFile("parameter-validators.cjs") : undefined;
    this.strict = strict;
    this.normalizeType = odataTypeNormalizer(this.document);
    this.refusedTypes = refusedSpellings(this.document);
    for (const operation of listOperations(this.document)) this.operations.set(operation.operationId, operation);
  }

  get operationIds(): string[] {
    return [...this.operations.keys()];
  }

  operation(operationId: string): SpecOperation {
    const operation = this.operations.get(operationId);
    if (!operation) {
      throw new Error(`unknown operationId '${operationId}'; known: ${this.operationIds.join(", ")}`);
    }
    return operation;
  }

  /** Names of the schemas in `components/schemas`. */
  get schemaNames(): string[] {
    return Object.keys(this.document.components.schemas);
  }

  /**
   * A copy of a payload with every `@odata.type` in its canonical spelling (the value itself when
   * nothing changes): what validation reads, and what the kit's servers store and answer with.
   */
  canonicalize<T>(value: T): T {
    return canonicalizeOdataTypes(value, this.normalizeType);
  }

  validateSchema(schemaName: string, value: unknown, options: JudgeOptions = {}): Violation[] {
    if (!(schemaName in this.document.components.schemas)) {
      throw new Error(`unknown schema '${schemaName}'; known: ${this.schemaNames.join(", ")}`);
    }
    const validate = this.schemaValidator({ $ref: `#/components/schemas/${schemaName}` }, "", "");
    return this.judgeBody(validate, value, options);
  }

  validateRequest(operationId: string, input: RequestInput, options: JudgeOptions = {}): Violation[] {
    const op = this.get(operationId);
    const violations: Violation[] = [];
    violations.push(...this.validateParameters(op.path, input.pathParams ?? {}, "path"));
    violations.push(...this.validateQuery(op, input.query));
    violations.push(...this.validateParameters(op.header, headerRecord(input.headers), "header"));

    const hasBody = input.body !== undefined;
    if (!op.body) {
      if (hasBody) {
        violations.push({
          location: "body",
          path: "",
          rule: "noBody",
          message: `${operationId} takes no request body`,
          source: op.operation.source,
        });
      }
      return atLevel(violations, options);
    }
    if (!hasBody) {
      if (op.body.required) {
        violations.push({
          location: "body",
          path: "",
          rule: "required",
          message: "a JSON request body is required",
          source: op.operation.source,
        });
      }
      return atLevel(violations, options);
    }
    const contentType = input.contentType ?? headerRecord(input.headers)["content-type"];
    if (contentType !== undefined && !isJson(contentType)) {
      violations.push({
        location: "header",
        path: "/content-type",
        rule: "contentType",
        message: `must be application/json, got ${JSON.stringify(contentType)}`,
        expected: "application/json",
        actual: contentType,
        source: "graph-convention §4",
      });
      return atLevel(violations, options);
    }
    violations.push(...this.judgeBody(op.body.validate, input.body, { level: "kit" }));
    return atLevel(violations, options);
  }

  validateResponse(operationId: string, input: ResponseInput, options: ResponseJudgeOptions = {}): Violation[] {
    const op = this.get(operationId);
    const status = String(input.status);
    const expected = options.expectedStatus === undefined ? undefined : String(options.expectedStatus);
    const level = options.level ?? "kit";
    if (expected !== undefined && expected !== status) {
      const expectedSource = op.statusSources[expected];
      const tolerated =
        !heldAt(expectedSource, level) && graphErrorStatuses.has(input.status) && this.isGraphError(input.body);
      if (!tolerated) {
        return [
          {
            location: "status",
            path: "",
            rule: "status",
            message: `${operationId} answers ${expected} here, got ${input.status}${expectedSource ? ` (${expectedSource})` : ""}`,
            expected,
            actual: input.status,
            ...(expectedSource === undefined ? {} : { source: expectedSource }),
          },
        ];
      }
      return [];
    }
    const response = this.response(op, status);
    if (!response) {
      // Graph may answer any of its error statuses; the docs list few of them for this API.
      if (level !== "kit" && graphErrorStatuses.has(input.status) && this.isGraphError(input.body)) return [];
      return [
        {
          location: "status",
          path: "",
          rule: "status",
          message: `${input.status} is not a declared response of ${operationId} (declared: ${Object.keys(op.operation.responses).join(", ")})`,
          expected: Object.keys(op.operation.responses),
          actual: input.status,
        },
      ];
    }
    const violations: Violation[] = [];
    const headers = headerRecord(input.headers);
    for (const header of response.headers) {
      const value = headers[header.name];
      const source = header.source === undefined ? {} : { source: header.source };
      if (value === undefined) {
        if (header.required) {
          violations.push({
            location: "header",
            path: `/${header.name}`,
            rule: "required",
            message: `header '${header.name}' is required`,
            ...source,
          });
        }
      } else if (!header.validate(value)) {
        violations.push(
          ...toViolations(header.validate.errors ?? [], "header").map((v) => ({
            ...v,
            path: `/${header.name}${v.path}`,
            ...source,
          })),
        );
      }
    }
    const bodySource = response.bodySource === undefined ? {} : { source: response.bodySource };
    if (response.body && input.body === undefined) {
      violations.push({
        location: "body",
        path: "",
        rule: "required",
        message: `a ${input.status} response of ${operationId} has a JSON body`,
        ...bodySource,
      });
    } else if (!response.body && input.body !== undefined) {
      violations.push({
        location: "body",
        path: "",
        rule: "noBody",
        message: `a ${input.status} response of ${operationId} has no body`,
        ...bodySource,
      });
    } else if (response.body) {
      const validate = options.declaredOnly ? this.declaredOnlyBody(op, status) : response.body;
      const judged = this.judgeBody(validate, input.body, { level: "kit" });
      // A projected entity lacks what was not selected, required or not; inside what was, rules hold.
      violations.push(...(options.selected ? judged.filter((v) => !isUnselectedProperty(v)) : judged));
      if (response.guaranteed && !options.selected)
        for (const field of missingGuaranteedFields(response.guaranteed, input.body))
          violations.push({
            location: "body",
            path: `/${field.replace(/\[(\d+)\]/g, "/$1").replace(/\./g, "/")}`,
            rule: "guaranteed",
            message: `'${field}' is in every ${status} of ${operationId} the pages show, so it is never absent or null`,
            source: response.guaranteed.source,
          });
    }
    return atLevel(violations, options);
  }

  /** Only the body of a declared response: for examples and fixtures, which carry no headers. */
  validateResponseBody(
    operationId: string,
    status: number | string,
    body: unknown,
    options: Omit<ResponseJudgeOptions, "expectedStatus"> = {},
  ): Violation[] {
    const op = this.get(operationId);
    const response = this.response(op, String(status));
    if (!response?.body) {
      throw new Error(`${operationId} declares no ${status} response with a JSON body`);
    }
    const validate = options.declaredOnly ? this.declaredOnlyBody(op, String(status)) : response.body;
    return this.judgeBody(validate, body, options);
  }

  /** Only the body of a request: for examples and fixtures. */
  validateRequestBody(operationId: string, body: unknown, options: JudgeOptions = {}): Violation[] {
    const op = this.get(operationId);
    if (!op.body) {
      throw new Error(`${operationId} takes no request body`);
    }
    return this.judgeBody(op.body.validate, body, options);
  }

  /** Where a declared status of an operation comes from (`x-sds-responses`). */
  statusSource(operationId: string, status: number | string): string | undefined {
    return this.get(operationId).statusSources[String(status)];
  }

  private isGraphError(body: unknown): boolean {
    return this.validateSchema("GraphError", body, { level: "documented" }).length === 0;
  }

  /**
   * Validates a payload (its `@odata.type` values brought to canonical first) and says where each
   * broken rule comes from; a spelling the service refused is named before canonicalisation hides it.
   */
  private judgeBody(validate: ValidateFunction, value: unknown, options: JudgeOptions): Violation[] {
    // Judging walks the value, recursively; a deeper one is a verdict, not a stack overflow.
    if (valueNestsDeeperThan(value, maxJsonDepth))
      return [
        {
          location: "body",
          path: "",
          rule: "depth",
          message: `nests arrays and objects more than ${maxJsonDepth} levels deep, deeper than the kit reads (decisions.md#request-size)`,
        },
      ];
    const refused = this.refusedTypeViolations(value, "");
    if (validate(this.canonicalize(value))) return atLevel(refused, options);
    return atLevel(
      [...refused, ...toViolations(validate.errors ?? [], "body", (error) => this.errorSource(error))],
      options,
    );
  }

  /** Every `@odata.type` in a payload whose spelling the live service refused (decisions.md#odata-namespace). */
  private refusedTypeViolations(value: unknown, at: string): Violation[] {
    if (this.refusedTypes.size === 0 || value === null || typeof value !== "object") return [];
    const found: Violation[] = [];
    for (const [key, inner] of Object.entries(value)) {
      const path = `${at}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (key === "@odata.type" && typeof inner === "string") {
        const source = this.refusedTypes.get(odataTypeKey(inner));
        if (source !== undefined)
          found.push({
            location: "body",
            path,
            rule: refusedOdataTypeRule,
            message: `the service refused '${inner}' (Invalid OData type specified); send ${this.normalizeType(inner) ?? "the microsoft.graph spelling"}`,
            actual: inner,
            source,
          });
      } else found.push(...this.refusedTypeViolations(inner, path));
    }
    return found;
  }

  /**
   * The `x-sds-source` of the rule an Ajv error reports: every subschema carries its own or its
   * nearest ancestor's (schema-compiler.ts), read for the keyword that failed. A missing property's
   * requiredness is the property's own where it has one.
   */
  private errorSource(error: ErrorObject): string | undefined {
    const parent = error.parentSchema as Record<string, unknown> | undefined;
    if (!parent) return undefined;
    if (error.keyword === "required") {
      const property = String((error.params as { missingProperty?: string }).missingProperty ?? "");
      const own = (parent.properties as Record<string, Record<string, unknown>> | undefined)?.[property];
      return sourceForKeyword(own?.[sourceKeyword] ?? parent[sourceKeyword], "required");
    }
    if (error.keyword === "enum") {
      // A value the documented enum has and the spec leaves out is the kit's exclusion, not a typo.
      const excluded = (parent[excludedValuesKeyword] as Record<string, string> | undefined)?.[String(error.data)];
      if (excluded !== undefined) return excluded;
    }
    const keyword = error.keyword === "not" || error.keyword === "false schema" ? "readOnly" : error.keyword;
    return sourceForKeyword(parent[sourceKeyword], keyword);
  }

  /** An operation's validators, compiled on its first use (a server that starts fast compiles only what it serves). */
  private get(operationId: string): CompiledOperation {
    let op = this.compiled.get(operationId);
    if (!op) {
      op = this.compileOperation(this.operation(operationId));
      this.compiled.set(operationId, op);
    }
    return op;
  }

  private validateParameters(
    compiled: CompiledParameters,
    values: Record<string, string | undefined>,
    location: "path" | "query" | "header",
  ): Violation[] {
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined) data[key] = value;
    }
    if (compiled.validate(data)) return [];
    return toViolations(compiled.validate.errors ?? [], location, (error) => {
      // `/$top/minimum` -> the $top parameter's source for `minimum`.
      const name = error.instancePath.split("/")[1] ?? (error.params as { missingProperty?: string }).missingProperty;
      const parameter = compiled.parameters.find(
        (p) => (location === "header" ? p.name.toLowerCase() : p.name) === name,
      );
      return sourceForKeyword(parameter?.[sourceKeyword as keyof OpenApiParameter], error.keyword);
    });
  }

  private validateQuery(op: CompiledOperation, query: QuerySource | undefined): Violation[] {
    const declared = new Set(op.query.parameters.map((p) => p.name));
    const record: Record<string, string> = {};
    const violations: Violation[] = [];
    for (const [name, values] of queryEntries(query)) {
      if (values.length > 1) {
        violations.push({
          location: "query",
          path: `/${name}`,
          rule: "duplicate",
          message: `'${name}' may be given once`,
          source: "graph-convention (OData query options)",
        });
      }
      if (name.startsWith("$") && !declared.has(name)) {
        violations.push({
          location: "query",
          path: `/${name}`,
          rule: "unknownQueryOption",
          message: `'${name}' is not supported by ${op.operation.operationId}; supported: ${[...declared].filter((n) => n.startsWith("$")).join(", ") || "none"}`,
          source: "kit decisions.md#odata-query",
        });
        continue;
      }
      const first = values[0];
      if (declared.has(name) && first !== undefined) record[name] = first;
    }
    return [...violations, ...this.validateParameters(op.query, record, "query")];
  }

  private compileOperation(operation: SpecOperation): CompiledOperation {
    const byLocation = (location: ParameterLocation): CompiledParameters => {
      const id = parameterSchemaId(operation.operationId, location);
      const validate =
        this.precompiledParameters?.get(id) ?? this.parameterAjv().compile(parameterSchema(operation, location));
      return { validate, parameters: operation.parameters.filter((p) => p.in === location) };
    };

    const bodyMedia = jsonContent(operation.requestBody?.content);
    return {
      operation,
      path: byLocation("path"),
      query: byLocation("query"),
      header: byLocation("header"),
      body:
        bodyMedia?.schema !== undefined
          ? {
              required: operation.requestBody?.required === true,
              validate: this.schemaValidator(bodyMedia.schema, operation.operationId, "request"),
            }
          : undefined,
      responses: new Map(),
      statusSources: operation.statusSources,
    };
  }

  /** Parameters arrive as strings; only their validators may coerce ("5" -> 5 for $top). */
  private parameterAjv(): Ajv2020 {
    this.parameterAjvInstance ??= createAjv({ coerceTypes: true, strict: this.strict });
    return this.parameterAjvInstance;
  }

  /** A declared response's validators, compiled the first time that status is checked. */
  private response(op: CompiledOperation, status: string): CompiledResponse | undefined {
    const cached = op.responses.get(status);
    if (cached) return cached;
    const response = op.operation.responses[status];
    if (!response) return undefined;
    const media = jsonContent(response.content);
    const compiled: CompiledResponse = {
      headers: Object.entries(response.headers ?? {}).map(([name, header]) => {
        const resolved = resolveReference<OpenApiHeader>(this.document, header);
        return {
          name: name.toLowerCase(),
          required: resolved.required === true,
          source: sourceForKeyword(resolved[sourceKeyword as keyof OpenApiHeader], "required"),
          validate: this.parameterAjv().compile(resolved.schema ?? {}),
        };
      }),
      body:
        media?.schema !== undefined ? this.schemaValidator(media.schema, op.operation.operationId, status) : undefined,
      bodySource:
        (response as { "x-sds-body"?: string })["x-sds-body"] ?? op.statusSources[status] ?? op.operation.source,
      guaranteed: guaranteedFields(response),
    };
    op.responses.set(status, compiled);
    return compiled;
  }

  /** A body schema's validator: precompiled when available, else compiled here (once). */
  private schemaValidator(schema: JsonSchema, operationId: string, where: string): ValidateFunction {
    const id = bodySchemaId(schema, operationId, where);
    const precompiled = this.precompiled?.get(id);
    if (precompiled) return precompiled;
    this.schemaAjvInstance ??= createSchemaAjv(this.document, { strict: this.strict });
    const ajv = this.schemaAjvInstance;
    if (!ajv.getSchema(id)) ajv.addSchema(compilableBody(schema) as object, id);
    const compiled = ajv.getSchema(id);
    if (!compiled) throw new Error(`could not compile the ${where} schema of ${operationId}`);
    return compiled;
  }

  /** A response body's declared-only validator (never precompiled: tests and strict servers use it). */
  private declaredOnlyBody(op: CompiledOperation, status: string): ValidateFunction {
    const key = `${op.operation.operationId} ${status}`;
    const cached = this.declaredOnlyBodies.get(key);
    if (cached) return cached;
    const schema = jsonContent(op.operation.responses[status]?.content)?.schema;
    if (schema === undefined) throw new Error(`${key} has no JSON body`);
    this.declaredOnlyAjvInstance ??= createSchemaAjv(this.document, { strict: this.strict, declaredOnly: true });
    const id = bodySchemaId(schema, op.operation.operationId, status);
    const ajv = this.declaredOnlyAjvInstance;
    if (!ajv.getSchema(id)) ajv.addSchema(compilableBody(schema) as object, id);
    const compiled = ajv.getSchema(id);
    if (!compiled)
      throw new Error(`could not compile the declared-only ${status} schema of ${op.operation.operationId}`);
    this.declaredOnlyBodies.set(key, compiled);
    return compiled;
  }
}

function atLevel(violations: Violation[], options: JudgeOptions): Violation[] {
  const level = options.level ?? "kit";
  return level === "kit" ? violations : violations.filter((v) => heldAt(v.source, level));
}

let shared: SpecValidators | undefined;

/** The validators for the kit's own spec, compiled on first use and shared by everything after. */
export function specValidators(): SpecValidators {
  shared ??= new SpecValidators();
  return shared;
}

function headerRecord(headers: HeaderSource | undefined): Record<string, string | undefined> {
  const record: Record<string, string | undefined> = {};
  if (!headers) return record;
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) record[name.toLowerCase()] = value;
  return record;
}

function queryEntries(query: QuerySource | undefined): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  if (!query) return entries;
  if (query instanceof URLSearchParams) {
    for (const [name, value] of query) entries.set(name, [...(entries.get(name) ?? []), value]);
    return entries;
  }
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    entries.set(name, Array.isArray(value) ? value : [value]);
  }
  return entries;
}

function isJson(contentType: string): boolean {
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase();
  return mediaType === "application/json";
}
