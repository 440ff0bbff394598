import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createGraphFacade, type GraphFacade } from "../../mocks/prism/graph-facade.js";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { createLocalServer, type LocalServer, listen, serverUrl } from "../../src/http/listen.js";
import { specValidators } from "../../src/validation/spec-validators.js";
import { expectGraphError } from "../support/graph-error.js";
import { rawConnection } from "../support/raw-http.js";
import { documentedRequest, profiles } from "../support/simulator-harness.js";

// Both servers, as a misbehaving or hostile client meets them: cut-off requests, slow bodies and
// headers, a flood of one tenant. Whatever happens to one client, the next is served. The mock is
// its Graph façade on a server made as startPrismMock makes it, in front of a stand-in for Prism
// (which only ever sees complete requests): sds-kit mock's own wiring is tested with the real
// Prism in server-signals.e2e.test.ts.
const timeouts = { headersTimeoutMs: 400, bodyTimeoutMs: 400 };
const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "tenant-a" });
const bearer = `Bearer ${token}`;
let simulator: RunningSimulator;
let prism: Server;
let facade: GraphFacade;
let front: LocalServer;
let mockUrl = "";
beforeAll(async () => {
  prism = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"value":[]}');
  }).listen(0, "127.0.0.1");
  await once(prism, "listening");
  facade = createGraphFacade({
    upstream: new URL(`http://127.0.0.1:${(prism.address() as { port: number }).port}`),
    validators: specValidators(),
    bodyTimeoutMs: timeouts.bodyTimeoutMs,
  });
  front = await createLocalServer(facade.handle, { host: "127.0.0.1", timeouts });
  await listen(front.server, "127.0.0.1", 0);
  mockUrl = serverUrl("127.0.0.1", (front.server.address() as { port: number }).port);
  simulator = await startSimulator({ clock: "virtual", uploads: "off", timeouts, limits: { maxProfilesPerTenant: 5 } });
}, 60_000);
afterAll(async () => {
  await Promise.all([simulator?.close(), front?.stop()]);
  facade?.close();
  prism?.close();
});

const servers = () => [
  ["simulator", simulator.url],
  ["Prism mock's façade", mockUrl],
];
const body = JSON.stringify(documentedRequest());
const head = (length = Buffer.byteLength(body)) =>
  `POST ${profiles} HTTP/1.1\r\nHost: t\r\nAuthorization: ${bearer}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

/** A well-behaved request answered as it should be: the server still serves. */
async function stillServes(url: string) {
  const response = await fetch(`${url}${profiles}`, { headers: { authorization: bearer } });
  expect(response.status).toBe(200);
  await response.body?.cancel();
}

describe.each([0, 1])("server %#", (index) => {
  const named = () => servers()[index] as [string, string];

  test("keeps serving after clients disconnect at every point of a request", async () => {
    const [, url] = named();
    const cuts = [
      `POST ${profiles} HTTP/1.1\r\nHost: t\r\nContent-Le`,
      head(),
      `${head()}${body.slice(0, body.length / 2)}`,
      // On the simulator the answer takes 200 ms; the client has gone before it is written.
      `${head().replace("\r\n\r\n", "\r\nX-Sds-Fault: latency=200\r\n\r\n")}${body}`,
    ];
    for (const sent of cuts) {
      const client = await rawConnection(url);
      await client.write(sent);
      client.socket.destroy();
    }
    await stillServes(url);
  });

  test("a request that is not HTTP is a Graph 400, and the connection closes", async () => {
    const [, url] = named();
    const client = await rawConnection(url);
    await client.write("HELLO / NOT-HTTP\r\n\r\n");
    const { response, body: answer } = await client.response();
    expectGraphError(response, answer, { status: 400, code: "BadRequest", message: /not valid HTTP/ });
    await client.closed();
    await stillServes(url);
  });

  test("a body slower than the body timeout is a Graph 408 requestTimeout, and the connection closes", async () => {
    const [, url] = named();
    const client = await rawConnection(url);
    await client.write(head());
    // A byte now and then keeps the connection busy, never finishing the body.
    let sent = 0;
    const trickle = setInterval(() => {
      if (sent < body.length - 1) client.socket.write(body.charAt(sent++));
    }, 50);
    try {
      const { response, body: answer } = await client.response();
      expectGraphError(response, answer, { status: 408, code: "requestTimeout", message: /within 400 ms/ });
      expect(response.headers.get("connection")).toBe("close");
      await client.closed();
    } finally {
      clearInterval(trickle);
    }
    await stillServes(url);
  });

  test.each([
    ["headers that stop halfway", `GET ${profiles} HTTP/1.1\r\nHost: t\r\nAuthori`],
    ["a connection that sends nothing", ""],
  ])("%s: a Graph 408 requestTimeout after the headers timeout, and the connection closes", async (_name, sent) => {
    const [, url] = named();
    const client = await rawConnection(url);
    if (sent) await client.write(sent);
    const started = Date.now();
    const { response, body: answer } = await client.response();
    expectGraphError(response, answer, {
      status: 408,
      code: "requestTimeout",
      message: /400 ms for a request's headers/,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    await client.closed();
    await stillServes(url);
  });
});

describe("the simulator, flooded by one tenant", () => {
  test("the tenant's cap holds under concurrent creates, and another tenant is served meanwhile", async () => {
    const flooder = `Bearer ${createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "tenant-flood" })}`;
    const other = `Bearer ${createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "tenant-b" })}`;
    const create = (authorization: string) =>
      fetch(`${simulator.url}${profiles}`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body,
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { error?: { code: string } },
      }));
    const flood = Array.from({ length: 60 }, () => create(flooder));
    const meanwhile = [create(other), create(other)];
    const [flooded, served] = await Promise.all([Promise.all(flood), Promise.all(meanwhile)]);
    const statuses = flooded.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(5);
    expect(statuses.filter((status) => status === 403)).toHaveLength(55);
    expect(new Set(flooded.filter((a) => a.status === 403).map((a) => a.body.error?.code))).toEqual(
      new Set(["quotaLimitReached"]),
    );
    expect(served.map((answer) => answer.status)).toEqual([202, 202]);
    const listed = await fetch(`${simulator.url}${profiles}`, { headers: { authorization: other } });
    expect(((await listed.json()) as { value: unknown[] }).value).toHaveLength(2);
  });
});
