import { Agent, type IncomingHttpHeaders, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { Operation } from "../../generated/route-table.js";
import {
  type GraphErrorEnvelope,
  type GraphErrorName,
  graphError,
  graphErrorCatalogue,
  graphErrorForStatus,
  innerError,
  type ResponseIds,
  responseIds,
} from "../../src/graph/graph-error-catalogue.js";
import { formatPrefer, type Preferences, parsePrefer } from "../../src/http/prefer-header.js";
import { matchRoute } from "../../src/spec/match-route.js";
import { jsonContent } from "../../src/spec/spec-operations.js";
import type { SpecValidators } from "../../src/validation/spec-validators.js";
import { formatViolation } from "../../src/validation/violation.js";

export interface GraphFacadeOptions {
  /** Where Prism listens, e.g. `http://127.0.0.1:43111`. */
  upstream: URL;
  validators: SpecValidators;
  /** Largest request body forwarded; larger ones get 413. */
  maxBodyBytes?: number;
}

const defaultMaxBodyBytes = 1024 * 1024;

/**
 * Sits in front of Prism so that the mock answers like Graph where Prism cannot by itself:
 * - every response carries a fresh `request-id` and echoes `client-request-id`, in the headers and
 *   in error envelopes, with Graph's `innerError.date`;
 * - Prism's own errors (problem+json) and its bare `invalid_json` answer become Graph envelopes;
 *   a 400 for an invalid request names the violated rules (Prism's raw list stays in `sl-violations`);
 * - unknown routes and methods get Graph's 404/405 without reaching Prism;
 * - `/beta` and `/testEduApi` prefixes are accepted;
 * - `Prefer` is checked against the spec (an undeclared code or unknown example is a 400 that lists
 *   what exists), `example=<name>` alone finds the status that has it, and operations with several
 *   2xx default to the one the kit serves (`x-served-status`: create answers 202, not Prism's 201).
 */
export function createGraphFacade(options: GraphFacadeOptions): {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Closes the kept-alive connections to Prism. */
  close(): void;
} {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;

  const respond = (req: IncomingMessage, res: ServerResponse) => {
    const sent = req.headers["client-request-id"];
    const ids = responseIds(typeof sent === "string" ? sent : undefined, new Date());
    handle(req, res, ids).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const upstreamDown = /ECONNREFUSED|ECONNRESET|socket hang up/.test(message);
      sendError(res, ids, upstreamDown ? "serviceNotAvailable" : "generalException", `The mock failed: ${message}`);
    });
  };
  return { handle: respond, close: () => agent.destroy() };

  async function handle(req: IncomingMessage, res: ServerResponse, ids: ResponseIds): Promise<void> {
    const url = new URL(req.url ?? "/", "http://mock.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    const match = matchRoute(method, url.pathname);
    if (match.kind === "notFound") {
      req.resume();
      sendError(
        res,
        ids,
        "routeNotFound",
        `${method} ${url.pathname} is not an operation of the synchronization profile API.`,
      );
      return;
    }
    if (match.kind === "methodNotAllowed") {
      req.resume();
      res.setHeader("Allow", match.allowed.join(", "));
      sendError(
        res,
        ids,
        "methodNotAllowed",
        `${method} is not supported on ${match.path}; use ${match.allowed.join(" or ")}.`,
      );
      return;
    }

    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) {
      sendError(res, ids, "payloadTooLarge", `The request body exceeds ${maxBodyBytes} bytes.`);
      return;
    }

    const preferences = parsePrefer(flatHeaders(req.headers).prefer);
    const preferError = resolvePreferences(match.operation, preferences);
    if (preferError) {
      sendError(res, ids, "invalidRequest", preferError);
      return;
    }

    const upstream = await forward(req, `${match.path}${url.search}`, body, preferences);
    const headers = { ...upstream.headers };
    const requestViolations = onlyRequestViolations(upstream.headers["sl-violations"]);
    if (requestViolations) headers["sl-violations"] = requestViolations;
    else delete headers["sl-violations"];
    delete headers["content-length"];
    delete headers["transfer-encoding"];
    delete headers.connection;
    delete headers["keep-alive"];
    let payload = upstream.body;

    if (upstream.status >= 400) {
      const envelope = toGraphEnvelope(upstream, ids, () =>
        describeInvalidRequest(match.operation, match.pathParams, url, req.headers, body, upstream.headers),
      );
      if (envelope) {
        payload = Buffer.from(JSON.stringify(envelope));
        headers["content-type"] = "application/json";
      }
    }
    headers["request-id"] = ids.requestId;
    headers["client-request-id"] = ids.clientRequestId;
    headers["content-length"] = String(payload.length);
    res.writeHead(upstream.status, headers);
    res.end(payload);
  }

  function forward(
    req: IncomingMessage,
    path: string,
    body: Buffer,
    preferences: Preferences,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !["host", "connection", "content-length", "prefer"].includes(name))
        headers[name] = value;
    }
    if (preferences.size > 0) headers.prefer = formatPrefer(preferences);
    if (body.length > 0) headers["content-length"] = String(body.length);
    return new Promise((resolve, reject) => {
      const outgoing = request(new URL(path, options.upstream), { method: req.method, headers, agent }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("end", () =>
          resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: Buffer.concat(chunks) }),
        );
        incoming.on("error", reject);
      });
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  }

  /** Explains, with the kit's validators, why Prism refused a request; Prism's own words otherwise. */
  function describeInvalidRequest(
    operation: Operation,
    pathParams: Record<string, string>,
    url: URL,
    headers: IncomingHttpHeaders,
    body: Buffer,
    upstreamHeaders: IncomingHttpHeaders,
  ): string | undefined {
    let parsed: unknown;
    if (body.length > 0) {
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        parsed = body.toString("utf8");
      }
    }
    const violations = options.validators.validateRequest(operation.operationId, {
      pathParams,
      query: url.searchParams,
      headers: flatHeaders(headers),
      body: parsed,
    });
    if (violations.length > 0) return violations.map(formatViolation).join("; ");
    const prism = upstreamHeaders["sl-violations"];
    if (typeof prism !== "string") return undefined;
    try {
      const list = JSON.parse(prism) as { message?: string }[];
      return [...new Set(list.map((v) => v.message).filter(Boolean))].join("; ") || undefined;
    } catch {
      return undefined;
    }
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

  function orderedStatuses(operation: Operation, declared: readonly string[]): string[] {
    const served = operation.servedStatus;
    const rest = declared.filter((s) => s !== served);
    return served === null ? rest : [served, ...rest];
  }
}

function toGraphEnvelope(
  upstream: { status: number; headers: IncomingHttpHeaders; body: Buffer },
  ids: ResponseIds,
  describeInvalid: () => string | undefined,
): GraphErrorEnvelope | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(upstream.body.toString("utf8"));
  } catch {
    parsed = undefined;
  }
  const contentType = String(upstream.headers["content-type"] ?? "");
  const name: GraphErrorName = graphErrorForStatus(upstream.status);

  if (contentType.includes("problem+json") || parsed === undefined) {
    const problem = (parsed ?? {}) as { title?: string; detail?: string };
    return graphError(name, problem.detail ?? problem.title ?? `HTTP ${upstream.status}`, ids);
  }
  const envelope = parsed as Partial<GraphErrorEnvelope>;
  if (typeof envelope.error !== "object" || envelope.error === null) return undefined;
  if (envelope.error.code === "invalid_json") {
    return graphError("invalidJson", String(envelope.error.message ?? "unreadable body"), ids);
  }
  if (upstream.status === 400 || upstream.status === 422) {
    // Prism refused the request (rather than serving a 400 it was asked for) when it reports request violations.
    const detail = onlyRequestViolations(upstream.headers["sl-violations"]) ? describeInvalid() : undefined;
    if (detail) return graphError("invalidRequest", detail, ids);
  }
  return {
    ...envelope,
    error: { ...envelope.error, innerError: { ...envelope.error.innerError, ...innerError(ids) } },
  } as GraphErrorEnvelope;
}

/**
 * Prism also reports how its own generated responses fit the schemas it generated them from; for
 * the mock's user only the verdict on their request is news.
 */
function onlyRequestViolations(header: string | string[] | undefined): string | undefined {
  if (typeof header !== "string") return undefined;
  try {
    const list = (JSON.parse(header) as { location?: string[] }[]).filter((v) => v.location?.[0] === "request");
    return list.length > 0 ? JSON.stringify(list) : undefined;
  } catch {
    return header;
  }
}

function sendError(res: ServerResponse, ids: ResponseIds, name: GraphErrorName, detail: string): void {
  const envelope = graphError(name, detail, ids);
  const payload = Buffer.from(JSON.stringify(envelope));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(graphErrorCatalogue[name].status, {
    "content-type": "application/json",
    "content-length": String(payload.length),
    "request-id": ids.requestId,
    "client-request-id": ids.clientRequestId,
  });
  res.end(payload);
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value.join(", ") : value;
  return out;
}

/** The whole body, or `undefined` once it passes the limit (the rest is drained, not kept). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  return tooLarge ? undefined : Buffer.concat(chunks);
}
