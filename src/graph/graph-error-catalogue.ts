import { randomUUID } from "node:crypto";
import type { Violation } from "../validation/violation.js";

/**
 * The one catalogue of Graph errors the kit's servers answer with. Each entry is the `code` and
 * HTTP status the kit answers, where that code comes from, and a message template the call site
 * fills in. Codes come, in this order, from what the live service was seen to answer (`observed`:
 * decisions.md#service-error-codes), from Graph's documented list, or from the kit's own choice
 * (decisions.md#error-codes). The entry's name says what happened; the code is what goes on the wire.
 */
export const graphErrorCatalogue = {
  invalidRequest: {
    status: 400,
    code: "BadRequest",
    source: "observed decisions.md#service-error-codes",
    message: (detail: string) => `Invalid request: ${detail}`,
  },
  invalidJson: {
    status: 400,
    code: "BadRequest",
    source: "observed decisions.md#service-error-codes",
    message: (detail: string) => `The request body is not valid JSON: ${detail}`,
  },
  /** The service's own words for an `@odata.type` it does not know, the leading `#` left out (decisions.md#odata-namespace). */
  invalidOdataType: {
    status: 400,
    code: "BadRequest",
    source: "observed decisions.md#odata-namespace",
    message: (typeName: string) => `Invalid OData type specified: "${typeName}"`,
  },
  /** Graph's OData parser for a `$select` or `$expand` naming what the type does not have (decisions.md#select). */
  invalidProjection: {
    status: 400,
    code: "BadRequest",
    source: "observed decisions.md#select",
    message: (detail: string) => detail,
  },
  /** Graph's URL parser for a path that names nothing it serves (decisions.md#unknown-segment). */
  routeNotFound: {
    status: 400,
    code: "BadRequest",
    source: "observed decisions.md#unknown-segment",
    message: (segment: string) => `Resource not found for the segment '${segment}'.`,
  },
  notSupported: {
    status: 400,
    code: "BadRequest",
    source: "kit decisions.md#csv-only",
    message: (detail: string) => detail,
  },
  unauthenticated: {
    status: 401,
    code: "InvalidAuthenticationToken",
    source: "observed decisions.md#unauthenticated-code",
    message: (detail: string) => detail,
  },
  accessDenied: {
    status: 403,
    code: "accessDenied",
    source: "graph-convention §4 (a documented code)",
    message: (detail: string) => `Insufficient privileges to complete the operation. ${detail}`,
  },
  quotaLimitReached: {
    status: 403,
    code: "quotaLimitReached",
    source: "kit decisions.md#error-codes",
    message: (detail: string) => detail,
  },
  itemNotFound: {
    status: 404,
    code: "itemNotFound",
    source: "kit decisions.md#unknown-profile",
    message: (detail: string) => detail,
  },
  /** The simulator's own admin API: not Graph, so the kit's plain 404. */
  adminRouteNotFound: {
    status: 404,
    code: "itemNotFound",
    source: "kit decisions.md#error-codes",
    message: (detail: string) => detail,
  },
  methodNotAllowed: {
    status: 405,
    code: "notAllowed",
    source: "graph-convention §4 (a documented code)",
    message: (detail: string) => detail,
  },
  conflict: {
    status: 409,
    code: "conflict",
    source: "kit decisions.md#state-conflict",
    message: (detail: string) => detail,
  },
  requestTimeout: {
    status: 408,
    code: "requestTimeout",
    source: "kit decisions.md#request-timeout",
    message: (detail: string) => detail,
  },
  payloadTooLarge: {
    status: 413,
    code: "requestEntityTooLarge",
    source: "kit decisions.md#request-size",
    message: (detail: string) => detail,
  },
  unsupportedMediaType: {
    status: 415,
    code: "unsupportedMediaType",
    source: "kit decisions.md#error-codes",
    message: (detail: string) => detail,
  },
  tooManyRequests: {
    status: 429,
    code: "TooManyRequests",
    source: "graph-convention §4 (throttling)",
    message: (detail: string) => detail,
  },
  internalError: {
    status: 500,
    code: "InternalError",
    source: "observed decisions.md#service-error-codes",
    message: (detail: string) => detail,
  },
  serviceNotAvailable: {
    status: 503,
    code: "serviceNotAvailable",
    source: "graph-convention §4 (a documented code)",
    message: (detail: string) => detail,
  },
  gatewayTimeout: {
    status: 504,
    code: "gatewayTimeout",
    source: "kit decisions.md#error-codes",
    message: (detail: string) => detail,
  },
} as const;

export type GraphErrorName = keyof typeof graphErrorCatalogue;

/** The ids every Graph response carries, and the moment it was answered. */
export interface ResponseIds {
  requestId: string;
  clientRequestId: string;
  date: Date;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The ids of a new response: a fresh request id, and the client's `client-request-id` echoed when
 * it is a GUID (Graph's rule), else the request id again.
 */
export function responseIds(sentClientRequestId: string | null | undefined, date: Date): ResponseIds {
  const requestId = randomUUID();
  const clientRequestId =
    sentClientRequestId && uuidPattern.test(sentClientRequestId) ? sentClientRequestId : requestId;
  return { requestId, clientRequestId, date };
}

/** One broken rule of a refused request, as Graph's `error.details` lists them. */
export interface GraphErrorDetail {
  code: string;
  message: string;
  target: string;
}

export interface GraphErrorEnvelope {
  error: {
    code: string;
    message: string;
    innerError: { date: string; "request-id": string; "client-request-id": string; [member: string]: unknown };
    details?: GraphErrorDetail[];
    [member: string]: unknown;
  };
}

/** Graph writes `innerError.date` in UTC without a zone designator: `2021-05-18T19:03:10`. */
export function graphDate(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** The envelope for a catalogue entry; `violations`, when there are any, become `error.details`. */
export function graphError(
  name: GraphErrorName,
  detail: string,
  ids: ResponseIds,
  violations: readonly Violation[] = [],
): GraphErrorEnvelope {
  const entry = graphErrorCatalogue[name];
  const envelope: GraphErrorEnvelope = {
    error: {
      code: entry.code,
      message: entry.message(detail),
      innerError: innerError(ids),
    },
  };
  if (violations.length > 0) {
    envelope.error.details = violations.map((v) => ({
      code: v.rule,
      message: v.message,
      target: `${v.location}${v.path}`,
    }));
  }
  return envelope;
}

export function innerError(ids: ResponseIds): GraphErrorEnvelope["error"]["innerError"] {
  return { date: graphDate(ids.date), "request-id": ids.requestId, "client-request-id": ids.clientRequestId };
}

/** The catalogue entry for a status, for errors that arrive with only a status (from Prism, say). */
export function graphErrorForStatus(status: number): GraphErrorName {
  const match = (Object.keys(graphErrorCatalogue) as GraphErrorName[]).find(
    (name) => graphErrorCatalogue[name].status === status,
  );
  if (match) return match;
  return status >= 500 ? "internalError" : "invalidRequest";
}
