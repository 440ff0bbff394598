import type { IncomingMessage, ServerResponse } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { createLocalServer, isLoopback, type LocalServer, listen, serverUrl } from "../../src/http/listen.js";
import { BodyTimeoutError, ClientGoneError, readGraphRequest } from "../../src/http/node-http.js";
import { rawConnection } from "../support/raw-http.js";

/** A server whose handler hands each request to the test, which answers it when it chooses. */
async function serverOfHeldRequests() {
  const held: { req: IncomingMessage; res: ServerResponse }[] = [];
  const arrived: (() => void)[] = [];
  const local = await createLocalServer(
    (req, res) => {
      held.push({ req, res });
      arrived.shift()?.();
    },
    { host: "127.0.0.1" },
  );
  await listen(local.server, "127.0.0.1", 0);
  servers.push(local);
  const url = serverUrl("127.0.0.1", (local.server.address() as { port: number }).port);
  /** The next request to reach the handler. */
  const next = async () => {
    if (held.length === 0) await new Promise<void>((resolve) => arrived.push(resolve));
    const request = held.shift();
    if (!request) throw new Error("no request arrived");
    return request;
  };
  return { local, url, next };
}

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((local) => local.stop()));
});

const refused = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

describe("reading a request", () => {
  test.each([
    ["after the headers", ""],
    ["halfway through the body", '{"displayName":'],
  ])("a client that disconnects %s leaves nothing waiting: the read ends as ClientGoneError", async (_when, sent) => {
    const { url, next } = await serverOfHeldRequests();
    const client = await rawConnection(url);
    await client.write(
      `POST /x HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n${sent}`,
    );
    const { req } = await next();
    const reading = readGraphRequest(req, { maxBodyBytes: 1024, origin: url, bodyTimeoutMs: 60_000 });
    client.socket.destroy();
    await expect(reading).rejects.toBeInstanceOf(ClientGoneError);
  });

  test("a body that has not ended within the body timeout is a BodyTimeoutError", async () => {
    const { url, next } = await serverOfHeldRequests();
    const client = await rawConnection(url);
    await client.write("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 64\r\n\r\n{");
    const { req } = await next();
    const started = Date.now();
    await expect(readGraphRequest(req, { maxBodyBytes: 1024, origin: url, bodyTimeoutMs: 100 })).rejects.toEqual(
      new BodyTimeoutError(100),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });
});

describe("stopping a server", () => {
  test("stop(drainMs) refuses new connections at once and lets a request in flight finish, closing its connection", async () => {
    const { local, url, next } = await serverOfHeldRequests();
    const client = await rawConnection(url);
    await client.write("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
    const { res } = await next();
    const stopped = local.stop(10_000);
    expect(await refused(url)).toBe(true);
    res.end("done");
    const { response } = await client.response();
    expect(response.status).toBe(200);
    expect(response.headers.get("connection")).toBe("close");
    await client.closed();
    await stopped;
  });

  test("the drain is bounded: a request still in flight after drainMs has its connection ended", async () => {
    const { local, url, next } = await serverOfHeldRequests();
    const client = await rawConnection(url);
    await client.write("GET /never HTTP/1.1\r\nHost: t\r\n\r\n");
    await next();
    const started = Date.now();
    await local.stop(150);
    await client.closed();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("an abort cuts the drain short", async () => {
    const { local, url, next } = await serverOfHeldRequests();
    const client = await rawConnection(url);
    await client.write("GET /never HTTP/1.1\r\nHost: t\r\n\r\n");
    await next();
    const again = new AbortController();
    const stopped = local.stop(60_000, again.signal);
    again.abort();
    await stopped;
    await client.closed();
  });

  test("idle kept-alive connections do not hold a stop", async () => {
    const { local, url } = await serverOfHeldRequests();
    const idle = await rawConnection(url);
    await local.stop(60_000);
    await idle.closed();
    expect(local.server.listening).toBe(false);
  });
});

describe("isLoopback", () => {
  test.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["localhost", true],
    ["::1", true],
    ["[::1]", true],
    ["::ffff:127.0.0.1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["192.168.1.10", false],
    ["example.test", false],
  ])("%s -> %s", (host, want) => {
    expect(isLoopback(host)).toBe(want);
  });
});
