import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { operations } from "../../generated/route-table.js";
import type { ContractViolation } from "../../mocks/simulator/create-simulator.js";
import {
  type RunningSimulator,
  type StartSimulatorOptions,
  startSimulator,
} from "../../mocks/simulator/start-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { expectGraphError } from "../support/graph-error.js";
import { validRequest } from "../support/requests.js";
import { type Answer, readWrite, simClient } from "../support/sim-client.js";
import { readExample } from "../support/spec-source.js";

const profiles = "/education/synchronizationProfiles";
type Page = { value: { id: string; displayName: string }[]; "@odata.nextLink"?: string; "@odata.count"?: number };
const documentedRequest = () =>
  structuredClone(readExample("createSynchronizationProfile.request").value) as Record<string, unknown>;
const timing = { provisioningMs: 1000, syncPhaseMs: 1000, deletionMs: 500 };

// Every simulator here runs in strict mode; a response that breaks the spec fails the test that caused it.
const violations: ContractViolation[] = [];
const running: RunningSimulator[] = [];
async function simulator(options: StartSimulatorOptions = {}) {
  const sim = await startSimulator({
    clock: "virtual",
    timing,
    strict: true,
    onContractViolation: (v) => violations.push(v),
    ...options,
  });
  running.push(sim);
  return { sim, call: simClient(sim.url) };
}
afterEach(() => {
  expect(violations.splice(0)).toEqual([]);
});
afterAll(async () => {
  await Promise.all(running.map((sim) => sim.close()));
});

async function createProvisioned(
  call: ReturnType<typeof simClient>,
  sim: RunningSimulator,
  body = documentedRequest(),
  headers = {},
) {
  const created = await call("POST", profiles, { body, headers });
  expect(created.status).toBe(202);
  sim.clock.advance(timing.provisioningMs);
  return created.body.id as string;
}

describe("simulator: lifecycle", () => {
  test("create -> poll -> provisioned", async () => {
    const { sim, call } = await simulator();
    const created = await call("POST", profiles, { body: documentedRequest() });
    expect(created.status).toBe(202);
    expect(created.body.state).toBe("provisioning");
    expect((await call("GET", `${profiles}/${created.body.id}`)).body.state).toBe("provisioning");
    sim.clock.advance(timing.provisioningMs - 1);
    expect((await call("GET", `${profiles}/${created.body.id}`)).body.state).toBe("provisioning");
    sim.clock.advance(1);
    const provisioned = await call("GET", `${profiles}/${created.body.id}`);
    expect(provisioned.body.state).toBe("provisioned");
    expect(provisioned.body["@odata.context"]).toBe(
      `${sim.url}/$metadata#education/synchronizationProfiles/$entity`.replace(sim.url, `${sim.url}/beta`),
    );
  });

  test("provisioning can finish after a number of reads instead of a delay", async () => {
    const { call } = await simulator({ provisioningReads: 3, timing: { ...timing, provisioningMs: 3_600_000 } });
    const { body } = await call("POST", profiles, { body: documentedRequest() });
    const states = [];
    for (let i = 0; i < 3; i += 1) states.push((await call("GET", `${profiles}/${body.id}`)).body.state);
    expect(states).toEqual(["provisioning", "provisioning", "provisioned"]);
  });

  test.each([
    ["the X-Sds-Scenario header", { "x-sds-scenario": "provisioning-failed" }, "Test Profile"],
    ["a display name token", {}, "Test Profile [sds:provisioning-failed]"],
  ])("failed provisioning, chosen with %s", async (_how, headers, displayName) => {
    const { sim, call } = await simulator();
    const id = await createProvisioned(call, sim, { ...documentedRequest(), displayName }, headers);
    expect((await call("GET", `${profiles}/${id}`)).body.state).toBe("provisioningFailed");
    expectGraphError(...(await answer(call("POST", `${profiles}/${id}/start`))), {
      status: 409,
      code: "conflict",
      message: /provisioningFailed/,
    });
  });

  test("a seeded failure rate fails the same profiles for the same seed", async () => {
    const outcomes = async () => {
      const { sim, call } = await simulator({ seed: 99, provisioningFailureRate: 0.5 });
      const ids = [];
      for (let i = 0; i < 12; i += 1) ids.push((await call("POST", profiles, { body: documentedRequest() })).body.id);
      sim.clock.advance(timing.provisioningMs);
      return Promise.all(ids.map(async (id) => (await call("GET", `${profiles}/${id}`)).body.state));
    };
    const first = await outcomes();
    expect(first).toContain("provisioned");
    expect(first).toContain("provisioningFailed");
    expect(await outcomes()).toEqual(first);
  });

  const syncCases: [string, { scenario: string; start: number; final: string; errors: number }][] = [
    ["clean start, sync succeeds", { scenario: "", start: 200, final: "success", errors: 0 }],
    ["warnings, sync succeeds", { scenario: "verification-warnings", start: 200, final: "success", errors: 0 }],
    ["sync ends in error", { scenario: "sync-error:7", start: 200, final: "error", errors: 7 }],
    [
      "sync pauses itself in validationError",
      { scenario: "sync-validation-error:5", start: 200, final: "validationError", errors: 5 },
    ],
    ["sync is quarantined", { scenario: "sync-quarantined", start: 200, final: "quarantined", errors: 35 }],
  ];
  test.each(syncCases)("start: %s", async (_name, { scenario, start, final, errors }) => {
    const { sim, call } = await simulator();
    const id = await createProvisioned(call, sim, documentedRequest(), scenario ? { "x-sds-scenario": scenario } : {});
    const before = await call("GET", `${profiles}/${id}/profileStatus`);
    expect(before.body).toMatchObject({ status: "paused", lastSynchronizationDateTime: null, errorCount: 0 });

    const started = await call("POST", `${profiles}/${id}/start`);
    expect(started.status).toBe(start);
    const warnings = (started.body.value as { type: string }[]).map((m) => m.type);
    expect(warnings.every((t) => t === "Warning")).toBe(true);
    expect(warnings.length > 0).toBe(scenario === "verification-warnings");

    const phases = [];
    for (let i = 0; i < 3; i += 1) {
      phases.push(
        (await call("GET", `${profiles}/${id}/profileStatus`, { headers: { prefer: "include-unknown-enum-members" } }))
          .body.status,
      );
      sim.clock.advance(timing.syncPhaseMs);
    }
    expect(phases).toEqual(["extracting", "validating", "inProgress"]);
    const after = await call("GET", `${profiles}/${id}/profileStatus`);
    expect(after.body).toMatchObject({ status: final, errorCount: errors });
    expect(after.body.lastActivityDateTime).not.toBeNull();
    expect(after.body.lastSynchronizationDateTime === null).toBe(final !== "success");
    expect((await call("GET", `${profiles}/${id}/errors?$count=true`)).body["@odata.count"]).toBe(errors);
  });

  test("start with verification errors answers 400 with the documentation's messages and starts nothing", async () => {
    const { sim, call } = await simulator();
    const id = await createProvisioned(call, sim, documentedRequest(), { "x-sds-scenario": "verification-errors" });
    const started = await call("POST", `${profiles}/${id}/start`);
    expect(started.status).toBe(400);
    expect(started.body.value).toEqual(
      (readExample("startSynchronizationProfile.400.verification-errors").value as { value: unknown }).value,
    );
    expect((await call("GET", `${profiles}/${id}/profileStatus`)).body.status).toBe("paused");
  });

  test("start is for CSV profiles only; API providers sync by themselves", async () => {
    const { sim, call } = await simulator();
    const oneRoster = readExample("createSynchronizationProfile.request.one-roster").value as Record<string, unknown>;
    const id = await createProvisioned(call, sim, oneRoster);
    const status = await call("GET", `${profiles}/${id}/profileStatus`);
    expect(status.body.status).toBe("unknownFutureValue"); // extracting, hidden without the Prefer opt-in
    expectGraphError(...(await answer(call("POST", `${profiles}/${id}/start`))), {
      status: 400,
      code: "notSupported",
      message: /CSV/,
    });
    expectGraphError(...(await answer(call("GET", `${profiles}/${id}/uploadUrl`))), {
      status: 400,
      code: "notSupported",
      message: /CSV/,
    });
  });

  test("pause, resume and reset", async () => {
    const { sim, call } = await simulator();
    const id = await createProvisioned(call, sim, documentedRequest(), { "x-sds-scenario": "sync-error:4" });
    const status = async () =>
      (await call("GET", `${profiles}/${id}/profileStatus`, { headers: { prefer: "include-unknown-enum-members" } }))
        .body;
    expectGraphError(...(await answer(call("POST", `${profiles}/${id}/resume`))), {
      status: 409,
      code: "conflict",
      message: /call start/,
    });
    await call("POST", `${profiles}/${id}/start`);
    sim.clock.advance(timing.syncPhaseMs);
    expect((await status()).status).toBe("validating");
    expect((await call("POST", `${profiles}/${id}/pause`)).status).toBe(200);
    sim.clock.advance(10 * timing.syncPhaseMs);
    expect((await status()).status).toBe("paused");
    expect((await call("POST", `${profiles}/${id}/pause`)).status).toBe(200);
    expect((await call("POST", `${profiles}/${id}/resume`)).status).toBe(200);
    expect((await status()).status).toBe("validating");
    sim.clock.advance(2 * timing.syncPhaseMs);
    expect(await status()).toMatchObject({ status: "error", errorCount: 4 });
    expect((await call("POST", `${profiles}/${id}/reset`)).status).toBe(200);
    expect(await status()).toMatchObject({ status: "extracting", errorCount: 0 });
    expect((await call("GET", `${profiles}/${id}/errors`)).body.value).toEqual([]);
    expectGraphError(...(await answer(call("POST", `${profiles}/${id}/start`))), {
      status: 409,
      code: "conflict",
      message: /sync is extracting/,
    });
  });

  test("resume overrides a validationError and lets the sync finish", async () => {
    const { sim, call } = await simulator();
    const id = await createProvisioned(call, sim, documentedRequest(), { "x-sds-scenario": "sync-validation-error" });
    await call("POST", `${profiles}/${id}/start`);
    sim.clock.advance(3 * timing.syncPhaseMs);
    expect((await call("GET", `${profiles}/${id}/profileStatus`)).body.status).toBe("validationError");
    expect((await call("POST", `${profiles}/${id}/resume`)).status).toBe(200);
    sim.clock.advance(timing.syncPhaseMs);
    expect((await call("GET", `${profiles}/${id}/profileStatus`)).body.status).toBe("success");
  });

  test("delete -> deleting -> gone (404)", async () => {
    const { sim, call } = await simulator();
    const id = await createProvisioned(call, sim);
    const deleted = await call("DELETE", `${profiles}/${id}`);
    expect([deleted.status, deleted.body]).toEqual([202, undefined]);
    expect((await call("GET", `${profiles}/${id}`)).body.state).toBe("deleting");
    expectGraphError(...(await answer(call("DELETE", `${profiles}/${id}`))), {
      status: 409,
      code: "conflict",
      message: /deleting/,
    });
    sim.clock.advance(timing.deletionMs);
    expectGraphError(...(await answer(call("GET", `${profiles}/${id}`))), {
      status: 404,
      code: "itemNotFound",
      message: new RegExp(id),
    });
    expect((await call("GET", profiles)).body.value).toEqual([]);
  });

  test("deletion can fail, and be tried again", async () => {
    const { sim, call } = await simulator();
    const id = await createProvisioned(call, sim, documentedRequest(), { "x-sds-scenario": "deletion-failed" });
    await call("DELETE", `${profiles}/${id}`);
    sim.clock.advance(timing.deletionMs);
    expect((await call("GET", `${profiles}/${id}`)).body.state).toBe("deletionFailed");
    expect((await call("DELETE", `${profiles}/${id}`)).status).toBe(202);
  });

  test("update: PUT on the collection answers 202 and provisions again; PATCH on the item answers 204", async () => {
    const { sim, call } = await simulator();
    const id = await createProvisioned(call, sim);
    const profile = (await call("GET", `${profiles}/${id}`)).body;
    const put = await call("PUT", profiles, { body: { ...profile, displayName: "Renamed" } });
    expect(put.status).toBe(202);
    expect(put.body).toMatchObject({ id, displayName: "Renamed", state: "provisioning" });
    sim.clock.advance(timing.provisioningMs);
    const patch = await call("PATCH", `${profiles}/${id}`, { body: { displayName: "Renamed again" } });
    expect([patch.status, patch.body]).toEqual([204, undefined]);
    expect((await call("GET", `${profiles}/${id}`)).body).toMatchObject({
      displayName: "Renamed again",
      state: "provisioning",
    });
    expectGraphError(
      ...(await answer(call("PUT", profiles, { body: { ...profile, id: "0b4f6a5e-3c1d-4e2f-9a8b-7c6d5e4f3a2b" } }))),
      {
        status: 404,
        code: "itemNotFound",
      },
    );
    await call("DELETE", `${profiles}/${id}`);
    expectGraphError(...(await answer(call("PATCH", `${profiles}/${id}`, { body: { displayName: "x" } }))), {
      status: 409,
      code: "conflict",
    });
  });

  test("uploadUrl: a SAS URL valid one hour; 409 while the previous request is processing", async () => {
    const { sim, call } = await simulator({ uploadUrlProcessingMs: 500 });
    const id = await createProvisioned(call, sim);
    const first = await call("GET", `${profiles}/${id}/uploadUrl`);
    expect(first.status).toBe(200);
    const sas = new URL(first.body.value);
    expect(sas.hostname).toBe("sdsstorage.blob.core.windows.net");
    expect(sas.searchParams.get("sp")).toBe("w");
    expect(Date.parse(sas.searchParams.get("se") ?? "") - sim.clock.now()).toBeGreaterThan(3_599_000);
    expectGraphError(...(await answer(call("GET", `${profiles}/${id}/uploadUrl`))), {
      status: 409,
      code: "conflict",
      message: /still being processed/,
    });
    sim.clock.advance(500);
    expect((await call("GET", `${profiles}/${id}/uploadUrl`)).status).toBe(200);
  });
});

describe("simulator: the documentation's create request", () => {
  test("replayed byte for byte, gets the documentation's response body (but for id) with 202", async () => {
    const { sim } = await simulator();
    const seed = readExample("createSynchronizationProfile.request").value;
    const response = await fetch(`${sim.url}/testEduApi${profiles}`, {
      method: "POST",
      headers: { authorization: `Bearer ${readWrite}`, "content-type": "application/json" },
      body: JSON.stringify(seed),
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as Record<string, unknown>;
    const documented = structuredClone(readExample("createSynchronizationProfile.202").value) as Record<
      string,
      unknown
    >;
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify({ ...body, id: documented.id })).toBe(JSON.stringify(documented));
  });
});

describe("simulator: paging", () => {
  test("250 profiles, followed by nextLink, with $count", async () => {
    const { sim, call } = await simulator({ limits: { maxProfilesPerTenant: 300 } });
    for (let i = 0; i < 250; i += 1)
      await call("POST", profiles, {
        body: { ...documentedRequest(), displayName: `Profile ${String(i).padStart(3, "0")}` },
      });
    sim.clock.advance(timing.provisioningMs);
    const seen: string[] = [];
    let next: string | undefined = `${profiles}?$top=40&$count=true`;
    let pages = 0;
    while (next) {
      const page: Answer<Page> = await call("GET", next);
      expect(page.body["@odata.count"]).toBe(250);
      seen.push(...page.body.value.map((p) => p.displayName));
      next = page.body["@odata.nextLink"];
      pages += 1;
    }
    expect(pages).toBe(7);
    expect(new Set(seen).size).toBe(250);
    const filtered = await call(
      "GET",
      `${profiles}?$filter=startswith(displayName,'Profile 24') and state eq 'provisioned'&$orderby=displayName desc`,
    );
    expect(filtered.body.value.map((p: { displayName: string }) => p.displayName)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Profile 24${9 - i}`),
    );
    expectGraphError(...(await answer(call("GET", `${profiles}?$filter=length(displayName) gt 3`))), {
      status: 400,
      code: "invalidRequest",
      message: /unsupported \$filter/,
    });
  });

  test("120 errors, followed by nextLink", async () => {
    const { sim, call } = await simulator();
    const id = await createProvisioned(call, sim, documentedRequest(), { "x-sds-scenario": "sync-error:120" });
    await call("POST", `${profiles}/${id}/start`);
    sim.clock.advance(3 * timing.syncPhaseMs);
    const seen = new Set<string>();
    let next: string | undefined = `${profiles}/${id}/errors?$top=50`;
    while (next) {
      const page: Answer<Page> = await call("GET", next);
      for (const error of page.body.value) seen.add(error.id);
      next = page.body["@odata.nextLink"];
    }
    expect(seen.size).toBe(120);
  });
});

describe("simulator: evolvable enums", () => {
  test("faculty and extracting are sent only with Prefer: include-unknown-enum-members", async () => {
    const { sim, call } = await simulator();
    const body = documentedRequest() as {
      identitySynchronizationConfiguration: { userDomains: { appliesTo: string }[] };
    };
    body.identitySynchronizationConfiguration.userDomains.push({
      appliesTo: "faculty",
      name: "staff.testschool.edu",
    } as never);
    const id = await createProvisioned(call, sim, body as never);
    await call("POST", `${profiles}/${id}/start`);
    const roles = async (prefer?: string) =>
      (
        await call("GET", `${profiles}/${id}`, { headers: prefer ? { prefer } : {} })
      ).body.identitySynchronizationConfiguration.userDomains.map((d: { appliesTo: string }) => d.appliesTo);
    expect(await roles()).toEqual(["student", "teacher", "unknownFutureValue"]);
    expect(await roles("include-unknown-enum-members")).toEqual(["student", "teacher", "faculty"]);
    expect((await call("GET", `${profiles}/${id}/profileStatus`)).body.status).toBe("unknownFutureValue");
    expect(
      (await call("GET", `${profiles}/${id}/profileStatus`, { headers: { prefer: "include-unknown-enum-members" } }))
        .body.status,
    ).toBe("extracting");
  });

  test("sending unknownFutureValue is a 400", async () => {
    const { call } = await simulator();
    const body = documentedRequest() as { licensesToAssign: { appliesTo: string }[] };
    (body.licensesToAssign[0] as { appliesTo: string }).appliesTo = "unknownFutureValue";
    expectGraphError(...(await answer(call("POST", profiles, { body }))), {
      status: 400,
      code: "invalidRequest",
      message: /sentinel/,
    });
  });
});

describe("simulator: auth", () => {
  const tokens = {
    none: null,
    malformed: "not-a-jwt",
    expired: createTestToken({ scopes: ["EduAdministration.ReadWrite"], exp: 1 }),
    noScopes: createTestToken({ scopes: [] }),
    readOnly: createTestToken({ scopes: ["EduAdministration.Read"] }),
    app: createTestToken({ roles: ["EduAdministration.ReadWrite.All"] }),
  };
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = (await simulator()).sim;
  });

  test.each(operations.map((op) => [op.operationId, op] as const))(
    "%s: 401 without a usable token, 403 without the permission",
    async (_id, op) => {
      const { path, init } = validRequest(op);
      const body = init.body ? JSON.parse(init.body) : undefined;
      for (const token of [tokens.none, tokens.malformed, tokens.expired]) {
        const [response, json] = await answer(simClient(sim.url, { token })(op.method, path, { body }));
        expectGraphError(response, json, { status: 401, code: "InvalidAuthenticationToken" });
        expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
      }
      const [noScopes, noScopesJson] = await answer(
        simClient(sim.url, { token: tokens.noScopes })(op.method, path, { body }),
      );
      expectGraphError(noScopes, noScopesJson, {
        status: 403,
        code: "accessDenied",
        message: new RegExp(op.permissions.delegated.join("|").replaceAll(".", "\\.")),
      });
      const readOnly = await simClient(sim.url, { token: tokens.readOnly })(op.method, path, { body });
      expect(readOnly.status === 403).toBe(
        !(op.permissions.delegated as readonly string[]).includes("EduAdministration.Read"),
      );
      const app = await simClient(sim.url, { token: tokens.app })(op.method, path, { body });
      expect(app.status === 403).toBe(op.permissions.application.length === 0);
    },
  );
});

describe("simulator: isolation", () => {
  test("tenants never see each other's profiles", async () => {
    const { sim } = await simulator();
    const a = simClient(sim.url, { token: createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "a" }) });
    const b = simClient(sim.url, { token: createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "b" }) });
    const mine = await a("POST", profiles, { body: documentedRequest() });
    expect((await b("GET", `${profiles}/${mine.body.id}`)).status).toBe(404);
    expect((await b("GET", profiles)).body.value).toEqual([]);
    expect((await a("GET", profiles)).body.value).toHaveLength(1);
  });

  test("the store is bounded per tenant", async () => {
    const { call } = await simulator({ limits: { maxProfilesPerTenant: 2 } });
    await call("POST", profiles, { body: documentedRequest() });
    await call("POST", profiles, { body: documentedRequest() });
    expectGraphError(...(await answer(call("POST", profiles, { body: documentedRequest() }))), {
      status: 403,
      code: "quotaLimitReached",
    });
  });
});

describe("simulator: faults", () => {
  test("429 with Retry-After, honoured: the retry after Retry-After succeeds", async () => {
    const { sim, call } = await simulator({ faults: { enforceRetryAfter: true } });
    const [throttled, body] = await answer(
      call("GET", profiles, { headers: { "x-sds-fault": "throttle retry-after=3" } }),
    );
    expectGraphError(throttled, body, { status: 429, code: "TooManyRequests" });
    expect(throttled.headers.get("retry-after")).toBe("3");
    sim.clock.advance(3000);
    expect((await call("GET", profiles)).status).toBe(200);
  });

  test("429 with Retry-After, not honoured: an early retry is throttled again with the time left", async () => {
    const { sim, call } = await simulator({ faults: { enforceRetryAfter: true, throttleRate: 0 } });
    await call("GET", profiles, { headers: { "x-sds-fault": "throttle retry-after=2.5" } });
    sim.clock.advance(1000);
    const early = await call("GET", profiles);
    expect(early.status).toBe(429);
    expect(early.headers.get("retry-after")).toBe("1.5");
    sim.clock.advance(1500);
    expect((await call("GET", profiles)).status).toBe(200);
  });

  test.each([
    ["500", "generalException"],
    ["503", "serviceNotAvailable"],
    ["504", "gatewayTimeout"],
  ])("X-Sds-Fault: %s answers the Graph error", async (status, code) => {
    const { call } = await simulator();
    const [response, body] = await answer(call("GET", profiles, { headers: { "x-sds-fault": status } }));
    expectGraphError(response, body, { status: Number(status), code });
  });

  test("seeded rates give the same faults for the same seed", async () => {
    const sequence = async () => {
      const { call } = await simulator({ seed: 7, faults: { throttleRate: 0.2, errorRate: 0.2 } });
      const statuses = [];
      for (let i = 0; i < 40; i += 1) statuses.push((await call("GET", profiles)).status);
      return statuses;
    };
    const first = await sequence();
    expect(new Set(first)).toEqual(new Set([200, 429, 500, 503, 504].filter((s) => first.includes(s))));
    expect(first.filter((s) => s !== 200).length).toBeGreaterThan(4);
    expect(await sequence()).toEqual(first);
  });

  test("added latency delays the answer", async () => {
    const { call } = await simulator();
    const started = performance.now();
    expect((await call("GET", profiles, { headers: { "x-sds-fault": "latency=120" } })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  test("an unknown fault is a 400 naming the ones there are", async () => {
    const { call } = await simulator();
    expectGraphError(...(await answer(call("GET", profiles, { headers: { "x-sds-fault": "explode" } }))), {
      status: 400,
      code: "invalidRequest",
      message: /throttle.*500, 503, 504 or latency/,
    });
  });
});

describe("simulator: bad input never crashes it", () => {
  const cases: [
    string,
    {
      method: string;
      path: string;
      raw?: string;
      headers?: Record<string, string>;
      body?: unknown;
      status: number;
      code: string;
      message?: RegExp;
    },
  ][] = [
    [
      "malformed JSON",
      {
        method: "POST",
        path: profiles,
        raw: '{"displayName":',
        headers: { "content-type": "application/json" },
        status: 400,
        code: "invalidRequest",
        message: /not valid JSON/,
      },
    ],
    [
      "wrong content type",
      {
        method: "POST",
        path: profiles,
        raw: "displayName=x",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        status: 415,
        code: "unsupportedMediaType",
      },
    ],
    [
      "body over the limit",
      {
        method: "POST",
        path: profiles,
        body: { displayName: "x".repeat(3000) },
        status: 413,
        code: "requestEntityTooLarge",
      },
    ],
    ["unknown route", { method: "GET", path: "/education/synchronizationProfile", status: 404, code: "itemNotFound" }],
    [
      "the path without /education",
      { method: "GET", path: "/synchronizationProfiles", status: 404, code: "itemNotFound" },
    ],
    ["wrong method", { method: "PATCH", path: profiles, body: {}, status: 405, code: "notAllowed" }],
    [
      "a schema violation",
      {
        method: "POST",
        path: profiles,
        body: { displayName: "x" },
        status: 400,
        code: "invalidRequest",
        message: /'dataProvider' is required/,
      },
    ],
    [
      "a non-GUID id",
      { method: "GET", path: `${profiles}/profile-1`, status: 400, code: "invalidRequest", message: /GUID/ },
    ],
    [
      "an unknown scenario",
      {
        method: "POST",
        path: profiles,
        body: { ...documentedRequest(), displayName: "x [sds:explode]" },
        status: 400,
        code: "invalidRequest",
        message: /unknown scenario 'explode'/,
      },
    ],
    [
      "an expiration date too far ahead",
      {
        method: "POST",
        path: profiles,
        body: { ...documentedRequest(), expirationDate: "2099-01-01" },
        status: 400,
        code: "invalidRequest",
        message: /18 months/,
      },
    ],
  ];
  test.each(cases)("%s", async (_name, { method, path, raw, headers, body, status, code, message }) => {
    const { call } = await simulator({ maxBodyBytes: 2048 });
    const [response, json] = await answer(call(method, path, { raw, headers, body }));
    expectGraphError(response, json, { status, code, message });
    if (status === 405) expect(response.headers.get("allow")).toBe("GET, POST, PUT");
  });

  test("a schema violation lists each rule in details", async () => {
    const { call } = await simulator();
    const { body } = await call("POST", profiles, {
      body: { ...documentedRequest(), state: "provisioned", displayName: "" },
    });
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: "readOnly", target: "body/state" }),
        expect.objectContaining({ code: "minLength", target: "body/displayName" }),
      ]),
    );
  });
});

describe("simulator: answers like Graph", () => {
  test.each([[""], ["/beta"], ["/testEduApi"]])("under the prefix '%s'", async (prefix) => {
    const { call } = await simulator();
    const created = await call("POST", `${prefix}${profiles}`, { body: documentedRequest() });
    expect(created.status).toBe(202);
    expect((await call("GET", `${prefix}${profiles}/${created.body.id}`)).status).toBe(200);
  });

  test("the SDKs' qualified action paths reach the same operations", async () => {
    const { sim, call } = await simulator();
    const id = await createProvisioned(call, sim);
    expect((await call("GET", `/beta${profiles}/${id}/microsoft.graph.uploadUrl()`)).status).toBe(200);
    expect((await call("POST", `/beta${profiles}/${id}/microsoft.graph.start`)).status).toBe(200);
    expect((await call("POST", `/beta${profiles}/${id}/microsoft.graph.pause`)).status).toBe(200);
  });

  test("request-id on every response; client-request-id echoed in the header and the error", async () => {
    const { call } = await simulator();
    const clientRequestId = "0f9e8d7c-6b5a-4938-a716-5e4d3c2b1a09";
    const ok = await call("GET", profiles, { headers: { "client-request-id": clientRequestId } });
    expect(ok.headers.get("client-request-id")).toBe(clientRequestId);
    const missing = await call("GET", `${profiles}/86904b1e-c7d0-4ead-b13a-98f11fc400ee`, {
      headers: { "client-request-id": clientRequestId },
    });
    expect(missing.body.error.innerError["client-request-id"]).toBe(clientRequestId);
    expect(missing.headers.get("request-id")).not.toBe(ok.headers.get("request-id"));
  });
});

describe("simulator: admin API", () => {
  test("advances the clock, seeds profiles in a given state, resets a tenant", async () => {
    const { sim, call } = await simulator();
    const admin = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
      fetch(`${sim.url}/_sds${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect(await (await admin("/health")).json()).toEqual({ status: "ok" });
    const before = ((await (await admin("/clock")).json()) as { now: number }).now;
    expect(((await (await admin("/clock/advance", { ms: 5000 })).json()) as { now: number }).now).toBe(before + 5000);

    const id = "0b4f6a5e-3c1d-4e2f-9a8b-7c6d5e4f3a2b";
    const seeded = await admin("/profiles", {
      tenant: "tenant-a",
      id,
      profile: documentedRequest(),
      state: "provisioned",
      status: "error",
      errors: 3,
    });
    expect(seeded.status).toBe(201);
    expect((await call("GET", `${profiles}/${id}/profileStatus`)).body).toMatchObject({
      status: "error",
      errorCount: 3,
    });
    expect((await call("GET", `${profiles}/${id}/errors`)).body.value).toHaveLength(3);

    expect((await admin("/profiles", { tenant: "tenant-a", id, profile: documentedRequest() })).status).toBe(409);
    expect((await admin("/profiles", { profile: { displayName: "x" } })).status).toBe(400);
    expect((await admin("/reset", {}, { "x-sds-tenant": "tenant-a" })).status).toBe(200);
    expect((await call("GET", `${profiles}/${id}`)).status).toBe(404);
  });

  test("queues faults for the next requests (for provider states)", async () => {
    const { sim, call } = await simulator();
    const queued = await fetch(`${sim.url}/_sds/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"throttle": 2, "count": 2}',
    });
    expect(await queued.json()).toEqual({ queued: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call("GET", profiles)).status);
    expect(statuses).toEqual([429, 429, 200]);
    const refused = await fetch(`${sim.url}/_sds/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"explode": true}',
    });
    expect(refused.status).toBe(400);
  });

  test("can be turned off", async () => {
    const { sim } = await simulator({ admin: false });
    const response = await fetch(`${sim.url}/_sds/health`);
    expectGraphError(response, await response.json(), { status: 404, code: "itemNotFound" });
  });
});

describe("simulator: in process", () => {
  test("its fetch serves a consumer's tests with no port at all", async () => {
    const { createSimulator } = await import("../../mocks/simulator/create-simulator.js");
    const sim = createSimulator({
      clock: "virtual",
      timing,
      strict: true,
      onContractViolation: (v) => violations.push(v),
    });
    const call = simClient("http://simulator.invalid/beta", { fetch: sim.fetch });
    const created = await call("POST", `/beta${profiles}`, { body: documentedRequest() });
    sim.clock.advance(timing.provisioningMs);
    expect((await call("GET", `/beta${profiles}/${created.body.id}`)).body.state).toBe("provisioned");
  });
});

/** A call's response and body, for expectGraphError. */
async function answer(
  pending: Promise<{ status: number; headers: Headers; body: unknown }>,
): Promise<[Response, unknown]> {
  const { status, headers, body } = await pending;
  return [new Response(null, { status, headers }), body];
}
