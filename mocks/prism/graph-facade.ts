import { Agent, type IncomingHttpHeaders, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { Operation } from "../../generated/route-table.js";
import {
  type GraphErrorEnvelope,
  graphError,
  graphErrorForStatus,
  innerError,
  type ResponseIds,
  responseIds,
} from "../../src/graph/graph-error-catalogue.js";
import { errorResponse, type GraphResponse, withResponseIds } from "../../src/graph/graph-responses.js";
import { type Projection, projectBody } from "../../src/graph/query-options.js";
import {
  checkAgainstSpec,
  defaultMaxBodyBytes,
  type GraphRequest,
  readJsonBody,
  requireBearer,
  routeRequest,
} from "../../src/graph/request-checks.js";
import { headerValue, readGraphRequest, unreadRequestResponse, writeGraphResponse } from "../../src/http/node-http.js";
import { formatPrefer, type Preferences, parsePrefer } from "../../src/http/prefer-header.js";
import { docsSiteResponse } from "../../src/site/serve-docs.js";
import { jsonContent } from "../../src/spec/spec-operations.js";
import type { SpecValidators } from "../../src/validation/spec-validators.js";

export interface GraphFacadeOptions {
  /** Where Prism listens, e.g. `http://127.0.0.1:43111`. */
  upstream: URL;
  validators: SpecValidators;
  /** Largest request body forwarded; larger ones get 413. */
  maxBodyBytes?: number;
  /** How long a request's body may take after its headers; slower is a 408 (default: no limit here). */
  bodyTimeoutMs?: number;
  /** How long Prism may take to answer; slower is a 504 `gatewayTimeout` naming Prism (default 30 s). */
  upstreamTimeoutMs?: number;
  /** Where the kit's own pages are served (the documentation site at `<prefix>/docs/`); undefined: nowhere. */
  adminPrefix?: string;
}

export interface GraphFacade {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Closes the kept-alive connections to Prism. */
  close(): void;
}

/**
 * Sits in front of Prism so that the mock answers like Graph where Prism cannot by itself:
 * - every request passes the same checks as the simulator's, in the same order (route, body, a
 *   bearer token, the spec), so a malformed request gets the same Graph error from either server;
 * - every response carries a fresh `request-id` and echoes `client-request-id`, in the headers and
 *   in error envelopes, with Graph's `innerError.date`;
 * - the rest of Prism's own errors (problem+json, its bare `invalid_json`) become Graph envelopes;
 * - `/beta` and `/testEduApi` prefixes are accepted, segments in any letter case, query options
 *   with or without their `$`, and `$select` shapes Prism's answer as Graph's would be shaped;
 * - the documentation site is served at `<adminPrefix>/docs/` (the simulator's too);
 * - `Prefer` is checked against the spec (an undeclared code or unknown example is a 400 that lists
 *   what exists), `example=<name>` alone finds the status that has it, and operations with several
 *   2xx default to the one the kit serves (`x-served-status`: create answers 202, not Prism's 201).
 */
export function createGraphFacade(options: GraphFacadeOptions): GraphFacade {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const ids = responseIds(headerValue(req.headers["client-request-id"]), new Date());
    const bodyTimeout = options.bodyTimeoutMs === undefined ? {} : { bodyTimeoutMs: options.bodyTimeoutMs };
    readGraphRequest(req, { maxBodyBytes, origin: "http://mock.invalid", ...bodyTimeout })
      .then((graphRequest) => answer(graphRequest, ids))
      .catch((error: unknown) => {
        const unread = unreadRequestResponse(error, ids);
        if (unread) return unread;
        if (error instanceof UpstreamTimeoutError) return errorResponse("gatewayTimeout", error.message, ids);
        const message = error instanceof Error ? error.message : String(error);
        const upstreamDown = /ECONNREFUSED|ECONNRESET|socket hang up/.test(message);
        return errorResponse(
          upstreamDown ? "serviceNotAvailable" : "internalError",
          upstreamDown ? `The mock failed: Prism did not answer (${message}).` : `The mock failed: ${message}`,
          ids,
        );
      })
      .then((response) => writeGraphResponse(res, withResponseIds(response, ids)));
  };
  return { handle, close: () => agent.destroy() };

  async function answer(graphRequest: GraphRequest, ids: ResponseIds): Promise<GraphResponse> {
    if (options.adminPrefix !== undefined) {
      const docs = await docsSiteResponse(options.adminPrefix, graphRequest.method, graphRequest.url.pathname, ids);
      if (docs) return docs;
    }
    const routed = routeRequest(graphRequest, ids);
    if (!routed.ok) return routed.response;
    const { operation } = routed.value;
    const body = readJsonBody(graphRequest, operation, ids, maxBodyBytes);
    if (!body.ok) return body.response;
    // Prism takes any bearer token; without one, the same 401 as the simulator's.
    const bearer = requireBearer(graphRequest, ids);
    if (!bearer.ok) return bearer.response;
    const checked = checkAgainstSpec(options.validators, graphRequest, routed.value, body.value, ids);
    if (!checked.ok) return checked.response;

    const preferences = parsePrefer(graphRequest.header("prefer"));
    const preferError = resolvePreferences(operation, preferences);
    if (preferError) return errorResponse("invalidRequest", preferError, ids);

    // Prism sees the spec's own path and the `$` form of every option (decisions.md#segment-case, #optional-dollar).
    const upstream = await forward(graphRequest, `${routed.value.path}${routed.value.url.search}`, preferences);
    return projected(fromUpstream(upstream, ids), checked.value);
  }

  function forward(graphRequest: GraphRequest, path: string, preferences: Preferences): Promise<Upstream> {
    const headers: Record<string, string> = {};
    for (const name of forwardedHeaders) {
      const value = graphRequest.header(name);
      if (value !== null) headers[name] = value;
    }
    if (preferences.size > 0) headers.prefer = formatPrefer(preferences);
    // A body a GET or DELETE does not use stays here, as the simulator ignores it (decisions.md#bodies-without-use).
    const ignored = graphRequest.method === "GET" || graphRequest.method === "DELETE";
    const body = ignored ? Buffer.alloc(0) : (graphRequest.body ?? Buffer.alloc(0));
    if (body.length > 0) headers["content-length"] = String(body.length);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        new URL(path, options.upstream),
        { method: graphRequest.method, headers, agent },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
          incoming.on("end", () =>
            resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: Buffer.concat(chunks) }),
          );
          incoming.on("error", reject);
        },
      );
      // A Prism that hangs, rather than dies, is told too: the request is not held for ever.
      const upstreamTimeoutMs = options.upstreamTimeoutMs ?? 30_000;
      outgoing.setTimeout(upstreamTimeoutMs, () => outgoing.destroy(new UpstreamTimeoutError(upstreamTimeoutMs)));
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  }

  function resolvePreferences(operation: Operation, preferences: Preferences): string | undefined {
    const operationId = operation.operationId;
    const declared = operation.statuses as readonly string[];
    const responses = options.validators.operation(operationId).responses;
    const examplesOf = (status: string) => Object.keys(jsonContent(responses[status]?.content)?.examples ?? {});

    const code = preferences.get("code");
    const example = preferences.get("example");
    if (code !== undefined && (code === true || !declared.includes(code))) {
      return `Prefer: code=${code === true ? "" : code} is not a declared response of ${operationId}; declared: ${declared.join(", ")}.`;
    }
    if (example !== undefined) {
      const name = example === true ? "" : example;
      const candidates = code === undefined ? orderedStatuses(operation, declared) : [code];
      const status = candidates.find((s) => examplesOf(s).includes(name));
      if (!status) {
        const known = candidates.flatMap((s) => examplesOf(s).map((e) => `${s}:${e}`));
        return `Prefer: example=${name} is not an example of ${operationId}${code === undefined ? "" : ` ${code}`}; known: ${known.join(", ") || "none"}.`;
      }
      preferences.set("code", status);
      return undefined;
    }
    if (code === undefined && operation.servedStatus !== null) preferences.set("code", operation.servedStatus);
    return undefined;
  }
}

/**
 * Prism answers every property of its example or generated entity; `$select` keeps only those asked
 * for, as Graph does (decisions.md#select). `$expand` is accepted, but a stateless mock has no
 * status or errors to put in: the entity comes back without them.
 */
function projected(response: GraphResponse, projection: Projection | undefined): GraphResponse {
  if (!projection || response.status !== 200 || response.body === undefined) return response;
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return response;
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return response;
  return { ...response, body: JSON.stringify(projectBody(body as Record<string, unknown>, projection)) };
}

/** Prism took longer than the façade waits. */
class UpstreamTimeoutError extends Error {
  override name = "UpstreamTimeoutError";
  constructor(timeoutMs: number) {
    super(`The mock failed: Prism did not answer within ${timeoutMs} ms.`);
  }
}

function orderedStatuses(operation: Operation, declared: readonly string[]): string[] {
  const served = operation.servedStatus;
  const rest = declared.filter((s) => s !== served);
  return served === null ? rest : [served, ...rest];
}

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What Prism needs of the client's request: the body's type, the token, and the ids. */
const forwardedHeaders = ["content-type", "authorization", "client-request-id", "accept"] as const;

/** Hop-by-hop and length headers are the façade's own to set. */
const droppedUpstreamHeaders = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

function fromUpstream(upstream: Upstream, ids: ResponseIds): GraphResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(upstream.headers)) {
    const flat = headerValue(value);
    if (flat !== null && !droppedUpstreamHeaders.has(name)) headers[name] = flat;
  }
  const requestViolations = onlyRequestViolations(upstream.headers["sl-violations"]);
  if (requestViolations) headers["sl-violations"] = requestViolations;
  else delete headers["sl-violations"];

  let body = upstream.body.toString("utf8");
  if (upstream.status >= 400) {
    const envelope = toGraphEnvelope(upstream, ids);
    if (envelope) {
      body = JSON.stringify(envelope);
      headers["content-type"] = "application/json";
    }
  }
  return { status: upstream.status, headers, body: body.length > 0 ? body : undefined };
}

/**
 * Prism's own errors as Graph envelopes; an error Prism served from the spec's examples keeps its
 * body, with this response's ids and date in `innerError`.
 */
function toGraphEnvelope(upstream: Upstream, ids: ResponseIds): GraphErrorEnvelope | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(upstream.body.toString("utf8"));
  } catch {
    parsed = undefined;
  }
  const contentType = String(upstream.headers["content-type"] ?? "");
  if (contentType.includes("problem+json") || parsed === undefined) {
    const problem = (parsed ?? {}) as { title?: string; detail?: string };
    return graphError(
      graphErrorForStatus(upstream.status),
      problem.detail ?? problem.title ?? `HTTP ${upstream.status}`,
      ids,
    );
  }
  const envelope = parsed as Partial<GraphErrorEnvelope>;
  if (typeof envelope.error !== "object" || envelope.error === null) return undefined;
  if (envelope.error.code === "invalid_json") {
    return graphError("invalidJson", String(envelope.error.message ?? "unreadable body"), ids);
  }
  return {
    ...envelope,
    error: { ...envelope.error, innerError: { ...envelope.error.innerError, ...innerError(ids) } },
  } as GraphErrorEnvelope;
}

/**
 * Prism also reports how its own generated responses fit the schemas it generated them from; for
 * the mock's user only a verdict on their request is news. Prism sends a plain sentence, not JSON,
 * once there are too many violations to list ("Too many violations! ..."): that says nothing about
 * the request and is dropped too.
 */
export function onlyRequestViolations(header: string | string[] | undefined): string | undefined {
  if (typeof header !== "string") return undefined;
  let list: unknown;
  try {
    list = JSON.parse(header);
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  const requestSide = list.filter(
    (v: { location?: unknown }) => Array.isArray(v.location) && v.location[0] === "request",
  );
  return requestSide.length > 0 ? JSON.stringify(requestSide) : undefined;
}
