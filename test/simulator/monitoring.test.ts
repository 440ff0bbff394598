import { describe, expect, test } from "vitest";
import type { AnsweredRequest } from "../../mocks/simulator/metrics.js";
import { MemoryStore, type SimulatorStore } from "../../mocks/simulator/store.js";
import { expectGraphError } from "../support/graph-error.js";
import { documentedRequest, inProcessSimulator, profiles } from "../support/simulator-harness.js";

type Sim = ReturnType<typeof inProcessSimulator>["sim"];
const get = (sim: Sim, path: string, headers: Record<string, string> = {}) =>
  sim.fetch(`http://simulator.test${path}`, { headers });

/** A sample's value in Prometheus's text format, found by its name and labels as written there. */
function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** A store that answers nothing, as a database that went away does. */
class GoneStore extends MemoryStore implements SimulatorStore {
  override async ready() {
    return { ready: false as const, reason: "the database does not answer" };
  }
  override profilesByState(): Promise<Record<string, number>> {
    return Promise.reject(new Error("the database does not answer"));
  }
}

describe("simulator: health, readiness and metrics", () => {
  test("health says the process answers; ready says the store does", async () => {
    const { sim } = inProcessSimulator();
    const health = await get(sim, "/_sds/health");
    expect([health.status, await health.json()]).toEqual([200, { status: "ok" }]);
    const ready = await get(sim, "/_sds/ready");
    expect([ready.status, await ready.json()]).toEqual([200, { status: "ready", store: "memory" }]);
  });

  test("a store that does not answer makes the simulator not ready: 503, with the reason", async () => {
    const { sim } = inProcessSimulator({ store: new GoneStore() });
    const ready = await get(sim, "/_sds/ready");
    expect(ready.status).toBe(503);
    expect(ready.headers.get("retry-after")).toBe("1");
    expect(await ready.json()).toEqual({
      status: "unavailable",
      store: "memory",
      reason: "the database does not answer",
    });
    expect((await get(sim, "/_sds/health")).status).toBe(200);
  });

  test("metrics count requests by operation and status, and profiles by state", async () => {
    const { sim, call } = inProcessSimulator({ metrics: true });
    await call("POST", profiles, { body: documentedRequest() });
    await call("POST", profiles, { body: documentedRequest() });
    await call("GET", profiles);
    await call("GET", `${profiles}/0b4f6a5e-3c1d-4e2f-9a8b-7c6d5e4f3a2b`);
    const response = await get(sim, "/_sds/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(
      [
        'sds_requests_total{operation="createSynchronizationProfile",status="202"}',
        'sds_requests_total{operation="listSynchronizationProfiles",status="200"}',
        'sds_requests_total{operation="getSynchronizationProfile",status="404"}',
        'sds_request_duration_seconds_count{operation="createSynchronizationProfile"}',
        'sds_profiles{state="provisioning"}',
        "sds_store_ready",
      ].map((series) => sample(text, series)),
    ).toEqual([2, 1, 1, 2, 2, 1]);
    expect(text).toMatch(/^sds_process_resident_memory_bytes \d+/m);
  });

  test("a store gone leaves the profiles gauge empty and says so, rather than failing the scrape", async () => {
    const { sim } = inProcessSimulator({ metrics: true, store: new GoneStore() });
    const text = await (await get(sim, "/_sds/metrics")).text();
    expect(sample(text, "sds_store_ready")).toBe(0);
    expect(text).not.toMatch(/^sds_profiles\{/m);
  });

  test("without metrics on, /_sds/metrics says how to turn them on", async () => {
    const { sim } = inProcessSimulator();
    const response = await get(sim, "/_sds/metrics");
    expectGraphError(response, await response.json(), { status: 404, code: "itemNotFound", message: /--metrics/ });
  });

  test("they answer GET only, and refuse a Graph token as the admin API does", async () => {
    const { sim } = inProcessSimulator();
    const post = await sim.fetch("http://simulator.test/_sds/ready", { method: "POST" });
    expectGraphError(post, await post.json(), { status: 405, code: "notAllowed" });
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    const carrying = await get(sim, "/_sds/ready", { authorization: "Bearer x" });
    expectGraphError(carrying, await carrying.json(), { status: 403, code: "accessDenied" });
  });

  test("they follow the admin API unless asked for on their own", async () => {
    const off = inProcessSimulator({ admin: false }).sim;
    const health = await get(off, "/_sds/health");
    expectGraphError(health, await health.json(), { status: 400, code: "BadRequest" });
    const alone = inProcessSimulator({ admin: false, monitoring: true }).sim;
    expect((await get(alone, "/_sds/ready")).status).toBe(200);
    // The admin API stays off: monitoring opens nothing else.
    expect((await alone.fetch("http://simulator.test/_sds/reset", { method: "POST" })).status).toBe(400);
  });
});

describe("simulator: each answered request, told to onRequest", () => {
  test("carries the request id the client got, the operation, the tenant and the status", async () => {
    const seen: AnsweredRequest[] = [];
    const { sim } = inProcessSimulator({ auth: false, onRequest: (answered) => seen.push(answered) });
    const response = await sim.fetch(`http://simulator.test/beta${profiles}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-sds-tenant": "contoso" },
      body: JSON.stringify(documentedRequest()),
    });
    await sim.fetch("http://simulator.test/beta/nothing?$filter=secret");
    await get(sim, "/_sds/health");
    expect(seen.map(({ durationMs: _, requestId: __, ...rest }) => rest)).toEqual([
      {
        clientRequestId: undefined,
        method: "POST",
        path: `/beta${profiles}`,
        operation: "createSynchronizationProfile",
        tenant: "contoso",
        status: 202,
      },
      {
        clientRequestId: undefined,
        method: "GET",
        path: "/beta/nothing",
        operation: "unmatched",
        tenant: undefined,
        status: 400,
      },
      {
        clientRequestId: undefined,
        method: "GET",
        path: "/_sds/health",
        operation: "monitoring",
        tenant: undefined,
        status: 200,
      },
    ]);
    expect(seen[0]?.requestId).toBe(response.headers.get("request-id"));
    expect(seen.every((answered) => answered.durationMs >= 0)).toBe(true);
  });
});

describe("simulator: an admin API behind a token", () => {
  const token = "a-sandbox-admin-token";

  test("answers only requests that carry the token in X-Sds-Admin-Token", async () => {
    const { sim } = inProcessSimulator({ adminToken: token });
    const reset = (headers: Record<string, string>) =>
      sim.fetch("http://simulator.test/_sds/reset", { method: "POST", headers });
    const without = await reset({});
    expectGraphError(without, await without.json(), {
      status: 401,
      code: "InvalidAuthenticationToken",
      message: /needs its admin token in the X-Sds-Admin-Token header\.$/,
    });
    const wrong = await reset({ "x-sds-admin-token": `${token}-not` });
    expectGraphError(wrong, await wrong.json(), {
      status: 401,
      code: "InvalidAuthenticationToken",
      message: /the one sent is not it/,
    });
    expect((await reset({ "x-sds-admin-token": token })).status).toBe(200);
    // A Graph token is still refused, with or without the admin token beside it.
    const both = await reset({ "x-sds-admin-token": token, authorization: "Bearer x" });
    expect(both.status).toBe(403);
  });

  test("leaves health and readiness open: a load balancer has no token", async () => {
    const { sim } = inProcessSimulator({ adminToken: token });
    expect((await get(sim, "/_sds/health")).status).toBe(200);
    expect((await get(sim, "/_sds/ready")).status).toBe(200);
  });
});
