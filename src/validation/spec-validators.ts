import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { loadSpec } from "../spec/load-spec.js";
import {
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiHeader,
  type OpenApiParameter,
  resolveReference,
} from "../spec/openapi-document.js";
import { jsonContent, listOperations, type SpecOperation } from "../spec/operations.js";
import { allowedTypesKeyword, canonicalTypesKeyword, toViolations } from "./ajv-errors.js";
import type { Violation } from "./violation.js";

// ajv-formats is CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const specId = "urn:sds-contract-kit:openapi";

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
  private readonly schemaAjv: Ajv2020;
  private readonly parameterAjv: Ajv2020;
  private readonly operations = new Map<string, SpecOperation>();
  private readonly compiled = new Map<string, CompiledOperation>();

  constructor(document: OpenApiDocument = loadSpec()) {
    this.document = document;
    this.schemaAjv = createAjv(false);
    this.schemaAjv.addSchema({ $id: specId, components: { schemas: prepareSchemas(document) } });
    // Parameters arrive as strings; only their validator may coerce ("5" -> 5 for $top).
    this.parameterAjv = createAjv(true);
    for (const operation of listOperations(document)) this.operations.set(operation.operationId, operation);
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
    const validate = this.schemaValidator({ $ref: `#/components/schemas/${schemaName}` });
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
    const response = op.responses.get(String(input.status));
    if (!response) {
      return [
        {
          location: "status",
          path: "",
          rule: "status",
          message: `${input.status} is not a declared response of ${operationId} (declared: ${[...op.responses.keys()].join(", ")})`,
          expected: [...op.responses.keys()],
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
    const response = this.get(operationId).responses.get(String(status));
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
    const byLocation = (location: OpenApiParameter["in"]): CompiledParameters => {
      const parameters = operation.parameters.filter((p) => p.in === location);
      const key = (p: OpenApiParameter) => (location === "header" ? p.name.toLowerCase() : p.name);
      const schema = {
        type: "object",
        properties: Object.fromEntries(parameters.map((p) => [key(p), p.schema ?? {}])),
        required: parameters.filter((p) => p.required).map(key),
      };
      return { validate: this.parameterAjv.compile(schema), parameters };
    };

    const bodyMedia = jsonContent(operation.requestBody?.content);
    const responses = new Map<string, CompiledResponse>();
    for (const [status, response] of Object.entries(operation.responses)) {
      const media = jsonContent(response.content);
      const headers = Object.entries(response.headers ?? {}).map(([name, header]) => {
        const resolved = resolveReference<OpenApiHeader>(this.document, header);
        return {
          name: name.toLowerCase(),
          required: resolved.required === true,
          validate: this.parameterAjv.compile(resolved.schema ?? {}),
        };
      });
      responses.set(status, {
        headers,
        body: media?.schema !== undefined ? this.schemaValidator(media.schema) : undefined,
      });
    }

    return {
      operation,
      path: byLocation("path"),
      query: byLocation("query"),
      header: byLocation("header"),
      body:
        bodyMedia?.schema !== undefined
          ? { required: operation.requestBody?.required === true, validate: this.schemaValidator(bodyMedia.schema) }
          : undefined,
      responses,
    };
  }

  /** Compiles a schema whose internal refs point into the spec's components. */
  private schemaValidator(schema: JsonSchema): ValidateFunction {
    const absolute = absolutizeRefs(schema);
    if (isPureRef(absolute)) {
      const existing = this.schemaAjv.getSchema(absolute.$ref);
      if (existing) return existing;
    }
    return this.schemaAjv.compile(absolute as object);
  }
}

let shared: SpecValidators | undefined;

/** The validators for the kit's own spec, compiled on first use and shared by everything after. */
export function specValidators(): SpecValidators {
  shared ??= new SpecValidators();
  return shared;
}

function createAjv(coerceTypes: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    // OpenAPI puts the discriminator property in each branch's `required`, not the parent's.
    strictRequired: false,
    allowUnionTypes: true,
    discriminator: true,
    coerceTypes,
  });
  addFormats(ajv);
  ajv.addVocabulary(["components", "example", allowedTypesKeyword, canonicalTypesKeyword]);
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

function absolutizeRefs(node: JsonSchema): JsonSchema {
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

function isPureRef(schema: JsonSchema): schema is { $ref: string } {
  return typeof schema === "object" && typeof schema.$ref === "string" && Object.keys(schema).length === 1;
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
