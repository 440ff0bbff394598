import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  defaultStoreLimits,
  type SimulatorStore,
  type StoredProfile,
  StoreLimitError,
  type StoreLimits,
} from "../../mocks/simulator/store.js";
import { NewerSchemaError } from "../../mocks/simulator/stores/migrations.js";
import { openStore } from "../../mocks/simulator/stores/open-store.js";
import { StoreUnavailableError } from "../../mocks/simulator/stores/sql-database.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { profileIds as ids, storedProfile as profile } from "../support/stored-profiles.js";

const syncError = {
  entryType: "student",
  errorCode: "DuplicateTargetEntries",
  errorMessage: "Two users exist with the same SIS ID in the source directory",
  joiningValue: "s-1",
  recordedDateTime: "2024-05-01T10:00:00Z",
  reportableIdentifier: "s-1",
};

let postgres: TestPostgres;
const folders: string[] = [];
const opened: SimulatorStore[] = [];

beforeAll(async () => {
  postgres = await startTestPostgres();
}, 120_000);

afterAll(async () => {
  for (const store of opened) await store.close();
  await postgres?.remove();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** Each kind, with a way to make a fresh, empty store of it and a second handle on the same data. */
const kinds = [
  {
    kind: "memory",
    fresh: async () => "memory",
    persistent: false,
  },
  {
    kind: "sqlite",
    fresh: async () => {
      const folder = mkdtempSync(join(tmpdir(), "sds-sqlite-"));
      folders.push(folder);
      return `sqlite:${join(folder, "sandbox.db")}`;
    },
    persistent: true,
  },
  {
    kind: "postgres",
    fresh: () => postgres.createDatabase(),
    persistent: true,
  },
] as const;

const open = async (spec: string, limits: Partial<StoreLimits> = {}) => {
  const store = openStore(spec, { ...defaultStoreLimits, ...limits });
  opened.push(store);
  await store.open();
  return store;
};

describe.each(kinds)("the $kind store", ({ kind, fresh }) => {
  test("keeps tenants apart and finds an id in any letter case", async () => {
    const store = await open(await fresh());
    expect(store.kind).toBe(kind);
    await store.session(async (s) => {
      await s.add(profile("a", ids[0]));
      await s.add(profile("b", ids[1]));
    });
    const found = await store.session(async (s) => [
      (await s.list("a")).map((p) => p.id),
      (await s.get("a", ids[0].toUpperCase()))?.id,
      await s.get("b", ids[0]),
    ]);
    expect(found).toEqual([[ids[0]], ids[0], undefined]);
  });

  test("lists a tenant's profiles in the order they were created", async () => {
    const store = await open(await fresh());
    await store.session(async (s) => {
      for (const id of [ids[2], ids[0], ids[1]]) await s.add(profile("a", id));
    });
    expect((await store.session((s) => s.list("a"))).map((p) => p.id)).toEqual([ids[2], ids[0], ids[1]]);
  });

  test("a change made in one session is what the next reads: state, due step, resource and errors", async () => {
    const store = await open(await fresh());
    await store.session((s) => s.add(profile("a", ids[0])));
    await store.session(async (s) => {
      const stored = await s.get("a", ids[0]);
      if (!stored) throw new Error("the profile is not there");
      stored.state = "provisioned";
      stored.due = { at: 1_700_000_000_000, event: "advancePhase" };
      stored.resource = { ...stored.resource, displayName: "renamed" };
      stored.errors = [syncError] as StoredProfile["errors"];
    });
    const read = await store.session((s) => s.get("a", ids[0]));
    expect(read).toMatchObject({
      state: "provisioned",
      due: { at: 1_700_000_000_000, event: "advancePhase" },
      resource: { displayName: "renamed" },
      errors: [syncError],
    });
    expect(await store.profilesByState()).toEqual({ provisioned: 1 });
  });

  test("refuses past its bounds and evicts nothing", async () => {
    const store = await open(await fresh(), { maxTenants: 2, maxProfilesPerTenant: 2 });
    await store.session(async (s) => {
      await s.add(profile("a", ids[0]));
      await s.add(profile("a", ids[1]));
      await s.add(profile("b", ids[0]));
    });
    await expect(store.session((s) => s.add(profile("a", ids[2])))).rejects.toThrow(StoreLimitError);
    await expect(store.session((s) => s.add(profile("c", ids[0])))).rejects.toThrow(/2 tenants/);
    expect(await store.session((s) => s.list("a"))).toHaveLength(2);
    expect(await store.tenantCount()).toBe(2);
  });

  test("a tenant whose last profile goes is forgotten; reset forgets one tenant or all", async () => {
    const store = await open(await fresh());
    await store.session(async (s) => {
      await s.add(profile("a", ids[0]));
      await s.add(profile("b", ids[1]));
      await s.add(profile("c", ids[2]));
      await s.remove("a", ids[0]);
    });
    expect(await store.tenantCount()).toBe(2);
    await store.session((s) => s.reset("b"));
    expect(await store.tenantCount()).toBe(1);
    expect((await store.session((s) => s.list("c"))).map((p) => p.id)).toEqual([ids[2]]);
    await store.session((s) => s.reset());
    expect(await store.tenantCount()).toBe(0);
  });
});

describe.each(kinds.filter((k) => k.persistent))("the $kind store, on disk", ({ fresh }) => {
  test("closed and opened again, it still holds every profile and its errors", async () => {
    const spec = await fresh();
    const first = await open(spec);
    await first.session(async (s) => {
      await s.add({ ...profile("a", ids[0], "provisioned"), errors: [syncError] as StoredProfile["errors"] });
    });
    await first.close();
    const again = await open(spec);
    expect(await again.session((s) => s.get("a", ids[0]))).toMatchObject({
      state: "provisioned",
      errors: [syncError],
    });
  });

  test("a session that throws leaves the store as it was", async () => {
    const store = await open(await fresh());
    await store.session((s) => s.add(profile("a", ids[0])));
    await expect(
      store.session(async (s) => {
        const stored = await s.get("a", ids[0]);
        if (stored) stored.state = "deleting";
        await s.add(profile("a", ids[1]));
        throw new Error("the handler failed");
      }),
    ).rejects.toThrow("the handler failed");
    const left = await store.session((s) => s.list("a"));
    expect(left.map((p) => [p.id, p.state])).toEqual([[ids[0], "provisioning"]]);
  });

  test("reports itself ready once migrated", async () => {
    const store = await open(await fresh());
    expect(await store.ready()).toEqual({ ready: true });
  });
});

describe("one PostgreSQL database, several stores on it (replicas)", () => {
  test("replicas that start together migrate it once", async () => {
    const url = await postgres.createDatabase();
    const replicas = [0, 1, 2, 3].map(() => openStore(url, defaultStoreLimits));
    opened.push(...replicas);
    await Promise.all(replicas.map((replica) => replica.open()));
    const client = new pg.Client(url);
    await client.connect();
    try {
      const { rows } = await client.query("SELECT version FROM sds_schema_migrations ORDER BY version");
      expect(rows).toEqual([{ version: 1 }]);
    } finally {
      await client.end();
    }
  });

  test("a database migrated by a newer kit is refused, not used", async () => {
    const url = await postgres.createDatabase();
    await (await open(url)).close();
    const client = new pg.Client(url);
    await client.connect();
    try {
      await client.query("INSERT INTO sds_schema_migrations (version, name) VALUES (99, 'from the future')");
    } finally {
      await client.end();
    }
    const store = openStore(url, defaultStoreLimits);
    opened.push(store);
    await expect(store.open()).rejects.toThrow(NewerSchemaError);
  });

  test("two sessions on one profile, on two replicas, run one after the other: no update is lost", async () => {
    const url = await postgres.createDatabase();
    const [one, two] = [await open(url), await open(url)];
    await one.session((s) => s.add(profile("a", ids[0])));
    // Each session appends to the name it read; interleaved without a lock, one append would be lost.
    const append = (store: SimulatorStore, mark: string) =>
      store.session(async (s) => {
        const stored = await s.get("a", ids[0]);
        if (!stored) throw new Error("the profile is not there");
        const name = stored.resource.displayName;
        await new Promise((resolve) => setImmediate(resolve));
        stored.resource = { ...stored.resource, displayName: `${name}+${mark}` };
      });
    await Promise.all(Array.from({ length: 10 }, (_, i) => append(i % 2 === 0 ? one : two, String(i))));
    const name = (await two.session((s) => s.get("a", ids[0])))?.resource.displayName ?? "";
    expect(name.split("+").slice(1).sort()).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  });

  test("a tenant's quota holds across replicas adding at once", async () => {
    const url = await postgres.createDatabase();
    const replicas = [await open(url, { maxProfilesPerTenant: 5 }), await open(url, { maxProfilesPerTenant: 5 })];
    const attempts = Array.from({ length: 12 }, (_, i) =>
      (replicas[i % 2] as SimulatorStore).session((s) =>
        s.add(profile("a", `${String(i).padStart(8, "0")}-0000-4000-8000-000000000000`)),
      ),
    );
    const settled = await Promise.allSettled(attempts);
    expect(settled.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(
      settled.filter((r) => r.status === "rejected" && r.reason instanceof StoreLimitError).map((r) => r.status),
    ).toHaveLength(7);
    expect(await (replicas[1] as SimulatorStore).session((s) => s.list("a"))).toHaveLength(5);
  });
});

describe("a PostgreSQL server that goes away", () => {
  test("is unavailable while it is down, and used again once it is back", async () => {
    const url = await postgres.createDatabase();
    const store = await open(url);
    await store.session((s) => s.add(profile("a", ids[0])));
    await postgres.stop();
    try {
      await expect(store.session((s) => s.list("a"))).rejects.toThrow(StoreUnavailableError);
      const ready = await store.ready();
      expect(ready.ready).toBe(false);
    } finally {
      await postgres.start();
    }
    expect((await store.session((s) => s.list("a"))).map((p) => p.id)).toEqual([ids[0]]);
    expect(await store.ready()).toEqual({ ready: true });
  });
});

describe("a store given by a spec it cannot read", () => {
  test("names the forms it takes, without the password", () => {
    expect(() => openStore("mysql://me:hunter2@db/x", defaultStoreLimits)).toThrow(
      /memory, postgres:\/\/.*sqlite:<file>, got 'mysql:\/\/me:\*\*\*@db\/x'/,
    );
  });
});
