import type { Operation } from "../../generated/route-table.js";
import { matchRoute } from "../spec/match-route.js";
import { maxJsonDepth, nestsDeeperThan } from "../validation/json-depth.js";
import { refusedOdataTypeRule, type SpecValidators } from "../validation/spec-validators.js";
import { formatViolation } from "../validation/violation.js";
import type { ResponseIds } from "./graph-error-catalogue.js";
import { errorResponse, type GraphResponse, unroutedResponse, wwwAuthenticate } from "./graph-responses.js";
import { type Projection, projectionTarget, readProjection, withDollarPrefixes } from "./query-options.js";

/**
 * The checks both servers make, in the same order, before a request reaches what stands behind
 * them (Prism, or the simulator's handlers): so the same malformed request gets the same answer
 * from either. Each check answers a Graph error, or lets the request through.
 */

/** A request as the checks read it; the node:http adapter and the in-process fetch both build one. */
export interface GraphRequest {
  method: string;
  url: URL;
  header(name: string): string | null;
  /** The body, or undefined when there is none. The node:http adapter keeps at most one byte past the limit. */
  body: Buffer | undefined;
}

/** Largest request body either server accepts; larger gets 413. */
export const defaultMaxBodyBytes = 1024 * 1024;

export type Checked<T> = { ok: true; value: T } | { ok: false; response: GraphResponse };

const pass = <T>(value: T): Checked<T> => ({ ok: true, value });
const refuse = <T>(response: GraphResponse): Checked<T> => ({ ok: false, response });

export interface RoutedRequest {
  operation: Operation;
  pathParams: Record<string, string>;
  /** The path without its API version prefix, in the spec's spelling, SDK action names unqualified. */
  path: string;
  /** The request's URL with every system query option in its `$` form (decisions.md#optional-dollar). */
  url: URL;
}

/** The operation of the spec the request is for; Graph's 400 for an unknown segment, or 405, otherwise. */
export function routeRequest(request: GraphRequest, ids: ResponseIds): Checked<RoutedRequest> {
  const match = matchRoute(request.method, request.url.pathname);
  if (match.kind !== "operation") return refuse(unroutedResponse(request.method, match, ids));
  return pass({
    operation: match.operation,
    pathParams: match.pathParams,
    path: match.path,
    url: withDollarPrefixes(request.url),
  });
}

/**
 * The parsed JSON body (undefined when there is none); 413, 415 or 400 for one that cannot be read.
 * For an operation that takes no body, what was sent, unread.
 */
export function readJsonBody(
  request: GraphRequest,
  operation: Operation,
  ids: ResponseIds,
  maxBodyBytes = defaultMaxBodyBytes,
): Checked<unknown> {
  if (!request.body || request.body.length === 0) return pass(undefined);
  // An operation that takes no body does not read one, whatever its size or type: a GET or DELETE
  // ignores it (decisions.md#bodies-without-use), the spec check refuses one on an action (400, `noBody`).
  if (!operation.requestBody) return pass(request.body);
  if (request.body.length > maxBodyBytes) {
    return refuse(errorResponse("payloadTooLarge", `The request body exceeds ${maxBodyBytes} bytes.`, ids));
  }
  const contentType = request.header("content-type");
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? "")) {
    return refuse(
      errorResponse(
        "unsupportedMediaType",
        `Content-Type must be application/json, got ${contentType ?? "none"}.`,
        ids,
      ),
    );
  }
  const text = request.body.toString("utf8");
  // Checking a value walks it; one nested thousands deep would overflow the stack of whatever walks it
  // first. Read before parsing, so that such a body is never built.
  if (nestsDeeperThan(text, maxJsonDepth)) {
    return refuse(
      errorResponse("invalidRequest", `the body nests arrays and objects more than ${maxJsonDepth} levels deep.`, ids),
    );
  }
  try {
    return pass(JSON.parse(text));
  } catch (error) {
    return refuse(errorResponse("invalidJson", error instanceof Error ? error.message : "unreadable body", ids));
  }
}

/** The bearer token, when the request carries one; 401 with `WWW-Authenticate` when it carries none. */
export function requireBearer(
  request: GraphRequest,
  ids: ResponseIds,
  reason = "Access token is empty.",
): Checked<string> {
  const authorization = request.header("authorization");
  const token = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
  if (token) return pass(token);
  return refuse(
    errorResponse("unauthenticated", authorization ? "Access token is missing or not a Bearer token." : reason, ids, {
      headers: { "www-authenticate": wwwAuthenticate },
    }),
  );
}

/**
 * 400 naming every rule of the spec the request breaks, each also in `error.details`, or naming
 * what `$select`/`$expand` asks for that the type does not have; the projection the request asks
 * for when it keeps every rule.
 */
export function checkAgainstSpec(
  validators: SpecValidators,
  request: GraphRequest,
  routed: RoutedRequest,
  body: unknown,
  ids: ResponseIds,
): Checked<Projection | undefined> {
  const operationId = routed.operation.operationId;
  const headers: Record<string, string | undefined> = {};
  for (const parameter of validators.operation(operationId).parameters) {
    if (parameter.in === "header") headers[parameter.name.toLowerCase()] = request.header(parameter.name) ?? undefined;
  }
  // A body a GET or DELETE does not use is not read, so not judged either (decisions.md#bodies-without-use).
  const ignoresBody = request.method === "GET" || request.method === "DELETE";
  const violations = validators.validateRequest(operationId, {
    pathParams: routed.pathParams,
    query: routed.url.searchParams,
    headers,
    body: ignoresBody ? undefined : body,
  });
  if (violations.length > 0) {
    // An `@odata.type` the service did not take leads, in its own words (decisions.md#odata-namespace).
    const unknownType = violations.find(
      (v) => v.rule === refusedOdataTypeRule || (v.rule === "odataType" && typeof v.actual === "string"),
    );
    if (unknownType) {
      const typeName = String(unknownType.actual).replace(/^#/, "");
      return refuse(errorResponse("invalidOdataType", typeName, ids, { violations }));
    }
    return refuse(errorResponse("invalidRequest", violations.map(formatViolation).join("; "), ids, { violations }));
  }
  const projection = readProjection(routed.url.searchParams, projectionTarget(validators.document, operationId));
  if (!projection.ok) return refuse(errorResponse("invalidProjection", projection.message, ids));
  return pass(projection.projection);
}
