import { describe, expect, test } from "vitest";
import { operations } from "../../generated/route-table.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { expectGraphError } from "../support/graph-error.js";
import { validRequest } from "../support/requests.js";
import { answer, documentedRequest, inProcessSimulator, profiles } from "../support/simulator-harness.js";

const tokens = {
  none: null,
  malformed: "not-a-jwt",
  expired: createTestToken({ scopes: ["EduAdministration.ReadWrite"], exp: 1 }),
  noScopes: createTestToken({ scopes: [] }),
  readOnly: createTestToken({ scopes: ["EduAdministration.Read"] }),
  app: createTestToken({ roles: ["EduAdministration.ReadWrite.All"] }),
};

describe("simulator: auth", () => {
  const { clientFor } = inProcessSimulator();

  test.each(operations.map((op) => [op.operationId, op] as const))(
    "%s: 401 without a usable token, 403 without the permission",
    async (_id, op) => {
      const { path, init } = validRequest(op);
      const body = init.body ? JSON.parse(init.body) : undefined;
      for (const token of [tokens.none, tokens.malformed, tokens.expired]) {
        const [response, json] = await answer(clientFor(token)(op.method, path, { body }));
        expectGraphError(response, json, { status: 401, code: "InvalidAuthenticationToken" });
        expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
      }
      const [noScopes, noScopesJson] = await answer(clientFor(tokens.noScopes)(op.method, path, { body }));
      expectGraphError(noScopes, noScopesJson, {
        status: 403,
        code: "accessDenied",
        message: new RegExp(op.permissions.delegated.join("|").replaceAll(".", "\\.")),
      });
      const readOnly = await clientFor(tokens.readOnly)(op.method, path, { body });
      expect(readOnly.status === 403).toBe(
        !(op.permissions.delegated as readonly string[]).includes("EduAdministration.Read"),
      );
      const app = await clientFor(tokens.app)(op.method, path, { body });
      expect(app.status === 403).toBe(op.permissions.application.length === 0);
    },
  );

  test("with auth off, any request is served, in the tenant its token or X-Sds-Tenant names", async () => {
    const { clientFor: anyone } = inProcessSimulator({ auth: false });
    const created = await anyone(null)("POST", profiles, {
      body: documentedRequest(),
      headers: { "x-sds-tenant": "t1" },
    });
    expect(created.status).toBe(202);
    expect((await anyone(null)("GET", profiles, { headers: { "x-sds-tenant": "t1" } })).body.value).toHaveLength(1);
    expect((await anyone(null)("GET", profiles)).body.value).toEqual([]);
  });
});

/** A token carrying exactly these claims, types and all, as a client could send it. */
const rawToken = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`;

describe("simulator: claims of the wrong type", () => {
  const scp = "EduAdministration.ReadWrite";
  test.each([
    ["a tid that is a number", { scp, tid: 42 }, "the tid claim must be a tenant id (a non-empty string), got 42"],
    [
      "a tid that is an object",
      { scp, tid: { id: "a" } },
      'the tid claim must be a tenant id (a non-empty string), got {"id":"a"}',
    ],
    ["an empty tid", { scp, tid: "" }, 'the tid claim must be a tenant id (a non-empty string), got ""'],
  ])("%s is a 401 naming the claim, never a tenant of its own", async (_name, claims, reason) => {
    const { clientFor } = inProcessSimulator();
    const [response, json] = await answer(clientFor(rawToken(claims))("GET", profiles));
    expectGraphError(response, json, {
      status: 401,
      code: "InvalidAuthenticationToken",
      message: new RegExp(`^Access token validation failure: ${reason.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.$`),
    });
  });

  test("with auth off, a tid that is not a tenant id names none: the request falls to X-Sds-Tenant", async () => {
    const { clientFor: anyone } = inProcessSimulator({ auth: false });
    const created = await anyone(rawToken({ tid: 42 }))("POST", profiles, {
      body: documentedRequest(),
      headers: { "x-sds-tenant": "t1" },
    });
    expect(created.status).toBe(202);
    const listed = await anyone(null)("GET", profiles, { headers: { "x-sds-tenant": "t1" } });
    expect(listed.body.value).toHaveLength(1);
    expect((await anyone(rawToken({ tid: "42" }))("GET", profiles)).body.value).toEqual([]);
  });
});

describe("simulator: tenants", () => {
  test("tenants never see each other's profiles", async () => {
    const { clientFor } = inProcessSimulator();
    const a = clientFor(createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "a" }));
    const b = clientFor(createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "b" }));
    const mine = await a("POST", profiles, { body: documentedRequest() });
    expect((await b("GET", `${profiles}/${mine.body.id}`)).status).toBe(404);
    expect((await b("GET", profiles)).body.value).toEqual([]);
    expect((await a("GET", profiles)).body.value).toHaveLength(1);
  });

  test("the store is bounded per tenant", async () => {
    const { call } = inProcessSimulator({ limits: { maxProfilesPerTenant: 2 } });
    await call("POST", profiles, { body: documentedRequest() });
    await call("POST", profiles, { body: documentedRequest() });
    expectGraphError(...(await answer(call("POST", profiles, { body: documentedRequest() }))), {
      status: 403,
      code: "quotaLimitReached",
    });
  });
});
