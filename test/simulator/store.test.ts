import { describe, expect, test } from "vitest";
import { MemoryStore, type SimulatorStore, StoreLimitError } from "../../mocks/simulator/store.js";
import { profileIds as ids, storedProfile as profile } from "../support/stored-profiles.js";

/** One session's work, its answer once it has ended. */
const within = <T>(store: SimulatorStore, work: Parameters<SimulatorStore["session"]>[0]) =>
  store.session(work) as Promise<T>;

describe("the memory store", () => {
  test("keeps each tenant's profiles apart, and finds an id in any letter case", async () => {
    const store = new MemoryStore();
    await within(store, async (s) => {
      await s.add(profile("a", ids[0]));
      await s.add(profile("b", ids[1]));
    });
    const found = await within<[string[], string | undefined, unknown]>(store, async (s) => [
      (await s.list("a")).map((p) => p.id),
      (await s.get("a", ids[0].toUpperCase()))?.id,
      await s.get("b", ids[0]),
    ]);
    expect(found).toEqual([[ids[0]], ids[0], undefined]);
  });

  test("refuses past its bounds and evicts nothing", async () => {
    const store = new MemoryStore({ maxTenants: 2, maxProfilesPerTenant: 2, maxErrorsPerProfile: 10 });
    await within(store, async (s) => {
      await s.add(profile("a", ids[0]));
      await s.add(profile("a", ids[1]));
      await expect(s.add(profile("a", ids[2]))).rejects.toThrow(StoreLimitError);
      await s.add(profile("b", ids[0]));
      await expect(s.add(profile("c", ids[0]))).rejects.toThrow(/2 tenants/);
      expect(await s.list("a")).toHaveLength(2);
    });
    expect(await store.tenantCount()).toBe(2);
  });

  test("removing a tenant's last profile forgets the tenant; reset forgets one tenant or all", async () => {
    const store = new MemoryStore();
    await within(store, async (s) => {
      for (const [tenant, id] of [
        ["a", ids[0]],
        ["b", ids[1]],
        ["c", ids[2]],
      ] as const)
        await s.add(profile(tenant, id));
      await s.remove("a", ids[0]);
    });
    expect(await store.tenantCount()).toBe(2);
    await within(store, (s) => s.reset("b"));
    expect(await store.tenantCount()).toBe(1);
    expect(await within(store, (s) => s.list("c"))).toEqual([expect.objectContaining({ id: ids[2] })]);
    await within(store, (s) => s.reset());
    expect(await store.tenantCount()).toBe(0);
  });

  test("counts profiles by state, for the metrics", async () => {
    const store = new MemoryStore();
    await within(store, async (s) => {
      await s.add({ ...profile("a", ids[0]), state: "provisioning" });
      await s.add({ ...profile("a", ids[1]), state: "provisioned" });
      await s.add({ ...profile("b", ids[2]), state: "provisioned" });
    });
    expect(await store.profilesByState()).toEqual({ provisioning: 1, provisioned: 2 });
    expect(await store.ready()).toEqual({ ready: true });
  });
});
