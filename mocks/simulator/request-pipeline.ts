import { setTimeout as delay } from "node:timers/promises";
import { malformedClaim, readClaims } from "../../src/auth/test-token.js";
import type { ResponseIds } from "../../src/graph/graph-error-catalogue.js";
import { errorResponse, type GraphResponse, wwwAuthenticate } from "../../src/graph/graph-responses.js";
import type { Projection } from "../../src/graph/query-options.js";
import {
  type Checked,
  checkAgainstSpec,
  defaultMaxBodyBytes,
  type GraphRequest,
  type RoutedRequest,
  readJsonBody,
  routeRequest,
} from "../../src/graph/request-checks.js";
import { parsePrefer } from "../../src/http/prefer-header.js";
import { evolvableMembers } from "../../src/spec/evolvable-members.js";
import { apiVersionPrefix } from "../../src/spec/match-route.js";
import { formatViolation } from "../../src/validation/violation.js";
import { drawFault, FaultHeaderError, parseFaultHeader, retryAfterHeader } from "./faults.js";
import { operationHandlers } from "./operation-handlers.js";
import { checkToken } from "./permissions.js";
import type { SimulatorState } from "./simulator-state.js";

/** What the pipeline learnt of a request, for its log line and metrics: filled in as the steps pass. */
export interface RequestTrace {
  /** The spec's operationId once routed; until then what the caller set. */
  operation: string;
  tenant: string | undefined;
}

/**
 * The simulator's answer to a request of the API, step by step. The first four steps are the
 * checks the Prism mock makes too (src/graph/request-checks.ts), so the same malformed request
 * gets the same answer from both; the rest is the simulator's own.
 */
export async function answerApiRequest(
  state: SimulatorState,
  request: GraphRequest,
  ids: ResponseIds,
  trace?: RequestTrace,
): Promise<GraphResponse> {
  const routed = routeRequest(request, ids);
  if (!routed.ok) return routed.response;
  if (trace) trace.operation = routed.value.operation.operationId;
  const body = readJsonBody(request, routed.value.operation, ids, state.options.maxBodyBytes ?? defaultMaxBodyBytes);
  if (!body.ok) return body.response;
  const tenant = authenticate(state, request, routed.value, ids);
  if (!tenant.ok) return tenant.response;
  if (trace) trace.tenant = tenant.value;
  const fault = await injectFault(state, request, tenant.value, ids);
  if (fault) return fault;
  const checked = checkAgainstSpec(state.validators, request, routed.value, body.value, ids);
  if (!checked.ok) return checked.response;
  const response = await handleOperation(state, request, routed.value, body.value, tenant.value, ids, checked.value);
  return state.options.strict ? holdToContract(state, routed.value, response, ids) : response;
}

/** The tenant the request acts for: the token's `tid`, else `X-Sds-Tenant`, else "default". 401/403 for a token that will not do. */
function authenticate(
  state: SimulatorState,
  request: GraphRequest,
  routed: RoutedRequest,
  ids: ResponseIds,
): Checked<string> {
  const fallback = request.header("x-sds-tenant") ?? "default";
  if (state.options.auth === false) {
    const claims = readClaims(/^Bearer\s+(\S+)$/i.exec(request.header("authorization") ?? "")?.[1] ?? "");
    // Unchecked tokens still name their tenant, but only with a tid that is a tenant id.
    return {
      ok: true,
      value: claims && malformedClaim({ tid: claims.tid }) === undefined ? (claims.tid ?? fallback) : fallback,
    };
  }
  const check = checkToken(request.header("authorization"), routed.operation, state.clock.now());
  if (check.ok) return { ok: true, value: check.claims.tid ?? fallback };
  return {
    ok: false,
    response:
      check.status === 401
        ? errorResponse("unauthenticated", check.reason, ids, { headers: { "www-authenticate": wwwAuthenticate } })
        : errorResponse("accessDenied", check.reason, ids),
  };
}

/** Latency, throttling and server errors: asked for by `X-Sds-Fault`, queued by the admin API, or drawn from the seed. */
async function injectFault(
  state: SimulatorState,
  request: GraphRequest,
  tenant: string,
  ids: ResponseIds,
): Promise<GraphResponse | undefined> {
  let asked: ReturnType<typeof parseFaultHeader>;
  try {
    asked = parseFaultHeader(request.header("x-sds-fault"));
  } catch (error) {
    if (error instanceof FaultHeaderError) return errorResponse("invalidRequest", error.message, ids);
    throw error;
  }
  const latencyMs = asked.latencyMs || (state.options.faults?.latencyMs ?? 0);
  if (latencyMs > 0) await delay(latencyMs);

  const pending = pendingRetryAfter(state, tenant);
  if (pending)
    return errorResponse("tooManyRequests", pending.message, ids, { headers: { "retry-after": pending.retryAfter } });
  const queued = asked.forced.kind === "none" ? state.queuedFaults.shift() : undefined;
  const fault = drawFault(state.options.faults ?? {}, state.random, queued ?? asked.forced);
  if (fault.kind === "throttle") {
    state.throttledUntil.set(tenant, state.clock.now() + fault.retryAfterSeconds * 1000);
    return errorResponse("tooManyRequests", "Please retry again later.", ids, {
      headers: { "retry-after": retryAfterHeader(fault.retryAfterSeconds) },
    });
  }
  if (fault.kind === "serverError") {
    const name = ({ 500: "internalError", 503: "serviceNotAvailable", 504: "gatewayTimeout" } as const)[fault.status];
    return errorResponse(name, injectedFaultMessage(fault.status, request), ids, {
      headers: fault.status === 503 ? { "retry-after": "1" } : {},
    });
  }
  return undefined;
}

/**
 * What an injected server error says. A list that fails says what the live service said when one
 * did (decisions.md#service-error-codes); anything else names the fault.
 */
function injectedFaultMessage(status: 500 | 503 | 504, request: GraphRequest): string {
  const listing = request.method === "GET" && /\/synchronizationprofiles\/?$/i.test(request.url.pathname);
  return status === 500 && listing ? "Failed to fetch profiles" : `Injected fault: ${status}.`;
}

/**
 * With `enforceRetryAfter`, a tenant that was answered 429 is answered 429 again, with the time
 * still to wait, until its Retry-After has passed: a client that retries early is caught.
 */
function pendingRetryAfter(state: SimulatorState, tenant: string): { retryAfter: string; message: string } | undefined {
  if (!state.options.faults?.enforceRetryAfter) return undefined;
  const until = state.throttledUntil.get(tenant);
  const now = state.clock.now();
  if (until === undefined || now >= until) return undefined;
  const seconds = Number(((until - now) / 1000).toFixed(3));
  return {
    retryAfter: retryAfterHeader(seconds),
    message: `Please retry again later: the previous Retry-After has ${seconds} s to run.`,
  };
}

function handleOperation(
  state: SimulatorState,
  request: GraphRequest,
  routed: RoutedRequest,
  body: unknown,
  tenant: string,
  ids: ResponseIds,
  projection: Projection | undefined,
): Promise<GraphResponse> {
  const prefix = apiVersionPrefix(request.url.pathname) ?? "/beta";
  // One session per request: on a shared store, one transaction whose rows stay locked until it answers.
  return state.store.session(async (session) =>
    operationHandlers[routed.operation.operationId]({
      state,
      session,
      tenant,
      operation: routed.operation,
      pathParams: routed.pathParams,
      url: routed.url,
      projection,
      body,
      header: request.header,
      includeUnknownEnumMembers: parsePrefer(request.header("prefer")).has("include-unknown-enum-members"),
      evolvable: evolvableMembers(state.validators.document),
      serviceRoot: `${request.url.origin}${prefix}`,
      now: state.clock.now(),
      ids,
    }),
  );
}

/** Strict mode: a response that breaks the spec becomes a loud 500 naming what it broke. */
function holdToContract(
  state: SimulatorState,
  routed: RoutedRequest,
  response: GraphResponse,
  ids: ResponseIds,
): GraphResponse {
  const { operationId } = routed.operation;
  const violations = state.validators.validateResponse(
    operationId,
    {
      status: response.status,
      headers: { ...response.headers, "request-id": ids.requestId, "client-request-id": ids.clientRequestId },
      body: response.body === undefined ? undefined : JSON.parse(response.body),
    },
    { declaredOnly: true, selected: routed.url.searchParams.has("$select") },
  );
  if (violations.length === 0) return response;
  state.options.onContractViolation?.({ operationId, status: response.status, violations });
  return errorResponse(
    "internalError",
    `Strict mode: the simulator's ${response.status} answer to ${operationId} broke the spec: ${violations.map(formatViolation).join("; ")}`,
    ids,
  );
}
