import { once } from "node:events";
import { request } from "node:http";
import { createServer } from "node:net";
import { afterAll, describe, expect, test } from "vitest";
import type { ContractViolation } from "../../mocks/simulator/create-simulator.js";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { expectGraphError } from "../support/graph-error.js";
import { readJson } from "../support/requests.js";
import { readWrite, simClient } from "../support/sim-client.js";
import { documentedRequest, profiles, timing } from "../support/simulator-harness.js";

// The simulator's behaviour is tested in process (test/simulator/); this is its node:http adapter.
const violations: ContractViolation[] = [];
const running: RunningSimulator[] = [];
async function simulator(options: Parameters<typeof startSimulator>[0] = {}) {
  const sim = await startSimulator({
    clock: "virtual",
    timing,
    strict: true,
    onContractViolation: (v) => violations.push(v),
    ...options,
  });
  running.push(sim);
  return sim;
}
afterAll(async () => {
  await Promise.all(running.map((sim) => sim.close()));
  expect(violations).toEqual([]);
});

describe("simulator over node:http", () => {
  test("serves the API and the admin router, on a free loopback port", async () => {
    const sim = await simulator();
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const call = simClient(sim.url);
    const created = await call("POST", `/beta${profiles}`, { body: documentedRequest() });
    expect(created.status).toBe(202);
    const advanced = await fetch(`${sim.url}/_sds/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ms: timing.provisioningMs }),
    });
    expect(advanced.status).toBe(200);
    const read = await call("GET", `/beta${profiles}/${created.body.id}`);
    expect(read.body.state).toBe("provisioned");
    expect(read.body["@odata.context"]).toBe(`${sim.url}/beta/$metadata#education/synchronizationProfiles/$entity`);
    expect(read.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("a body over the limit is a 413 read no further than the limit, and the server serves on", async () => {
    const sim = await simulator({ maxBodyBytes: 1024 });
    const big = JSON.stringify({ displayName: "x".repeat(64 * 1024) });
    const response = await fetch(`${sim.url}${profiles}`, {
      method: "POST",
      headers: { authorization: `Bearer ${readWrite}`, "content-type": "application/json" },
      body: big,
    });
    expectGraphError(response, await readJson(response), { status: 413, code: "requestEntityTooLarge" });
    expect((await simClient(sim.url)("GET", profiles)).status).toBe(200);
  });

  test("a chunked body without a length is read too", async () => {
    const sim = await simulator();
    const { port, hostname } = new URL(sim.url);
    const outgoing = request({
      host: hostname,
      port,
      method: "POST",
      path: profiles,
      headers: {
        authorization: `Bearer ${readWrite}`,
        "content-type": "application/json",
        "transfer-encoding": "chunked",
      },
    });
    const body = JSON.stringify(documentedRequest());
    outgoing.write(body.slice(0, 100));
    outgoing.end(body.slice(100));
    const [incoming] = (await once(outgoing, "response")) as [import("node:http").IncomingMessage];
    incoming.resume();
    expect(incoming.statusCode).toBe(202);
  });

  test("close() ends kept-alive connections and frees the port", async () => {
    const sim = await simulator();
    const { port } = new URL(sim.url);
    await fetch(`${sim.url}/_sds/health`, { headers: { connection: "keep-alive" } });
    await sim.close();
    const probe = createServer().listen(Number(port), "127.0.0.1");
    await once(probe, "listening");
    probe.close();
  });
});
