import { describe, expect, test } from "vitest";
import type { components } from "../../generated/types.js";
import { createSimulator, type SimulatorOptions } from "../../mocks/simulator/create-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { GraphError, parseRetryAfter, WaitTimeoutError } from "../../src/client/graph-error.js";
import { createSynchronizationProfilesClient } from "../../src/client/synchronization-profiles-client.js";
import { readExample } from "../support/spec-source.js";

const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"] });
const documented = () =>
  structuredClone(
    readExample("createSynchronizationProfile.request").value,
  ) as components["schemas"]["EducationSynchronizationProfileCreate"];
const timing = { provisioningMs: 5000, syncPhaseMs: 2000, deletionMs: 1000 };

/** A client on the in-process simulator; its waits move the simulator's virtual clock. */
function onSimulator(options: SimulatorOptions = {}) {
  const sim = createSimulator({ clock: "virtual", timing, strict: true, ...options });
  const slept: number[] = [];
  const client = createSynchronizationProfilesClient({
    baseUrl: "http://simulator.invalid/beta",
    token,
    fetch: (request) => sim.fetch(request),
    sleep: async (ms) => {
      slept.push(ms);
      sim.clock.advance(ms);
    },
  });
  return { sim, client, slept };
}

/** A fetch that answers from a script, one response per call, and records the requests. */
function scripted(...answers: (() => Response)[]) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    const next = answers.shift();
    if (!next) throw new Error("the script ran out of answers");
    return next();
  };
  return { fetch, requests };
}
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const graphError = (code: string) => ({
  error: {
    code,
    message: `${code} happened`,
    innerError: { date: "2026-11-27T09:14:05", "request-id": "4c8a2d35-6f0e-4a57-b8d3-1e2f3a4b5c6d" },
  },
});
const profile = (state: string) => ({ ...(readExample("createSynchronizationProfile.202").value as object), state });

describe("client: against the simulator", () => {
  test("create, then waitForProvisioning polls with backoff until provisioned", async () => {
    const { client, slept } = onSimulator();
    const { status, profile: created } = await client.createSynchronizationProfile(documented());
    expect([status, created.state]).toEqual([202, "provisioning"]);
    const provisioned = await client.waitForProvisioning(created.id, { intervalMs: 1000 });
    expect(provisioned.state).toBe("provisioned");
    // Waits grow by half: after 1000, 1500 and 2250 (4750 ms) the 5000 ms provisioning is still
    // running; the fourth wait, 3375, passes it.
    expect(slept).toEqual([1000, 1500, 2250, 3375]);
  });

  test("waitForProvisioning returns a failed profile rather than waiting on", async () => {
    const { client } = onSimulator();
    const { profile: created } = await client.createSynchronizationProfile({
      ...documented(),
      displayName: "x [sds:provisioning-failed]",
    });
    expect((await client.waitForProvisioning(created.id)).state).toBe("provisioningFailed");
  });

  test("start, then waitForSync until the sync settles; errors can be listed page by page", async () => {
    const { client } = onSimulator();
    const { profile: created } = await client.createSynchronizationProfile({
      ...documented(),
      displayName: "x [sds:sync-error:120]",
    });
    await client.waitForProvisioning(created.id);
    expect(await client.getSynchronizationProfileUploadUrl(created.id)).toMatch(
      /^https:\/\/sdsstorage\.blob\.core\.windows\.net\//,
    );
    expect(await client.startSynchronizationProfile(created.id)).toEqual({ started: true, messages: [] });
    const status = await client.waitForSync(created.id);
    expect([status.status, status.errorCount]).toEqual(["error", 120]);
    const ids = [];
    for await (const error of client.listAllSynchronizationErrors(created.id, { $top: 25 })) ids.push(error.id);
    expect(new Set(ids).size).toBe(120);
  });

  test("start with verification errors reports them and does not start", async () => {
    const { client } = onSimulator();
    const { profile: created } = await client.createSynchronizationProfile({
      ...documented(),
      displayName: "x [sds:verification-errors]",
    });
    await client.waitForProvisioning(created.id);
    const result = await client.startSynchronizationProfile(created.id);
    expect(result.started).toBe(false);
    expect(result.messages.filter((m) => m.type === "Error")).toHaveLength(6);
  });

  test("listAllSynchronizationProfiles follows nextLink", async () => {
    const { client } = onSimulator();
    for (let i = 0; i < 23; i += 1) await client.createSynchronizationProfile(documented());
    const all = [];
    for await (const p of client.listAllSynchronizationProfiles({ $top: 5 })) all.push(p.id);
    expect(new Set(all).size).toBe(23);
  });

  test("every other operation, typed", async () => {
    const { client, sim } = onSimulator();
    const { profile: created } = await client.createSynchronizationProfile(documented());
    sim.clock.advance(timing.provisioningMs);
    await client.updateSynchronizationProfile(created.id, { displayName: "Renamed" });
    sim.clock.advance(timing.provisioningMs);
    // A profile read with GET, changed and sent back: the response form is wider than the request's
    // (open, evolvable members), so the types ask for the conversion a client makes knowingly.
    const replaced = await client.replaceSynchronizationProfile({
      ...(await client.getSynchronizationProfile(created.id)),
      displayName: "Replaced",
    } as components["schemas"]["EducationSynchronizationProfileReplace"]);
    expect(replaced.displayName).toBe("Replaced");
    sim.clock.advance(timing.provisioningMs);
    await client.startSynchronizationProfile(created.id);
    await client.pauseSynchronizationProfile(created.id);
    expect((await client.getSynchronizationProfileStatus(created.id)).status).toBe("paused");
    await client.resumeSynchronizationProfile(created.id);
    await client.resetSynchronizationProfile(created.id);
    expect((await client.listSynchronizationProfiles({ $count: true }))["@odata.count"]).toBe(1);
    await client.deleteSynchronizationProfile(created.id);
    sim.clock.advance(timing.deletionMs);
    await expect(client.getSynchronizationProfile(created.id)).rejects.toMatchObject({
      status: 404,
      code: "itemNotFound",
    });
  });

  test("a non-2xx answer is a GraphError with Graph's code and ids", async () => {
    const { client } = onSimulator();
    const error = await client
      .getSynchronizationProfile("86904b1e-c7d0-4ead-b13a-98f11fc400ee")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({
      status: 404,
      code: "itemNotFound",
      message: expect.stringContaining("was not found"),
    });
    expect((error as GraphError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((error as GraphError).clientRequestId).toBe((error as GraphError).requestId);
  });

  test("getToken is asked for every request", async () => {
    const sim = createSimulator({ clock: "virtual" });
    let asked = 0;
    const client = createSynchronizationProfilesClient({
      baseUrl: "http://simulator.invalid/beta",
      getToken: async () => {
        asked += 1;
        return token;
      },
      fetch: (request) => sim.fetch(request),
    });
    await client.listSynchronizationProfiles();
    await client.listSynchronizationProfiles();
    expect(asked).toBe(2);
  });
});

describe("client: the answers a service may give", () => {
  test("create accepts 201 as well as 202", async () => {
    const { fetch } = scripted(json(201, profile("provisioning")));
    const client = createSynchronizationProfilesClient({ baseUrl: "https://graph.microsoft.com/beta", token, fetch });
    expect((await client.createSynchronizationProfile(documented())).status).toBe(201);
  });

  test("a 200 start that lists an error (the documentation's example) did not start", async () => {
    const { fetch } = scripted(json(200, readExample("startSynchronizationProfile.200.documented").value));
    const client = createSynchronizationProfilesClient({ baseUrl: "https://graph.microsoft.com/beta", token, fetch });
    expect((await client.startSynchronizationProfile("86904b1e-c7d0-4ead-b13a-98f11fc400ee")).started).toBe(false);
  });

  test("a 400 start with a Graph error is thrown", async () => {
    const { fetch } = scripted(json(400, graphError("BadRequest")));
    const client = createSynchronizationProfilesClient({ baseUrl: "https://graph.microsoft.com/beta", token, fetch });
    await expect(client.startSynchronizationProfile("86904b1e-c7d0-4ead-b13a-98f11fc400ee")).rejects.toMatchObject({
      code: "BadRequest",
    });
  });

  test("waitForProvisioning honours Retry-After on 429", async () => {
    const slept: number[] = [];
    const { fetch, requests } = scripted(
      json(429, graphError("TooManyRequests"), { "retry-after": "2.128" }),
      json(200, profile("provisioned")),
    );
    const client = createSynchronizationProfilesClient({
      baseUrl: "https://graph.microsoft.com/beta",
      token,
      fetch,
      sleep: async (ms) => void slept.push(ms),
    });
    expect((await client.waitForProvisioning("86904b1e-c7d0-4ead-b13a-98f11fc400ee")).state).toBe("provisioned");
    expect(slept).toEqual([2128]);
    expect(requests).toHaveLength(2);
    expect(requests[0]?.headers.get("authorization")).toBe(`Bearer ${token}`);
  });

  test("waitForProvisioning retries 503/504 a bounded number of times, then throws", async () => {
    const unavailable = json(503, graphError("serviceNotAvailable"));
    const { fetch, requests } = scripted(
      unavailable,
      json(504, graphError("gatewayTimeout")),
      unavailable,
      unavailable,
    );
    const client = createSynchronizationProfilesClient({
      baseUrl: "https://graph.microsoft.com/beta",
      token,
      fetch,
      sleep: async () => undefined,
    });
    await expect(
      client.waitForProvisioning("86904b1e-c7d0-4ead-b13a-98f11fc400ee", { maxServerErrors: 3 }),
    ).rejects.toMatchObject({ status: 503 });
    expect(requests).toHaveLength(4);
  });

  test("waitForProvisioning gives up with a clear timeout error", async () => {
    const answers = Array.from({ length: 50 }, () => json(200, profile("provisioning")));
    const { fetch } = scripted(...answers);
    const client = createSynchronizationProfilesClient({
      baseUrl: "https://graph.microsoft.com/beta",
      token,
      fetch,
      sleep: async () => undefined,
    });
    const error = await client
      .waitForProvisioning("86904b1e-c7d0-4ead-b13a-98f11fc400ee", { timeoutMs: 10_000, intervalMs: 1000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toMatch(
      /^synchronization profile 86904b1e-c7d0-4ead-b13a-98f11fc400ee is still provisioning after \d+ ms \(timeout 10000 ms\)$/,
    );
    expect((error as WaitTimeoutError).last).toMatchObject({ state: "provisioning" });
  });

  test("an aborted wait stops", async () => {
    const controller = new AbortController();
    const { fetch } = scripted(json(200, profile("provisioning")), json(200, profile("provisioning")));
    const client = createSynchronizationProfilesClient({
      baseUrl: "https://graph.microsoft.com/beta",
      token,
      fetch,
      sleep: async () => controller.abort(new Error("stopped by the test")),
    });
    await expect(
      client.waitForProvisioning("86904b1e-c7d0-4ead-b13a-98f11fc400ee", { signal: controller.signal }),
    ).rejects.toThrow("stopped by the test");
  });

  test("a body that is not Graph's envelope still gives a GraphError", async () => {
    const { fetch } = scripted(() => new Response("upstream exploded", { status: 502, statusText: "Bad Gateway" }));
    const client = createSynchronizationProfilesClient({ baseUrl: "https://graph.microsoft.com/beta", token, fetch });
    await expect(client.listSynchronizationProfiles()).rejects.toMatchObject({
      status: 502,
      code: "http502",
      body: "upstream exploded",
    });
  });

  test.each([
    ["2.128", 2.128],
    ["0", 0],
    ["soon", undefined],
    [undefined, undefined],
  ])("Retry-After %j is %j seconds", (value, seconds) => {
    expect(parseRetryAfter(value)).toBe(seconds);
  });

  test("Retry-After as an HTTP date", () => {
    expect(parseRetryAfter("Fri, 27 Nov 2026 10:00:30 GMT", Date.parse("2026-11-27T10:00:00Z"))).toBe(30);
  });

  test("needs a token", () => {
    expect(() => createSynchronizationProfilesClient({ baseUrl: "https://graph.microsoft.com/beta" })).toThrow(
      /needs a token or getToken/,
    );
  });
});
