import type { ResponseIds } from "../../src/graph/graph-error-catalogue.js";
import { errorResponse, type GraphResponse, jsonResponse } from "../../src/graph/graph-responses.js";
import type { GraphRequest } from "../../src/graph/request-checks.js";
import type { SimulatorMetrics } from "./metrics.js";
import type { SimulatorStore } from "./store.js";

/** Where the probes and the metrics are: fixed, so a load balancer's and Prometheus's settings never depend on the admin prefix. */
export const monitoringPaths = { health: "/_sds/health", ready: "/_sds/ready", metrics: "/_sds/metrics" } as const;

export interface MonitoringRouter {
  owns(pathname: string): boolean;
  answer(request: GraphRequest, ids: ResponseIds): Promise<GraphResponse>;
}

/**
 * What a load balancer and Prometheus ask a running simulator: `GET /_sds/health` (the process
 * answers), `GET /_sds/ready` (its store answers and its schema is current: 503 otherwise, so a
 * replica whose database is gone is taken out of rotation) and `GET /_sds/metrics` (with metrics
 * on). Read-only and tenant-free; like the admin API, they take no token.
 */
export function createMonitoringRouter(
  store: SimulatorStore,
  metrics: Promise<SimulatorMetrics> | undefined,
): MonitoringRouter {
  const paths: readonly string[] = Object.values(monitoringPaths);
  return {
    owns: (pathname) => paths.includes(pathname),
    async answer(request, ids) {
      const path = request.url.pathname;
      if (request.header("authorization") !== null)
        return errorResponse(
          "accessDenied",
          `The monitoring endpoints (${paths.join(", ")}) take no token: a request that carries an Authorization header is refused. Send it without one.`,
          ids,
        );
      if (request.method !== "GET" && request.method !== "HEAD")
        return errorResponse("methodNotAllowed", `${path} answers GET only.`, ids, { headers: { allow: "GET, HEAD" } });
      if (path === monitoringPaths.health) return jsonResponse(200, { status: "ok" });
      if (path === monitoringPaths.ready) {
        const ready = await store.ready();
        return ready.ready
          ? jsonResponse(200, { status: "ready", store: store.kind })
          : jsonResponse(
              503,
              { status: "unavailable", store: store.kind, reason: ready.reason },
              { "retry-after": "1" },
            );
      }
      if (!metrics)
        return errorResponse(
          "adminRouteNotFound",
          `${path}: metrics are off; start the simulator with metrics on (sds-kit simulate --metrics, or metrics: true).`,
          ids,
        );
      const registry = await metrics;
      return { status: 200, headers: { "content-type": registry.contentType }, body: await registry.render() };
    },
  };
}
