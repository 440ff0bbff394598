import { setTimeout as delay } from "node:timers/promises";
import type { Operation } from "../../generated/route-table.js";
import { readClaims } from "../../src/auth/test-token.js";
import {
  type GraphErrorName,
  graphError,
  graphErrorCatalogue,
  type ResponseIds,
  responseIds,
} from "../../src/graph/graph-error-catalogue.js";
import { parsePrefer } from "../../src/http/prefer-header.js";
import { apiVersionPrefixes, matchRoute } from "../../src/spec/match-route.js";
import { type SpecValidators, specValidators } from "../../src/validation/spec-validators.js";
import { formatViolation, type Violation } from "../../src/validation/violation.js";
import { handleAdmin } from "./admin-router.js";
import { createClock, type SimulatorClock } from "./clock.js";
import { drawFault, type Fault, FaultHeaderError, type FaultOptions, parseFaultHeader } from "./faults.js";
import type { Timing } from "./lifecycle.js";
import { type OperationContext, operationHandlers } from "./operation-handlers.js";
import { checkToken } from "./permissions.js";
import { createRandom, type Random } from "./random.js";
import { defaultStoreLimits, ProfileStore, type StoreLimits } from "./store.js";

export interface SimulatorOptions {
  /** Seeds every random choice: profile ids, failure draws, faults, generated errors. Default 1. */
  seed?: number | string;
  /** `"real"` (default), `"virtual"` (moves only when advanced), or a clock of your own. */
  clock?: "real" | "virtual" | SimulatorClock;
  /** Milliseconds each timed step takes. Defaults: provisioning 2000, each sync phase 2000, deletion 1000. */
  timing?: Partial<Timing>;
  /** Also finish provisioning after this many reads of the profile or its status. */
  provisioningReads?: number;
  /** Share of new profiles (0 to 1) whose provisioning fails, drawn from the seed. */
  provisioningFailureRate?: number;
  /** How long an upload URL request keeps the next one at 409 ("still being processed"). Default 1000 ms. */
  uploadUrlProcessingMs?: number;
  faults?: FaultOptions;
  /** Check bearer tokens and their permissions (default true). */
  auth?: boolean;
  /** The admin API's path prefix, or false to turn it off. Default `/_sds`. */
  admin?: string | false;
  /** Validate every response against the spec; a violation becomes a loud 500. */
  strict?: boolean;
  /** Called with each response that broke the spec (strict mode). */
  onContractViolation?: (violation: ContractViolation) => void;
  limits?: Partial<StoreLimits>;
  /** Largest request body accepted; larger gets 413. Default 1 MiB. */
  maxBodyBytes?: number;
}

export interface ContractViolation {
  operationId: string;
  status: number;
  violations: Violation[];
}

/** A request as the core reads it: the node:http adapter builds it without Fetch API objects. */
export interface SimulatorRequest {
  method: string;
  url: URL;
  header(name: string): string | null;
  body: Buffer | undefined;
}

export interface SimulatorResponse {
  status: number;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface Simulator {
  readonly clock: SimulatorClock;
  readonly store: ProfileStore;
  /** The core: a Fetch API request in, a response out. */
  handle(request: Request): Promise<Response>;
  /** A `fetch` that calls the simulator in-process: for unit tests, with no port at all. */
  fetch: typeof fetch;
  /** The core without Fetch API objects (what the HTTP adapter uses). */
  respond(request: SimulatorRequest): Promise<SimulatorResponse>;
}

const wwwAuthenticate =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

export const defaultTiming: Timing = { provisioningMs: 2000, syncPhaseMs: 2000, deletionMs: 1000 };

/** Everything one simulator instance shares across requests. */
export interface SimulatorState {
  clock: SimulatorClock;
  store: ProfileStore;
  random: Random;
  validators: SpecValidators;
  timing: Timing;
  options: SimulatorOptions;
  /** Per tenant: the instant before which every request is throttled again (enforceRetryAfter). */
  throttledUntil: Map<string, number>;
  /** Faults the admin API queued for the next API requests, in order. */
  queuedFaults: Fault[];
}

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const clock = typeof options.clock === "object" ? options.clock : createClock(options.clock ?? "real");
  const state: SimulatorState = {
    clock,
    store: new ProfileStore({ ...defaultStoreLimits, ...options.limits }),
    random: createRandom(options.seed ?? 1),
    validators: specValidators(),
    timing: { ...defaultTiming, ...options.timing },
    options,
    throttledUntil: new Map(),
    queuedFaults: [],
  };
  const respond = (request: SimulatorRequest) => respondTo(state, request);

  const handle = async (request: Request): Promise<Response> => {
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const url = new URL(request.url);
    const result = await respond({
      method: request.method,
      url,
      header: (name) => request.headers.get(name),
      body: body && body.length > 0 ? body : undefined,
    });
    return new Response(result.body ?? null, { status: result.status, headers: result.headers });
  };

  return {
    clock,
    store: state.store,
    handle,
    respond,
    fetch: (input, init) => handle(new Request(input, init)),
  };
}

async function respondTo(state: SimulatorState, request: SimulatorRequest): Promise<SimulatorResponse> {
  const sentClientId = request.header("client-request-id");
  const ids = responseIds(sentClientId, new Date(state.clock.now()));
  const finish = (response: SimulatorResponse): SimulatorResponse => {
    response.headers["request-id"] = ids.requestId;
    response.headers["client-request-id"] = ids.clientRequestId;
    return response;
  };
  const fail = (name: GraphErrorName, detail: string, extra: Record<string, string> = {}, details?: Violation[]) =>
    finish(errorResponse(name, detail, ids, extra, details));

  try {
    const admin = state.options.admin ?? "/_sds";
    if (admin !== false && (request.url.pathname === admin || request.url.pathname.startsWith(`${admin}/`))) {
      return finish(await handleAdmin(state, request, request.url.pathname.slice(admin.length) || "/", ids));
    }

    const match = matchRoute(request.method, request.url.pathname);
    if (match.kind === "notFound") {
      return fail(
        "routeNotFound",
        `${request.method} ${request.url.pathname} is not an operation of the synchronization profile API.`,
      );
    }
    if (match.kind === "methodNotAllowed") {
      return fail(
        "methodNotAllowed",
        `${request.method} is not supported on ${match.path}; use ${match.allowed.join(" or ")}.`,
        {
          allow: match.allowed.join(", "),
        },
      );
    }
    const operation = match.operation;

    const maxBodyBytes = state.options.maxBodyBytes ?? 1024 * 1024;
    if (request.body && request.body.length > maxBodyBytes) {
      return fail("payloadTooLarge", `The request body exceeds ${maxBodyBytes} bytes.`);
    }
    let body: unknown;
    if (request.body) {
      const contentType = request.header("content-type");
      if (operation.requestBody && !/^application\/json\s*(;|$)/i.test(contentType ?? "")) {
        return fail("unsupportedMediaType", `Content-Type must be application/json, got ${contentType ?? "none"}.`);
      }
      try {
        body = JSON.parse(request.body.toString("utf8"));
      } catch (error) {
        return fail("invalidJson", error instanceof Error ? error.message : "unreadable body");
      }
    }

    let tenant = request.header("x-sds-tenant") ?? "default";
    if (state.options.auth !== false) {
      const check = checkToken(request.header("authorization"), operation, state.clock.now());
      if (!check.ok) {
        return check.status === 401
          ? fail("unauthenticated", check.reason, { "www-authenticate": wwwAuthenticate })
          : fail("accessDenied", check.reason);
      }
      tenant = check.claims.tid ?? tenant;
    } else {
      const claims = readClaims(/^Bearer\s+(\S+)$/i.exec(request.header("authorization") ?? "")?.[1] ?? "");
      tenant = claims?.tid ?? tenant;
    }

    let faults: ReturnType<typeof parseFaultHeader>;
    try {
      faults = parseFaultHeader(request.header("x-sds-fault"));
    } catch (error) {
      if (error instanceof FaultHeaderError) return fail("invalidRequest", error.message);
      throw error;
    }
    const latencyMs = faults.latencyMs || (state.options.faults?.latencyMs ?? 0);
    if (latencyMs > 0) await delay(latencyMs);

    const pending = pendingRetryAfter(state, tenant);
    if (pending) return fail("tooManyRequests", pending.message, { "retry-after": pending.retryAfter });
    const queued = faults.forced.kind === "none" ? state.queuedFaults.shift() : undefined;
    const fault = drawFault(state.options.faults ?? {}, state.random, queued ?? faults.forced);
    if (fault.kind === "throttle") {
      state.throttledUntil.set(tenant, state.clock.now() + fault.retryAfterSeconds * 1000);
      return fail("tooManyRequests", "Please retry again later.", { "retry-after": String(fault.retryAfterSeconds) });
    }
    if (fault.kind === "serverError") {
      const name = ({ 500: "generalException", 503: "serviceNotAvailable", 504: "gatewayTimeout" } as const)[
        fault.status
      ];
      return fail(name, `Injected fault: ${fault.status}.`, fault.status === 503 ? { "retry-after": "1" } : {});
    }

    const violations = state.validators.validateRequest(operation.operationId, {
      pathParams: match.pathParams,
      query: request.url.searchParams,
      headers: { "client-request-id": sentClientId ?? undefined, prefer: request.header("prefer") ?? undefined },
      body,
    });
    if (violations.length > 0) {
      return fail("invalidRequest", violations.map(formatViolation).join("; "), {}, violations);
    }

    const prefix = apiVersionPrefixes.find((p) => request.url.pathname.startsWith(`${p}/`)) ?? "/beta";
    const context: OperationContext = {
      state,
      tenant,
      operation,
      pathParams: match.pathParams,
      url: request.url,
      body,
      header: request.header,
      includeUnknownEnumMembers: parsePrefer(request.header("prefer")).has("include-unknown-enum-members"),
      serviceRoot: `${request.url.origin}${prefix}`,
      now: state.clock.now(),
      ids,
    };
    const result = operationHandlers[operation.operationId](context);
    const response = finish(result);
    return state.options.strict ? checkContract(state, operation, response, ids) : response;
  } catch (error) {
    // A client's mistake never lands here; this is the simulator's own failure, said plainly.
    const message = error instanceof Error ? error.message : String(error);
    return fail("generalException", `The simulator failed: ${message}`);
  }
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
    retryAfter: String(seconds),
    message: `Please retry again later: the previous Retry-After has ${seconds} s to run.`,
  };
}

function checkContract(
  state: SimulatorState,
  operation: Operation,
  response: SimulatorResponse,
  ids: ResponseIds,
): SimulatorResponse {
  const violations = state.validators.validateResponse(operation.operationId, {
    status: response.status,
    headers: response.headers,
    body: response.body === undefined ? undefined : JSON.parse(response.body),
  });
  if (violations.length === 0) return response;
  state.options.onContractViolation?.({ operationId: operation.operationId, status: response.status, violations });
  const failure = errorResponse(
    "generalException",
    `Strict mode: the simulator's ${response.status} answer to ${operation.operationId} broke the spec: ${violations.map(formatViolation).join("; ")}`,
    ids,
    {},
  );
  failure.headers["request-id"] = ids.requestId;
  failure.headers["client-request-id"] = ids.clientRequestId;
  return failure;
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): SimulatorResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(value) };
}

export function errorResponse(
  name: GraphErrorName,
  detail: string,
  ids: ResponseIds,
  headers: Record<string, string> = {},
  details?: Violation[],
): SimulatorResponse {
  const envelope = graphError(name, detail, ids);
  if (details && details.length > 0) {
    envelope.error.details = details.map((v) => ({
      code: v.rule,
      message: v.message,
      target: `${v.location}${v.path}`,
    }));
  }
  return jsonResponse(graphErrorCatalogue[name].status, envelope, headers);
}
