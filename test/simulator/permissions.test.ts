import { describe, expect, test } from "vitest";
import { operations } from "../../generated/route-table.js";
import { checkToken } from "../../mocks/simulator/permissions.js";
import { createTestToken, readClaims } from "../../src/auth/test-token.js";

const op = (id: string) => {
  const found = operations.find((o) => o.operationId === id);
  if (!found) throw new Error(id);
  return found;
};
const bearer = (token: string) => `Bearer ${token}`;

describe("createTestToken", () => {
  test("is an unsigned JWT carrying the claims given", () => {
    const token = createTestToken({
      scopes: ["EduAdministration.Read", "EduAdministration.ReadWrite"],
      tid: "t1",
      exp: 2,
    });
    expect(token.split(".")).toHaveLength(3);
    expect(readClaims(token)).toMatchObject({
      scp: "EduAdministration.Read EduAdministration.ReadWrite",
      tid: "t1",
      exp: 2,
    });
  });
});

describe("checkToken", () => {
  const cases: [
    string,
    { header: string | null; operationId: string; want: { ok: boolean; status?: number; reason?: RegExp } },
  ][] = [
    [
      "no header",
      { header: null, operationId: "listSynchronizationProfiles", want: { ok: false, status: 401, reason: /empty/ } },
    ],
    [
      "not Bearer",
      { header: "Basic abc", operationId: "listSynchronizationProfiles", want: { ok: false, status: 401 } },
    ],
    [
      "not a JWT",
      {
        header: "Bearer abc",
        operationId: "listSynchronizationProfiles",
        want: { ok: false, status: 401, reason: /not a JWT/ },
      },
    ],
    [
      "expired",
      {
        header: bearer(createTestToken({ scopes: ["EduAdministration.Read"], exp: 1 })),
        operationId: "listSynchronizationProfiles",
        want: { ok: false, status: 401, reason: /expired/ },
      },
    ],
    [
      "read scope reads",
      {
        header: bearer(createTestToken({ scopes: ["EduAdministration.Read"] })),
        operationId: "listSynchronizationProfiles",
        want: { ok: true },
      },
    ],
    [
      "read scope cannot create",
      {
        header: bearer(createTestToken({ scopes: ["EduAdministration.Read"] })),
        operationId: "createSynchronizationProfile",
        want: { ok: false, status: 403, reason: /EduAdministration\.ReadWrite in scp/ },
      },
    ],
    [
      "app role starts",
      {
        header: bearer(createTestToken({ roles: ["EduAdministration.ReadWrite.All"] })),
        operationId: "startSynchronizationProfile",
        want: { ok: true },
      },
    ],
    [
      "app role cannot create",
      {
        header: bearer(createTestToken({ roles: ["EduAdministration.ReadWrite.All"] })),
        operationId: "createSynchronizationProfile",
        want: { ok: false, status: 403, reason: /does not support application permissions/ },
      },
    ],
    [
      "read role cannot pause",
      {
        header: bearer(createTestToken({ roles: ["EduAdministration.Read.All"] })),
        operationId: "pauseSynchronizationProfile",
        want: { ok: false, status: 403, reason: /Missing role/ },
      },
    ],
    [
      "neither scp nor roles",
      {
        header: bearer(createTestToken({})),
        operationId: "listSynchronizationProfiles",
        want: { ok: false, status: 403, reason: /scp or roles/ },
      },
    ],
  ];
  test.each(cases)("%s", (_name, { header, operationId, want }) => {
    const result = checkToken(header, op(operationId), Date.now());
    expect(result.ok).toBe(want.ok);
    if (!result.ok) {
      expect(result.status).toBe(want.status);
      if (want.reason) expect(result.reason).toMatch(want.reason);
    }
  });
});
