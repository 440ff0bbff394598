import { describe, expect, test } from "vitest";
import { absentRecord } from "../../mocks/simulator/lifecycle.js";
import { defaultScenario } from "../../mocks/simulator/scenarios.js";
import { ProfileStore, type StoredProfile, StoreLimitError } from "../../mocks/simulator/store.js";

const profile = (tenant: string, id: string): StoredProfile => ({
  ...absentRecord(defaultScenario, false, undefined),
  id,
  tenant,
  resource: {} as StoredProfile["resource"],
  errors: [],
  uploadUrlBusyUntil: 0,
});
const ids = [
  "0b4f6a5e-3c1d-4e2f-9a8b-7c6d5e4f3a2b",
  "1c5a7b6f-4d2e-4f3a-8b9c-8d7e6f5a4b3c",
  "2d6b8c7a-5e3f-4a4b-9cad-9e8f7a6b5c4d",
];

describe("the simulator's store", () => {
  test("keeps each tenant's profiles apart, and finds an id in any letter case", () => {
    const store = new ProfileStore();
    store.add(profile("a", ids[0] ?? ""));
    store.add(profile("b", ids[1] ?? ""));
    expect(store.list("a").map((p) => p.id)).toEqual([ids[0]]);
    expect(store.get("a", (ids[0] ?? "").toUpperCase())?.id).toBe(ids[0]);
    expect(store.get("b", ids[0] ?? "")).toBeUndefined();
  });

  test("refuses past its bounds and evicts nothing", () => {
    const store = new ProfileStore({ maxTenants: 2, maxProfilesPerTenant: 2, maxErrorsPerProfile: 10 });
    store.add(profile("a", ids[0] ?? ""));
    store.add(profile("a", ids[1] ?? ""));
    expect(() => store.add(profile("a", ids[2] ?? ""))).toThrow(StoreLimitError);
    store.add(profile("b", ids[0] ?? ""));
    expect(() => store.add(profile("c", ids[0] ?? ""))).toThrow(/2 tenants/);
    expect(store.list("a")).toHaveLength(2);
    expect(store.tenantCount).toBe(2);
  });

  test("removing a tenant's last profile forgets the tenant; reset forgets one tenant or all", () => {
    const store = new ProfileStore();
    store.add(profile("a", ids[0] ?? ""));
    store.add(profile("b", ids[1] ?? ""));
    store.add(profile("c", ids[2] ?? ""));
    store.remove("a", ids[0] ?? "");
    expect(store.tenantCount).toBe(2);
    store.reset("b");
    expect([store.tenantCount, store.list("c")]).toEqual([1, [expect.objectContaining({ id: ids[2] })]]);
    store.reset();
    expect(store.tenantCount).toBe(0);
  });
});
