/**
 * The parts of an OpenAPI 3.1 document the kit reads. Deliberately loose where the kit only
 * passes values through to Ajv (schemas are JSON Schema 2020-12 objects).
 */
/**
 * The suffix of a schema's closed request form (`EducationCsvDataProviderInput`), which
 * scripts/codegen/expand-spec.ts derives for every object a request body can carry.
 */
export const requestFormSuffix = "Input";

export type JsonSchema = boolean | { [keyword: string]: unknown };

export interface OpenApiParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
  /** Where the parameter and its constraints come from (provenance.ts). */
  "x-sds-source"?: string | Record<string, string>;
}

export interface OpenApiReference {
  $ref: string;
}

export interface OpenApiMediaType {
  schema?: JsonSchema;
  examples?: Record<string, { summary?: string; description?: string; value?: unknown } | OpenApiReference>;
}

export interface OpenApiHeader {
  description?: string;
  required?: boolean;
  schema?: JsonSchema;
  "x-sds-source"?: string | Record<string, string>;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, OpenApiHeader | OpenApiReference>;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiRequestBody {
  required?: boolean;
  content: Record<string, OpenApiMediaType>;
}

export interface GraphPermissions {
  delegated: string[];
  application: string[];
}

export interface OpenApiOperation {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: (OpenApiParameter | OpenApiReference)[];
  requestBody?: OpenApiRequestBody | OpenApiReference;
  responses: Record<string, OpenApiResponse | OpenApiReference>;
  "x-permissions": GraphPermissions;
  /** Where several 2xx are declared, the one the kit's servers answer. */
  "x-served-status"?: string;
  /** Where the operation comes from (provenance.ts). */
  "x-sds-source"?: string;
  /** Where each declared status comes from. */
  "x-sds-responses"?: Record<string, string>;
}

export const httpMethods = ["get", "put", "post", "delete", "patch"] as const;
export type HttpMethod = (typeof httpMethods)[number];

export type OpenApiPathItem = {
  parameters?: (OpenApiParameter | OpenApiReference)[];
} & Partial<Record<HttpMethod, OpenApiOperation>>;

export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  servers?: { url: string; description?: string }[];
  paths: Record<string, OpenApiPathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    parameters?: Record<string, OpenApiParameter>;
    headers?: Record<string, OpenApiHeader>;
    responses?: Record<string, OpenApiResponse>;
    securitySchemes?: Record<string, unknown>;
  };
  [extension: string]: unknown;
}

export function isReference(value: unknown): value is OpenApiReference {
  return typeof value === "object" && value !== null && typeof (value as OpenApiReference).$ref === "string";
}

/** Resolves an internal `#/components/...` reference; throws on anything else. */
export function resolveReference<T>(document: OpenApiDocument, value: T | OpenApiReference): T {
  if (!isReference(value)) {
    return value;
  }
  const ref = value.$ref;
  if (!ref.startsWith("#/")) {
    throw new Error(`spec: only internal references can be resolved here, got '${ref}'`);
  }
  let node: unknown = document;
  for (const raw of ref.slice(2).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !(segment in node)) {
      throw new Error(`spec: dangling reference '${ref}'`);
    }
    node = (node as Record<string, unknown>)[segment];
  }
  return resolveReference(document, node as T | OpenApiReference);
}
