import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createGraphFacade, type GraphFacade, onlyRequestViolations } from "../../mocks/prism/graph-facade.js";
import { findFreePort } from "../../src/process/child-process.js";
import { specValidators } from "../../src/validation/spec-validators.js";
import { expectGraphError } from "../support/graph-error.js";
import { rawConnection } from "../support/raw-http.js";
import { sendRaw } from "../support/raw-socket.js";
import { anyBearer, documentedProfileId, readJson } from "../support/requests.js";

/** What the stand-in for Prism answers next, and what it was asked. */
interface Upstream {
  status: number;
  headers: Record<string, string>;
  body: string;
}
let next: Upstream = { status: 200, headers: {}, body: "{}" };
const seen: { method: string; url: string; headers: IncomingMessage["headers"] }[] = [];

let prism: Server;
let front: Server;
let facade: GraphFacade;
let url: string;

beforeAll(async () => {
  prism = createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    req.resume();
    res.writeHead(next.status, next.headers);
    res.end(next.body);
  }).listen(0, "127.0.0.1");
  await once(prism, "listening");
  facade = createGraphFacade({
    upstream: new URL(`http://127.0.0.1:${(prism.address() as AddressInfo).port}`),
    validators: specValidators(),
  });
  front = createServer(facade.handle).listen(0, "127.0.0.1");
  await once(front, "listening");
  url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
});
afterAll(async () => {
  facade.close();
  front.closeAllConnections();
  await Promise.all([new Promise((r) => front.close(r)), new Promise((r) => prism.close(r))]);
});

const status = (path = "") =>
  `${url}/beta/education/synchronizationProfiles/${documentedProfileId}/profileStatus${path}`;
const json = (value: unknown) => JSON.stringify(value);

describe("the Graph façade in front of Prism", () => {
  test("forwards the spec's own path, without the version prefix, and the preferences it resolved", async () => {
    next = { status: 200, headers: { "content-type": "application/json" }, body: json({ status: "success" }) };
    seen.length = 0;
    const response = await fetch(status(), { headers: { ...anyBearer, prefer: "example=success" } });
    expect(response.status).toBe(200);
    expect(seen).toEqual([
      expect.objectContaining({
        method: "GET",
        url: `/education/synchronizationProfiles/${documentedProfileId}/profileStatus`,
        headers: expect.objectContaining({
          prefer: "example=success, code=200",
          authorization: anyBearer.authorization,
        }),
      }),
    ]);
    expect(response.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("a request it refuses never reaches Prism", async () => {
    seen.length = 0;
    const response = await fetch(`${url}/education/synchronizationProfiles`, {
      method: "POST",
      headers: { ...anyBearer, "content-type": "application/json" },
      body: "{}",
    });
    expectGraphError(response, await readJson(response), { status: 400, code: "BadRequest" });
    expect(seen).toEqual([]);
  });

  // Found by fuzzing (test/fuzz): a stack overflow answered 500, and an uncaught exception.
  test("a body nested 2,000 levels deep is a 400 that never reaches Prism", async () => {
    seen.length = 0;
    const response = await fetch(`${url}/education/synchronizationProfiles`, {
      method: "POST",
      headers: { ...anyBearer, "content-type": "application/json" },
      body: `${'{"a":'.repeat(2000)}1${"}".repeat(2000)}`,
    });
    expectGraphError(response, await readJson(response), { status: 400, code: "BadRequest", message: /64 levels/ });
    expect(seen).toEqual([]);
  });

  test("a Host header that is not a host is answered, not thrown in the request handler", async () => {
    const raw = "GET /beta/education/synchronizationProfiles HTTP/1.1\r\nHost: [::1\r\n\r\n";
    const answered = await sendRaw(url, new Uint8Array(Buffer.from(raw)), 5000);
    expect(answered.statuses).toEqual([401]);
  });

  test("Prism's problem+json becomes Graph's envelope with this response's ids", async () => {
    next = {
      status: 404,
      headers: { "content-type": "application/problem+json" },
      body: json({ title: "Route not resolved", detail: "no such route" }),
    };
    const response = await fetch(status(), { headers: anyBearer });
    const body = (await readJson(response)) as { error: { message: string } };
    expectGraphError(response, body, { status: 404, code: "itemNotFound" });
    expect(body.error.message).toBe("no such route");
  });

  test("an error Prism served from the spec keeps its body, with this response's ids in innerError", async () => {
    next = {
      status: 503,
      headers: { "content-type": "application/json", "retry-after": "30" },
      body: json({
        error: { code: "serviceNotAvailable", message: "down", innerError: { date: "x", "request-id": "y" } },
      }),
    };
    const response = await fetch(status(), { headers: anyBearer });
    const body = (await readJson(response)) as { error: { message: string } };
    expectGraphError(response, body, { status: 503, code: "serviceNotAvailable" });
    expect([body.error.message, response.headers.get("retry-after")]).toEqual(["down", "30"]);
  });

  test("Prism down is a 503 serviceNotAvailable, not a hung request", async () => {
    // A port nothing listens on: Prism has exited.
    const gone = await findFreePort();
    const orphan = createGraphFacade({ upstream: new URL(`http://127.0.0.1:${gone}`), validators: specValidators() });
    const server = createServer(orphan.handle).listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const response = await fetch(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/education/synchronizationProfiles`,
        {
          headers: anyBearer,
        },
      );
      expectGraphError(response, await readJson(response), { status: 503, code: "serviceNotAvailable" });
    } finally {
      orphan.close();
      server.close();
    }
  });

  test("Prism that hangs is a 504 gatewayTimeout naming it, after the upstream timeout", async () => {
    const hung = createServer(() => undefined).listen(0, "127.0.0.1");
    await once(hung, "listening");
    const waiting = createGraphFacade({
      upstream: new URL(`http://127.0.0.1:${(hung.address() as AddressInfo).port}`),
      validators: specValidators(),
      upstreamTimeoutMs: 150,
    });
    const server = createServer(waiting.handle).listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const response = await fetch(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/education/synchronizationProfiles`,
        { headers: anyBearer },
      );
      expectGraphError(response, await readJson(response), {
        status: 504,
        code: "gatewayTimeout",
        message: /Prism did not answer within 150 ms/,
      });
    } finally {
      waiting.close();
      server.close();
      hung.closeAllConnections();
      hung.close();
    }
  });

  test("response-side violations Prism reports are not passed on; request-side ones are", async () => {
    const violation = (side: string) => ({ location: [side, "body"], severity: "Error", message: `${side} problem` });
    next = {
      status: 200,
      headers: { "content-type": "application/json", "sl-violations": json([violation("response")]) },
      body: json({ status: "success" }),
    };
    expect((await fetch(status(), { headers: anyBearer })).headers.get("sl-violations")).toBeNull();
    expect(onlyRequestViolations(json([violation("request"), violation("response")]))).toBe(
      json([violation("request")]),
    );
  });

  test('Prism\'s "Too many violations!" sentence is dropped, not passed through', async () => {
    const sentence = "Too many violations! 213 violations found, the first 10 are printed: ...";
    next = { status: 200, headers: { "content-type": "application/json", "sl-violations": sentence }, body: "{}" };
    expect((await fetch(status(), { headers: anyBearer })).headers.get("sl-violations")).toBeNull();
    expect(onlyRequestViolations(sentence)).toBeUndefined();
  });

  test("Prefer naming an undeclared code or an unknown example is a 400 listing what exists", async () => {
    const code = await fetch(status(), { headers: { ...anyBearer, prefer: "code=418" } });
    expectGraphError(code, await readJson(code), { status: 400, code: "BadRequest", message: /declared: 200/ });
    const example = await fetch(status(), { headers: { ...anyBearer, prefer: "example=nope" } });
    expectGraphError(example, await readJson(example), { status: 400, code: "BadRequest", message: /200:success/ });
  });
});

describe("the façade: what a request can name", () => {
  // A path that names no operation is Graph's 400 naming the segment (decisions.md#unknown-segment).
  const notFound = { status: 400, code: "BadRequest", message: /^Resource not found for the segment/ };
  // An id that is not a GUID routes, and is refused by the spec's pattern for ids.
  const badId = { status: 400, code: "BadRequest" };
  test.each([
    ["/_sds/../../../etc/passwd", notFound],
    ["/%2e%2e/%2e%2e/etc/passwd", notFound],
    ["/education/synchronizationProfiles/..%2f..%2f..%2fpackage.json", badId],
    ["/education/synchronizationProfiles/%2e%2e/%2e%2e/package.json", notFound],
    ["/beta/../../generated/prism-openapi.json", notFound],
    ["//etc/passwd", notFound],
    ["/..\\..\\package.json", notFound],
    [`/education/synchronizationProfiles/${documentedProfileId}/..%00/uploadUrl`, notFound],
    ["http://elsewhere.test/etc/passwd", notFound],
  ])("%s: a Graph error, and Prism is never asked", async (target, want) => {
    seen.length = 0;
    const client = await rawConnection(url);
    await client.write(`GET ${target} HTTP/1.1\r\nHost: t\r\nAuthorization: ${anyBearer.authorization}\r\n\r\n`);
    const { response, body } = await client.response();
    expectGraphError(response, body, want);
    expect(JSON.stringify(body)).not.toMatch(/root:|"devDependencies"|"openapi"/);
    expect(seen).toEqual([]);
    client.socket.destroy();
  });

  test.each([
    "example=../../package.json",
    "example=..%2f..%2fpackage.json",
    "example=/etc/passwd",
    "code=../../package.json",
  ])("Prefer: %s is a 400 naming what exists, and Prism is never asked", async (prefer) => {
    seen.length = 0;
    const response = await fetch(status(), { headers: { ...anyBearer, prefer } });
    const body = await readJson(response);
    expectGraphError(response, body, { status: 400, code: "BadRequest", message: /declared|known/ });
    expect(seen).toEqual([]);
  });
});
