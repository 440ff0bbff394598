import type { RouteMatch } from "../spec/match-route.js";
import type { Violation } from "../validation/violation.js";
import { type GraphErrorName, graphError, graphErrorCatalogue, type ResponseIds } from "./graph-error-catalogue.js";

/** A response as both servers build it: node:http writes it, the in-process fetch wraps it. */
export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  /** Already serialised; undefined for no body. */
  body: string | undefined;
}

/** What Graph sends with a 401, so that clients know where to get a token. */
export const wwwAuthenticate =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): GraphResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(value) };
}

export function noContent(status: number): GraphResponse {
  return { status, headers: {}, body: undefined };
}

/** Graph's error envelope for a catalogue entry, with the entry's status and any extra headers. */
export function errorResponse(
  name: GraphErrorName,
  detail: string,
  ids: ResponseIds,
  options: { headers?: Record<string, string>; violations?: readonly Violation[] } = {},
): GraphResponse {
  return jsonResponse(graphErrorCatalogue[name].status, graphError(name, detail, ids, options.violations), {
    ...options.headers,
  });
}

/** Every Graph response carries its `request-id` and the `client-request-id` it answers. */
export function withResponseIds(response: GraphResponse, ids: ResponseIds): GraphResponse {
  response.headers["request-id"] = ids.requestId;
  response.headers["client-request-id"] = ids.clientRequestId;
  return response;
}

/**
 * The answer to a request that reached no operation, one wording for both servers: Graph's 400
 * naming the segment it could not resolve (decisions.md#unknown-segment), or a 405.
 */
export function unroutedResponse(
  method: string,
  match: Exclude<RouteMatch, { kind: "operation" }>,
  ids: ResponseIds,
): GraphResponse {
  if (match.kind === "notFound") return errorResponse("routeNotFound", match.segment, ids);
  return errorResponse(
    "methodNotAllowed",
    `${method} is not supported on ${match.path}; use ${match.allowed.join(" or ")}.`,
    ids,
    { headers: { allow: match.allowed.join(", ") } },
  );
}
