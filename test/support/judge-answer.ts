import { matchRoute } from "../../src/spec/match-route.js";
import { specValidators } from "../../src/validation/spec-validators.js";
import { formatViolation } from "../../src/validation/violation.js";
import type { HostileRequest } from "./hostile-requests.js";

/** One request and its answer, as the server saw and sent them. */
export interface Exchange {
  method: string;
  /** The URL the server read (a client normalises `..` and the like before sending). */
  url: URL;
  status: number;
  headers: Headers;
  /** The body as text; empty when there is none. */
  text: string;
  /** From sending the request to reading the whole answer. */
  ms: number;
}

export interface JudgeOptions {
  server: "simulator" | "prism";
  /** Every answer must arrive within this. */
  timeLimitMs: number;
  /** Statuses a fault queued earlier (through the admin API) may give this answer. */
  queuedFaults?: boolean;
  /** The answer came over HTTP, where a HEAD response has no body. */
  overHttp?: boolean;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The statuses a request asked for itself: with faults off, the only legitimate 5xx and 429 are
 * the ones the client requested, with `X-Sds-Fault` (simulator: `throttle`, `500`, `503`, `504`,
 * comma-separated) or `Prefer: code=…` (the Prism mock's way of choosing a response).
 */
export function askedStatuses(request: HostileRequest, server: JudgeOptions["server"]): Set<number> {
  const asked = new Set<number>();
  if (server === "simulator") {
    for (const part of (request.headers["x-sds-fault"] ?? "").split(",").map((p) => p.trim())) {
      if (/^throttle(\s|$)/.test(part)) asked.add(429);
      if (["500", "503", "504"].includes(part)) asked.add(Number(part));
    }
  } else {
    for (const match of (request.headers.prefer ?? "").matchAll(/code=(\d{3})/g)) asked.add(Number(match[1]));
  }
  return asked;
}

/**
 * Everything wrong with an answer, as sentences (none: the answer is fine). The properties:
 * - no 5xx (and no 429) the client did not ask for: faults are off, so a 5xx is the server's bug;
 * - the answer arrived within the time bound;
 * - a body is JSON, and the answer carries its ids;
 * - an operation's answer is valid against the spec at the `kit` level, with the stricter check the
 *   kit's own servers are held to (decisions.md#open-responses); a request for no operation gets
 *   Graph's 400 naming the segment (decisions.md#unknown-segment) or a 405, in Graph's envelope;
 * - where the documentation pins the answer (`request.want`), it is that answer.
 */
export function judgeAnswer(request: HostileRequest, exchange: Exchange, options: JudgeOptions): string[] {
  const problems: string[] = [];
  const { status } = exchange;
  if (exchange.ms > options.timeLimitMs)
    problems.push(`took ${Math.round(exchange.ms)} ms, over the ${options.timeLimitMs} ms bound`);

  const asked = askedStatuses(request, options.server);
  const queued = options.queuedFaults === true && [429, 500, 503, 504].includes(status);
  if ((status >= 500 || status === 429) && !asked.has(status) && !queued)
    problems.push(`${status} for a request that did not ask for a fault: ${exchange.text.slice(0, 300)}`);

  let body: unknown;
  const hasBody = exchange.text.length > 0;
  if (hasBody) {
    try {
      body = JSON.parse(exchange.text);
    } catch {
      problems.push(`the body is not JSON: ${exchange.text.slice(0, 200)}`);
    }
    if (!/^application\/json/.test(exchange.headers.get("content-type") ?? ""))
      problems.push(`a body with content-type ${exchange.headers.get("content-type")}`);
  }
  if (!uuid.test(exchange.headers.get("request-id") ?? "")) problems.push("no request-id header");
  if (!exchange.headers.get("client-request-id")) problems.push("no client-request-id header");

  const want =
    asked.size === 0 && !(request.want?.simulatorOnly && options.server === "prism") ? request.want : undefined;
  if (want && !want.statuses.includes(status))
    problems.push(
      `answered ${status}, want ${want.statuses.join(" or ")} (${want.why}): ${exchange.text.slice(0, 300)}`,
    );
  if (want?.code !== undefined && want.statuses.includes(status)) {
    const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (code !== want.code) problems.push(`error code ${String(code)}, want ${want.code} (${want.why})`);
  }

  if (exchange.url.pathname.startsWith("/_sds")) return problems;
  const headOverHttp = options.overHttp === true && exchange.method.toUpperCase() === "HEAD";
  const route = matchRoute(exchange.method, exchange.url.pathname);
  if (route.kind === "operation") {
    const violations = specValidators().validateResponse(
      route.operation.operationId,
      { status, headers: exchange.headers, body },
      { declaredOnly: true },
    );
    problems.push(...violations.map((v) => `${route.operation.operationId} ${status}: ${formatViolation(v)}`));
  } else {
    const wantStatus = route.kind === "notFound" ? 400 : 405;
    if (status !== wantStatus) problems.push(`a request for no operation answered ${status}, want ${wantStatus}`);
    if (!headOverHttp) {
      const violations = specValidators().validateSchema("GraphError", body);
      problems.push(...violations.map((v) => `unrouted ${status}: ${formatViolation(v)}`));
    }
    if (route.kind === "methodNotAllowed" && !exchange.headers.get("allow")) problems.push("a 405 without Allow");
  }
  return problems;
}
