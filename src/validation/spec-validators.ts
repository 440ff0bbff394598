import { join } from "node:path";
import type { Ajv2020, ValidateFunction } from "ajv/dist/2020.js";
import { packageRoot } from "../package-root.js";
import { loadSpec } from "../spec/load-spec.js";
import {
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiHeader,
  type OpenApiParameter,
  resolveReference,
} from "../spec/openapi-document.js";
import { jsonContent, listOperations, type SpecOperation } from "../spec/spec-operations.js";
import { toViolations } from "./ajv-errors.js";
import {
  absolutizeRefs,
  bodySchemaId,
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

interface CompiledParameters {
  validate: ValidateFunction;
  parameters: OpenApiParameter[];
}

interface CompiledResponse {
  headers: { name: string; required: boolean; validate: ValidateFunction }[];
  body: ValidateFunction | undefined;
}

interface CompiledOperation {
  operation: SpecOperation;
  path: CompiledParameters;
  query: CompiledParameters;
  header: CompiledParameters;
  body: { required: boolean; validate: ValidateFunction } | undefined;
  responses: Map<string, CompiledResponse>;
}

/**
 * Ajv validators for every operation's request (path, query, headers, body) and every declared
 * response, compiled once from the spec (each operation's on first use). The mock, simulator, fixtures and pact checks all
 * validate through this one class.
 */
export class SpecValidators {
  readonly document: OpenApiDocument;
  private readonly strict: boolean;
  /** Created on the first schema that was not compiled ahead of time. */
  private schemaAjvInstance: Ajv2020 | undefined;
  private parameterAjvInstance: Ajv2020 | undefined;
  private readonly precompiledParameters: Map<string, ValidateFunction> | undefined;
  private readonly operations = new Map<string, SpecOperation>();
  private readonly compiled = new Map<string, CompiledOperation>();
  private readonly precompiled: Map<string, ValidateFunction> | undefined;

  /**
   * `strict` turns on Ajv's strict mode, which refuses unknown keywords and other schema mistakes:
   * the kit's tests compile every validator that way; servers skip the checks to start faster.
   */
  constructor(document?: OpenApiDocument, options: { strict?: boolean; precompiled?: boolean } = {}) {
    this.document = document ?? loadSpec();
    const strict = options.strict ?? false;
    // The kit's own spec has its body validators compiled ahead of time (fast start); any other
    // document, strict mode, or precompiled: false compiles them here.
    this.precompiled =
      document === undefined && !strict && options.precompiled !== false
        ? precompiledFile("validators.cjs")
        : undefined;
    this.strict = strict;
    this.precompiledParameters =
      document === undefined && !strict && options.precompiled !== false
        ? precompiledFile("parameter-validators.cjs")
        : undefined;
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

  validateSchema(schemaName: string, value: unknown): Violation[] {
    if (!(schemaName in this.document.components.schemas)) {
      throw new Error(`unknown schema '${schemaName}'; known: ${this.schemaNames.join(", ")}`);
    }
    const validate = this.schemaValidator({ $ref: `#/components/schemas/${schemaName}` }, "", "");
    return validate(value) ? [] : toViolations(validate.errors ?? [], "body");
  }

  validateRequest(operationId: string, input: RequestInput): Violation[] {
    const op = this.get(operationId);
    const violations: Violation[] = [];
    violations.push(...validateParameters(op.path, input.pathParams ?? {}, "path"));
    violations.push(...this.validateQuery(op, input.query));
    violations.push(...validateParameters(op.header, headerRecord(input.headers), "header"));

    const hasBody = input.body !== undefined;
    if (!op.body) {
      if (hasBody) {
        violations.push({
          location: "body",
          path: "",
          rule: "noBody",
          message: `${operationId} takes no request body`,
        });
      }
      return violations;
    }
    if (!hasBody) {
      if (op.body.required) {
        violations.push({ location: "body", path: "", rule: "required", message: "a JSON request body is required" });
      }
      return violations;
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
      });
      return violations;
    }
    if (!op.body.validate(input.body)) {
      violations.push(...toViolations(op.body.validate.errors ?? [], "body"));
    }
    return violations;
  }

  validateResponse(operationId: string, input: ResponseInput): Violation[] {
    const op = this.get(operationId);
    const response = this.response(op, String(input.status));
    if (!response) {
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
      if (value === undefined) {
        if (header.required) {
          violations.push({
            location: "header",
            path: `/${header.name}`,
            rule: "required",
            message: `header '${header.name}' is required`,
          });
        }
      } else if (!header.validate(value)) {
        violations.push(
          ...toViolations(header.validate.errors ?? [], "header").map((v) => ({
            ...v,
            path: `/${header.name}${v.path}`,
          })),
        );
      }
    }
    if (response.body && input.body === undefined) {
      violations.push({
        location: "body",
        path: "",
        rule: "required",
        message: `a ${input.status} response of ${operationId} has a JSON body`,
      });
    } else if (!response.body && input.body !== undefined) {
      violations.push({
        location: "body",
        path: "",
        rule: "noBody",
        message: `a ${input.status} response of ${operationId} has no body`,
      });
    } else if (response.body && !response.body(input.body)) {
      violations.push(...toViolations(response.body.errors ?? [], "body"));
    }
    return violations;
  }

  /** Only the body of a declared response: for examples and fixtures, which carry no headers. */
  validateResponseBody(operationId: string, status: number | string, body: unknown): Violation[] {
    const response = this.response(this.get(operationId), String(status));
    if (!response?.body) {
      throw new Error(`${operationId} declares no ${status} response with a JSON body`);
    }
    return response.body(body) ? [] : toViolations(response.body.errors ?? [], "body");
  }

  /** Only the body of a request: for examples and fixtures. */
  validateRequestBody(operationId: string, body: unknown): Violation[] {
    const op = this.get(operationId);
    if (!op.body) {
      throw new Error(`${operationId} takes no request body`);
    }
    return op.body.validate(body) ? [] : toViolations(op.body.validate.errors ?? [], "body");
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
        });
      }
      if (name.startsWith("$") && !declared.has(name)) {
        violations.push({
          location: "query",
          path: `/${name}`,
          rule: "unknownQueryOption",
          message: `'${name}' is not supported by ${op.operation.operationId}; supported: ${[...declared].filter((n) => n.startsWith("$")).join(", ") || "none"}`,
        });
        continue;
      }
      const first = values[0];
      if (declared.has(name) && first !== undefined) record[name] = first;
    }
    return [...violations, ...validateParameters(op.query, record, "query")];
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
          validate: this.parameterAjv().compile(resolved.schema ?? {}),
        };
      }),
      body:
        media?.schema !== undefined ? this.schemaValidator(media.schema, op.operation.operationId, status) : undefined,
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
    if (!ajv.getSchema(id)) ajv.addSchema(absolutizeRefs(schema) as object, id);
    const compiled = ajv.getSchema(id);
    if (!compiled) throw new Error(`could not compile the ${where} schema of ${operationId}`);
    return compiled;
  }
}

let shared: SpecValidators | undefined;

/** The validators for the kit's own spec, compiled on first use and shared by everything after. */
export function specValidators(): SpecValidators {
  shared ??= new SpecValidators();
  return shared;
}

function validateParameters(
  compiled: CompiledParameters,
  values: Record<string, string | undefined>,
  location: "path" | "query" | "header",
): Violation[] {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) data[key] = value;
  }
  return compiled.validate(data) ? [] : toViolations(compiled.validate.errors ?? [], location);
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
