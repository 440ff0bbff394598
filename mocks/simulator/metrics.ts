import { importPart } from "../../src/parts/optional-parts.js";
import type { SimulatorStore } from "./store.js";

/** One answered request, as the simulator saw it: what logs and metrics are made of. */
export interface AnsweredRequest {
  /** The response's `request-id`, the same one a client reads in the body of an error. */
  requestId: string;
  /** The client's own `client-request-id`, when it sent one. */
  clientRequestId: string | undefined;
  method: string;
  /** The path alone: a query may hold a `$filter` with a tenant's data in it. */
  path: string;
  /** The spec's operationId; `admin` for the admin API; `unmatched` for a path that is neither. */
  operation: string;
  /** The tenant the request acted for, once its token was read. */
  tenant: string | undefined;
  status: number;
  durationMs: number;
}

export interface SimulatorMetrics {
  readonly contentType: string;
  record(answered: AnsweredRequest): void;
  /** The exposition text Prometheus scrapes. */
  render(): Promise<string>;
}

/** Latency buckets in seconds: the simulator answers in about a millisecond, a database store in a few. */
const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Prometheus metrics (`prom-client`, an optional part) in a registry of the simulator's own, so two
 * simulators in one process never share counts: requests by operation and status, their latency,
 * and the profiles in each state (read from the store at each scrape, so every replica of a shared
 * store reports the same figure), with the process's own (memory, event-loop lag).
 */
export async function createMetrics(store: SimulatorStore): Promise<SimulatorMetrics> {
  const client = await importPart("metrics", () => import("prom-client"));
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "sds_" });
  const requests = new client.Counter({
    name: "sds_requests_total",
    help: "Requests answered, by the spec's operation and the status answered",
    labelNames: ["operation", "status"] as const,
    registers: [registry],
  });
  const latency = new client.Histogram({
    name: "sds_request_duration_seconds",
    help: "Time from a request's arrival to its answer, by the spec's operation",
    labelNames: ["operation"] as const,
    buckets: latencyBuckets,
    registers: [registry],
  });
  new client.Gauge({
    name: "sds_profiles",
    help: "Synchronization profiles in the store, by state, across tenants",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      // A store that does not answer has no figure to give: the gauge is empty, and sds_store_ready says why.
      const counts = await store.profilesByState().catch(() => ({}));
      for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
    },
  });
  new client.Gauge({
    name: "sds_store_ready",
    help: "1 when the store answers and its schema is current, else 0",
    registers: [registry],
    async collect() {
      this.set((await store.ready()).ready ? 1 : 0);
    },
  });
  return {
    contentType: registry.contentType,
    record(answered) {
      requests.inc({ operation: answered.operation, status: String(answered.status) });
      latency.observe({ operation: answered.operation }, answered.durationMs / 1000);
    },
    render: () => registry.metrics(),
  };
}
