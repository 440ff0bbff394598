import { type ResponseIds, responseIds } from "../../src/graph/graph-error-catalogue.js";
import { errorResponse, type GraphResponse, withResponseIds } from "../../src/graph/graph-responses.js";
import type { GraphRequest } from "../../src/graph/request-checks.js";
import { createAdminRouter } from "./admin-router.js";
import { BlobStoreUnavailableError } from "./blob-uploads.js";
import type { SimulatorClock } from "./clock.js";
import { type AnsweredRequest, createMetrics, type SimulatorMetrics } from "./metrics.js";
import { createMonitoringRouter } from "./monitoring-router.js";
import { answerApiRequest, type RequestTrace } from "./request-pipeline.js";
import { createSimulatorState, type SimulatorOptions } from "./simulator-state.js";
import type { SimulatorStore } from "./store.js";
import { StoreUnavailableError } from "./stores/sql-database.js";

export type { ContractViolation, SimulatorOptions } from "./simulator-state.js";

export interface Simulator {
  readonly clock: SimulatorClock;
  /** Where its profiles are: for a test that looks behind the API. */
  readonly store: SimulatorStore;
  /** A Fetch API request in, a response out. */
  handle(request: Request): Promise<Response>;
  /** A `fetch` that calls the simulator in-process: for unit tests, with no port at all. */
  fetch: typeof fetch;
  /** The same without Fetch API objects (what the node:http adapter uses). */
  respond(request: GraphRequest): Promise<GraphResponse>;
  /**
   * Stops what the simulator started: Azurite, with `uploads: "azurite"`, once an upload URL was
   * asked for. (An emulator left running never outlives this process.)
   */
  close(): Promise<void>;
  /** Starts the blob endpoint now (with `uploads: "azurite"`) instead of on the first upload URL. */
  startUploads(): Promise<void>;
}

/**
 * A simulator in this process: the API's request pipeline, with the admin router mounted beside
 * it (unless `admin: false`). `fetch` serves a consumer's tests with no port; `startSimulator`
 * serves the same over node:http.
 */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const state = createSimulatorState(options);
  const admin = options.admin === false ? undefined : createAdminRouter(state, options.admin ?? "/_sds");
  const metrics: Promise<SimulatorMetrics> | undefined = options.metrics ? createMetrics(state.store) : undefined;
  // Not awaited by a request: a failure to load shows at the first scrape, not as an unhandled rejection now.
  metrics?.catch(() => undefined);
  const monitoring =
    (options.monitoring ?? options.admin !== false) ? createMonitoringRouter(state.store, metrics) : undefined;
  const observe =
    metrics || options.onRequest
      ? (answered: AnsweredRequest) => {
          void metrics?.then(
            (registry) => registry.record(answered),
            () => undefined,
          );
          options.onRequest?.(answered);
        }
      : undefined;

  const respond = async (request: GraphRequest): Promise<GraphResponse> => {
    const started = performance.now();
    const ids = responseIds(request.header("client-request-id"), new Date(state.clock.now()));
    const trace: RequestTrace = { operation: "unmatched", tenant: undefined };
    let response: GraphResponse;
    try {
      if (monitoring?.owns(request.url.pathname)) {
        trace.operation = "monitoring";
        response = await monitoring.answer(request, ids);
      } else if (admin?.owns(request.url.pathname)) {
        trace.operation = "admin";
        response = await admin.answer(request, ids);
      } else response = await answerApiRequest(state, request, ids, trace);
    } catch (error) {
      response = failureResponse(error, ids);
    }
    const answered = withResponseIds(response, ids);
    observe?.({
      requestId: ids.requestId,
      clientRequestId: request.header("client-request-id") ?? undefined,
      method: request.method,
      path: request.url.pathname,
      operation: trace.operation,
      tenant: trace.tenant,
      status: answered.status,
      durationMs: performance.now() - started,
    });
    return answered;
  };

  const handle = async (request: Request): Promise<Response> => {
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const result = await respond({
      method: request.method.toUpperCase(),
      url: new URL(request.url),
      header: (name) => request.headers.get(name),
      body: body && body.length > 0 ? body : undefined,
    });
    return new Response(result.body ?? null, { status: result.status, headers: result.headers });
  };

  return {
    clock: state.clock,
    store: state.store,
    handle,
    respond,
    fetch: (input, init) => handle(new Request(input, init)),
    close: async () => {
      await state.uploads.close();
      if (state.ownsStore) await state.store.close();
    },
    startUploads: () => state.uploads.start(),
  };
}

/** A request the simulator could not answer as asked: a store that went away is Graph's retryable 503, anything else a 500. */
function failureResponse(error: unknown, ids: ResponseIds): GraphResponse {
  if (error instanceof StoreUnavailableError)
    // The database is down or cut off; the next request tries it again.
    return errorResponse("serviceNotAvailable", `${error.message}. Retry shortly.`, ids, {
      headers: { "retry-after": "1" },
    });
  if (error instanceof BlobStoreUnavailableError)
    // The blob emulator died or does not answer (decisions.md#blob-emulator-down).
    return errorResponse("serviceNotAvailable", error.message, ids, { headers: { "retry-after": "1" } });
  // A client's mistake never lands here; this is the simulator's own failure, said plainly.
  const message = error instanceof Error ? error.message : String(error);
  return errorResponse("internalError", `The simulator failed: ${message}`, ids);
}
