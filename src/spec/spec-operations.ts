import {
  type GraphPermissions,
  type HttpMethod,
  httpMethods,
  type OpenApiDocument,
  type OpenApiMediaType,
  type OpenApiOperation,
  type OpenApiParameter,
  type OpenApiRequestBody,
  type OpenApiResponse,
  resolveReference,
} from "./openapi-document.js";

/** One operation of the spec with its references resolved and path-level parameters merged in. */
export interface SpecOperation {
  operationId: string;
  method: HttpMethod;
  path: string;
  summary: string;
  parameters: OpenApiParameter[];
  requestBody: OpenApiRequestBody | undefined;
  responses: Record<string, OpenApiResponse>;
  permissions: GraphPermissions;
  /** The 2xx the kit's servers answer where several are declared (`x-served-status`); null otherwise. */
  servedStatus: string | null;
  /** Where the operation comes from (`x-sds-source`). */
  source: string | undefined;
  /** Where each declared status comes from (`x-sds-responses`). */
  statusSources: Record<string, string>;
}

export function listOperations(document: OpenApiDocument): SpecOperation[] {
  const operations: SpecOperation[] = [];
  for (const [path, pathItem] of Object.entries(document.paths)) {
    const shared = (pathItem.parameters ?? []).map((p) => resolveReference<OpenApiParameter>(document, p));
    for (const method of httpMethods) {
      const operation: OpenApiOperation | undefined = pathItem[method];
      if (!operation) continue;
      const own = (operation.parameters ?? []).map((p) => resolveReference<OpenApiParameter>(document, p));
      const byKey = new Map<string, OpenApiParameter>();
      for (const parameter of [...shared, ...own]) {
        byKey.set(`${parameter.in}:${parameter.name.toLowerCase()}`, parameter);
      }
      const responses: Record<string, OpenApiResponse> = {};
      for (const [status, response] of Object.entries(operation.responses)) {
        responses[status] = resolveReference<OpenApiResponse>(document, response);
      }
      operations.push({
        operationId: operation.operationId,
        method,
        path,
        summary: operation.summary ?? "",
        parameters: [...byKey.values()],
        requestBody: operation.requestBody
          ? resolveReference<OpenApiRequestBody>(document, operation.requestBody)
          : undefined,
        responses,
        permissions: operation["x-permissions"],
        servedStatus: operation["x-served-status"] ?? null,
        source: operation["x-sds-source"],
        statusSources: operation["x-sds-responses"] ?? {},
      });
    }
  }
  return operations;
}

/** The JSON media type of a request body or response, if it has one. */
export function jsonContent(content: Record<string, OpenApiMediaType> | undefined): OpenApiMediaType | undefined {
  return content?.["application/json"];
}
