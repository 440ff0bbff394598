import { describe, expect, test } from "vitest";
import { containerName } from "../../mocks/simulator/blob-uploads.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { expectGraphError } from "../support/graph-error.js";
import { readWrite } from "../support/sim-client.js";
import {
  answer,
  createProvisioned,
  documentedRequest,
  inProcessSimulator,
  profiles,
} from "../support/simulator-harness.js";

type Sim = ReturnType<typeof inProcessSimulator>["sim"];
const raw = (sim: Sim, method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
  sim.fetch(`http://simulator.test${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const appToken = createTestToken({ roles: ["EduAdministration.ReadWrite.All"], tid: "tenant-a" });

describe("simulator: the admin API and tokens", () => {
  test.each([
    ["a tenant's delegated token", `Bearer ${readWrite}`],
    ["a tenant's application token", `Bearer ${appToken}`],
    ["a token that is not a JWT", "Bearer not-a-jwt"],
    ["another scheme", "Basic YWRtaW46YWRtaW4="],
  ])(
    "a request to /_sds that carries %s is refused 403 with Graph's envelope, and changes nothing",
    async (_name, authorization) => {
      const { sim, call } = inProcessSimulator();
      await call("POST", profiles, { body: documentedRequest() });
      for (const [method, path, body] of [
        ["GET", "/_sds/health", undefined],
        ["POST", "/_sds/reset", {}],
        ["POST", "/_sds/clock/advance", { ms: 60_000 }],
        ["POST", "/_sds/profiles", { tenant: "tenant-b", profile: documentedRequest() }],
        ["POST", "/_sds/faults", { status: 503, count: 5 }],
      ] as const) {
        const response = await raw(sim, method, path, { authorization }, body);
        expectGraphError(response, await response.json(), {
          status: 403,
          code: "accessDenied",
          // Health is a monitoring endpoint, the rest the admin API's: neither takes a tenant's token.
          message: /The (admin API \(\/_sds\)|monitoring endpoints \(\/_sds\/health.*\)) takes? no token/,
        });
      }
      // Nothing the refused requests asked for happened.
      expect((await call("GET", profiles)).body.value).toHaveLength(1);
      expect((await call("GET", profiles)).status).toBe(200);
      expect(await sim.store.tenantCount()).toBe(1);
    },
  );

  test("without a token the admin API answers, wherever it is mounted", async () => {
    expect((await raw(inProcessSimulator().sim, "GET", "/_sds/health")).status).toBe(200);
    const moved = inProcessSimulator({ admin: "/_admin" }).sim;
    expect((await raw(moved, "GET", "/_admin/health")).status).toBe(200);
    expect((await raw(moved, "GET", "/_admin/health", { authorization: `Bearer ${readWrite}` })).status).toBe(403);
  });

  test("turned off, /_sds answers exactly like any path that is not Graph's, token or not", async () => {
    const { sim } = inProcessSimulator({ admin: false });
    for (const headers of [{}, { authorization: `Bearer ${readWrite}` }] as Record<string, string>[]) {
      for (const [method, path] of [
        ["GET", "/health"],
        ["POST", "/reset"],
        ["POST", "/profiles"],
      ] as const) {
        const body = method === "GET" ? undefined : {};
        const admin = await raw(sim, method, `/_sds${path}`, headers, body);
        const unknown = await raw(sim, method, `/_nothing${path}`, headers, body);
        const [adminBody, unknownBody] = (await Promise.all([admin.json(), unknown.json()])) as {
          error: { code: string; message: string };
        }[];
        expectGraphError(admin, adminBody, { status: 400, code: "BadRequest" });
        expect([admin.status, adminBody?.error.code, adminBody?.error.message.replace("_sds", "_nothing")]).toEqual([
          unknown.status,
          unknownBody?.error.code,
          unknownBody?.error.message,
        ]);
      }
    }
  });
});

describe("simulator: tenants are apart", () => {
  const tenantA = createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "tenant-a" });
  const tenantB = createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "tenant-b" });

  test("tenant B gets 404 for every operation on tenant A's profile, and A's profile is untouched", async () => {
    const { sim, clientFor } = inProcessSimulator();
    const [a, b] = [clientFor(tenantA), clientFor(tenantB)];
    const csv = {
      ...documentedRequest(),
      dataProvider: { "@odata.type": "#microsoft.graph.educationCsvDataProvider" },
    };
    const id = await createProvisioned(a, sim, csv);
    const displayName = documentedRequest().displayName;
    const item = `${profiles}/${id}`;
    for (const [method, path, body] of [
      ["GET", item, undefined],
      ["GET", `${item}/profileStatus`, undefined],
      ["GET", `${item}/errors`, undefined],
      ["GET", `${item}/uploadUrl`, undefined],
      ["POST", `${item}/start`, undefined],
      ["POST", `${item}/pause`, undefined],
      ["POST", `${item}/resume`, undefined],
      ["POST", `${item}/reset`, undefined],
      ["PATCH", item, { displayName: "taken over" }],
      ["PUT", profiles, { ...csv, id }],
      ["DELETE", item, undefined],
    ] as const) {
      const [response, json] = await answer(b(method, path, { body }));
      expectGraphError(response, json, { status: 404, code: "itemNotFound" });
    }
    expect((await b("GET", profiles)).body.value).toEqual([]);
    const mine = await a("GET", item);
    expect([mine.status, mine.body.displayName, mine.body.state]).toEqual([200, displayName, "provisioned"]);
  });

  test("the same profile id in two tenants is two profiles, with two upload containers", async () => {
    const { sim } = inProcessSimulator();
    const shared = "0b4f6a5e-3c1d-4e2f-9a8b-7c6d5e4f3a2b";
    for (const tenant of ["tenant-a", "tenant-b"])
      expect(
        (await raw(sim, "POST", "/_sds/profiles", {}, { tenant, id: shared, profile: documentedRequest() })).status,
      ).toBe(201);
    const [a, b] = await sim.store.session(async (s) => [
      await s.get("tenant-a", shared),
      await s.get("tenant-b", shared),
    ]);
    expect(a?.tenant).toBe("tenant-a");
    expect(b?.tenant).toBe("tenant-b");
    expect(a).not.toBe(b);
    const containers = ["tenant-a", "tenant-b", "../../etc", "a".repeat(500)].map((tenant) =>
      containerName({ tenant, profileId: shared }),
    );
    expect(new Set(containers).size).toBe(4);
    // What Azure allows a container's name: 3 to 63 lower-case letters, digits and single hyphens.
    for (const name of containers) expect(name).toMatch(/^(?=.{3,63}$)[a-z0-9](?:-?[a-z0-9])*$/);
  });
});
