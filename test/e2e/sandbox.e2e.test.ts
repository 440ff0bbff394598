import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { components } from "../../generated/types.js";
import { startAzuriteBlob } from "../../mocks/simulator/azurite.js";
import { generateRoster } from "../../src/csv/generate-roster.js";
import { packageRoot } from "../../src/package-root.js";
import { csvProfileRequest } from "../../src/pact/provider-states/csv-profile-request.js";
import { exitOf, linesUntil, sdsKit, spawnTracked } from "../support/cli-process.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { type Replica, sandboxToken, startReplica } from "../support/sandbox-replica.js";
import { documentedRequest } from "../support/simulator-harness.js";

/**
 * Two `sds-kit simulate --store postgres://…` processes on one real PostgreSQL behave as one
 * sandbox, over HTTP: what one replica did, the other sees; what they do at once, neither loses;
 * restarts lose nothing; and a database that goes away is a 503 until it is back.
 */
let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
}, 120_000);
afterAll(() => postgres?.remove());

const replicas: Replica[] = [];
/** No request logs, and no blob endpoint: a sync follows its scenario (the display name's token), not files. */
const quiet = ["--log", "off", "--uploads", "off"];
/** Two replicas on one fresh database (a test's own), with `args` for both. */
async function sandbox(args: readonly string[] = quiet): Promise<{ database: string; a: Replica; b: Replica }> {
  const database = await postgres.createDatabase();
  // Started together: both migrate the fresh database at once, and both must come up.
  const [a, b] = await Promise.all([startReplica(database, args), startReplica(database, args)]);
  replicas.push(a, b);
  return { database, a, b };
}

afterAll(async () => {
  for (const replica of replicas) await replica.stop("SIGKILL");
});

const profiles = "/beta/education/synchronizationProfiles";
const createRequest = () => documentedRequest() as components["schemas"]["EducationSynchronizationProfileCreate"];
const call = (replica: Replica, method: string, path: string, body?: unknown) =>
  fetch(`${replica.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${sandboxToken}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Polls until `read` gives what `done` accepts, for at most `timeoutMs`: the sandbox's steps are timed, not instant. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await delay(50);
  }
}

describe("two replicas on one PostgreSQL", () => {
  test("a profile created on one is read, provisioned, updated and deleted through the other", async () => {
    const { a, b } = await sandbox();
    const { profile } = await a.client.createSynchronizationProfile(createRequest());
    expect((await b.client.getSynchronizationProfile(profile.id)).state).toBe("provisioning");
    expect((await b.client.waitForProvisioning(profile.id, { intervalMs: 100, timeoutMs: 15_000 })).state).toBe(
      "provisioned",
    );
    await b.client.updateSynchronizationProfile(profile.id, { displayName: "Renamed on b" });
    expect((await a.client.getSynchronizationProfile(profile.id)).displayName).toBe("Renamed on b");
    await a.client.deleteSynchronizationProfile(profile.id);
    const gone = await eventually(
      () => call(b, "GET", `${profiles}/${profile.id}`).then((r) => r.status),
      (status) => status === 404,
    );
    expect(gone).toBe(404);
  }, 60_000);

  test("40 creates at once, across both, are 40 distinct profiles that both list", async () => {
    const { a, b } = await sandbox();
    const created = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).client.createSynchronizationProfile(createRequest())),
    );
    const ids = created.map(({ profile }) => profile.id);
    expect(new Set(ids).size).toBe(40);
    for (const replica of [a, b]) {
      const listed: string[] = [];
      for await (const profile of replica.client.listAllSynchronizationProfiles()) listed.push(profile.id);
      expect(listed.sort()).toEqual([...ids].sort());
    }
  }, 60_000);

  test("a tenant's quota holds across replicas creating at once", async () => {
    const { a, b } = await sandbox([...quiet, "--max-profiles", "5"]);
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(i % 2 === 0 ? a : b, "POST", profiles, documentedRequest()).then(async (r) => [
          r.status,
          ((await r.json()) as { error?: { code: string } }).error?.code,
        ]),
      ),
    );
    expect(statuses.filter(([status]) => status === 202)).toHaveLength(5);
    expect(statuses.filter(([status]) => status !== 202)).toEqual(Array(7).fill([403, "quotaLimitReached"]));
  }, 60_000);

  test("a timed step read by both at once is applied once: every read sees the same sync errors", async () => {
    const { a, b } = await sandbox();
    const { profile } = await a.client.createSynchronizationProfile({
      ...csvProfileRequest,
      displayName: "Fails its sync [sds:sync-error:3]",
    });
    await a.client.waitForProvisioning(profile.id, { intervalMs: 100, timeoutMs: 15_000 });
    await b.client.startAndVerify(profile.id);
    // Both replicas read the errors in bursts while the sync's last step comes due: whoever reads
    // first applies it, and each error is made once, with one id, whichever replica is asked.
    const reads: string[] = [];
    const deadline = Date.now() + 15_000;
    while (!reads.some((ids) => ids !== "") || reads.length < 200) {
      if (Date.now() > deadline) break;
      const burst = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const page = await (i % 2 === 0 ? a : b).client.listSynchronizationErrors(profile.id);
          return page.value.map((error) => error.id).join(",");
        }),
      );
      reads.push(...burst);
    }
    const settled = reads.filter((ids) => ids !== "");
    expect(settled.length).toBeGreaterThan(0);
    expect(new Set(settled).size).toBe(1);
    expect(settled[0]?.split(",")).toHaveLength(3);
    expect((await a.client.getSynchronizationProfileStatus(profile.id)).status).toBe("error");
  }, 60_000);

  test("the whole sandbox restarted keeps every profile, its errors and its scheduled step", async () => {
    const { database, a, b } = await sandbox([...quiet, "--provisioning-ms", "4000"]);
    const failed = (
      await a.client.createSynchronizationProfile({ ...csvProfileRequest, displayName: "Fails [sds:sync-error:2]" })
    ).profile.id;
    await a.client.waitForProvisioning(failed, { intervalMs: 200, timeoutMs: 20_000 });
    await a.client.startAndVerify(failed);
    await a.client.waitForSync(failed, { intervalMs: 100, timeoutMs: 15_000 });
    const errorsBefore = (await a.client.listSynchronizationErrors(failed)).value;
    // Created last: its provisioning is still to come when both replicas stop.
    const pending = (await b.client.createSynchronizationProfile(createRequest())).profile.id;
    expect(await Promise.all([a.stop(), b.stop()])).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);

    const [c, d] = await Promise.all([startReplica(database, quiet), startReplica(database, quiet)]);
    replicas.push(c, d);
    expect((await c.client.listSynchronizationErrors(failed)).value).toEqual(errorsBefore);
    expect((await d.client.getSynchronizationProfileStatus(failed)).status).toBe("error");
    expect((await d.client.getSynchronizationProfile(pending)).state).toBe("provisioning");
    // The step scheduled before the restart still comes, when it was due.
    expect((await c.client.waitForProvisioning(pending, { intervalMs: 200, timeoutMs: 20_000 })).state).toBe(
      "provisioned",
    );
  }, 90_000);

  test("a replica killed with SIGKILL and started again loses nothing", async () => {
    const { database, a, b } = await sandbox();
    const ids = await Promise.all(
      [a, a, b].map(async (replica) => (await replica.client.createSynchronizationProfile(createRequest())).profile.id),
    );
    await a.client.waitForProvisioning(ids[0] as string, { intervalMs: 100, timeoutMs: 15_000 });
    await a.client.updateSynchronizationProfile(ids[0] as string, { displayName: "Before the kill" });
    expect(await a.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
    // The other replica answers meanwhile, with everything the killed one wrote.
    expect((await b.client.getSynchronizationProfile(ids[0] as string)).displayName).toBe("Before the kill");
    const again = await startReplica(database, quiet);
    replicas.push(again);
    const listed: string[] = [];
    for await (const profile of again.client.listAllSynchronizationProfiles()) listed.push(profile.id);
    expect(listed.sort()).toEqual([...ids].sort());
    expect((await again.client.getSynchronizationProfile(ids[0] as string)).displayName).toBe("Before the kill");
  }, 60_000);
});

describe("a database that goes away under load", () => {
  test("is Graph's 503 with Retry-After while it is down, and the sandbox recovers when it is back", async () => {
    const { a, b } = await sandbox();
    const seeded = (await a.client.createSynchronizationProfile(createRequest())).profile.id;
    const seen = new Map<string, number>();
    const unexpected: string[] = [];
    let load = true;
    // Clients keep reading and creating on both replicas throughout.
    const clients = Array.from({ length: 6 }, async (_, i) => {
      const replica = i % 2 === 0 ? a : b;
      while (load) {
        const response =
          i % 3 === 0
            ? await call(replica, "POST", profiles, documentedRequest())
            : await call(replica, "GET", `${profiles}/${seeded}`);
        const body = (await response.json()) as { error?: { code: string; message: string } };
        const key = `${response.status} ${body.error?.code ?? ""}`.trim();
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if (response.status === 503 && response.headers.get("retry-after") !== "1")
          unexpected.push("503 without Retry-After: 1");
        if (![200, 202, 503].includes(response.status)) unexpected.push(`${key}: ${body.error?.message}`);
      }
    });
    const count = (key: string) => seen.get(key) ?? 0;
    await eventually(
      async () => count("200") + count("202"),
      (n) => n >= 20,
    );
    await postgres.stop();
    try {
      const down = await eventually(
        async () => count("503 serviceNotAvailable"),
        (n) => n >= 10,
      );
      expect(down).toBeGreaterThanOrEqual(10);
      const ready = await fetch(`${b.url}/_sds/ready`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { status: string }).status).toBe("unavailable");
    } finally {
      await postgres.start();
    }
    const okBefore = count("200") + count("202");
    const recovered = await eventually(
      async () => count("200") + count("202") - okBefore,
      (n) => n >= 20,
      30_000,
    );
    load = false;
    await Promise.all(clients);
    expect(recovered).toBeGreaterThanOrEqual(20);
    expect(unexpected).toEqual([]);
    for (const replica of [a, b]) expect((await fetch(`${replica.url}/_sds/ready`)).status).toBe(200);
    expect((await b.client.getSynchronizationProfile(seeded)).id).toBe(seeded);
  }, 90_000);
});

describe("a sandbox's own endpoints and settings", () => {
  test("logs one JSON line per request with the request id the client got; metrics agree across replicas", async () => {
    const { a, b } = await sandbox(["--uploads", "off"]);
    const created = await call(a, "POST", profiles, documentedRequest());
    const requestId = created.headers.get("request-id");
    const line = await eventually(
      async () => a.stdout.find((l) => l.startsWith("{") && l.includes(String(requestId))),
      (found) => found !== undefined,
    );
    expect(JSON.parse(line ?? "{}")).toMatchObject({
      msg: "request",
      requestId,
      operation: "createSynchronizationProfile",
      status: 202,
      method: "POST",
    });
    const provisioning = async (replica: Replica) => {
      const text = await (await fetch(`${replica.url}/_sds/metrics`)).text();
      return /^sds_profiles\{state="provisioning"\} (\d+)$/m.exec(text)?.[1];
    };
    expect([await provisioning(a), await provisioning(b)]).toEqual(["1", "1"]);
  }, 60_000);

  test("the admin API is off without a token; with one, it acts on the shared store", async () => {
    const { a } = await sandbox();
    expect((await fetch(`${a.url}/_sds/reset`, { method: "POST" })).status).toBe(400);
    expect(a.stderr()).toMatch(/the admin API is off in a sandbox; give --admin-token/);
    const adminToken = "shared-sandbox-admin-token";
    const { a: c, b: d } = await sandbox([...quiet, "--admin-token", adminToken]);
    await c.client.createSynchronizationProfile(createRequest());
    const refused = await fetch(`${d.url}/_sds/reset`, { method: "POST" });
    expect(refused.status).toBe(401);
    const reset = await fetch(`${d.url}/_sds/reset`, { method: "POST", headers: { "x-sds-admin-token": adminToken } });
    expect(reset.status).toBe(200);
    expect((await c.client.listSynchronizationProfiles()).value).toEqual([]);
  }, 60_000);
});

/** docs/sandbox.md's replica command, as written there: the test runs it on its own database and a free port. */
const documentedReplica =
  "SDS_STORE_URL=postgres://sds:secret@127.0.0.1:5432/sds SDS_ADMIN_TOKEN=a-long-shared-admin-secret sds-kit simulate --port 4011";

describe("docs/sandbox.md's replica command", () => {
  test("serves from the variables alone: the shared store, the admin token, readiness", async () => {
    expect(readFileSync(join(packageRoot, "docs", "sandbox.md"), "utf8")).toContain(documentedReplica);
    const database = await postgres.createDatabase();
    // The binary first (the test database's password has "sds-kit" in it), exec'd after the
    // variables, so that the signal reaches the replica itself.
    const command = documentedReplica
      .replace(" sds-kit simulate", ` exec "${process.execPath}" "${sdsKit}" simulate`)
      .replace("postgres://sds:secret@127.0.0.1:5432/sds", database)
      .replace("--port 4011", "--port 0");
    const child = spawnTracked("bash", ["-c", command], true);
    const { match, lines } = await linesUntil(child, /listening on (http:\/\/\S+)/);
    expect(lines.at(-1)).toMatch(/postgres store/);
    const url = match[1] ?? "";
    const ready = await fetch(`${url}/_sds/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: "ready", store: "postgres" }]);
    expect((await fetch(`${url}/_sds/reset`, { method: "POST" })).status).toBe(401);
    const reset = await fetch(`${url}/_sds/reset`, {
      method: "POST",
      headers: { "x-sds-admin-token": "a-long-shared-admin-secret" },
    });
    expect(reset.status).toBe(200);
    const exited = exitOf(child);
    process.kill(-(child.pid ?? 0), "SIGTERM");
    expect((await exited).code).toBe(0);
  }, 60_000);
});

describe("uploads every replica can read", () => {
  test("files uploaded through one replica's upload URL are verified and synced by the other", async () => {
    const azurite = await startAzuriteBlob();
    try {
      const shared = ["--log", "off", "--uploads-url", azurite.blobEndpoint];
      const { a, b } = await sandbox(shared);
      const { profile } = await a.client.createSynchronizationProfile(csvProfileRequest);
      await b.client.waitForProvisioning(profile.id, { intervalMs: 100, timeoutMs: 15_000 });
      const files = generateRoster({ seed: 3 });
      await a.client.uploadCsvFiles(profile.id, files);
      expect(await b.client.startAndVerify(profile.id)).toMatchObject({ started: true });
      const status = await a.client.waitForSync(profile.id, { intervalMs: 100, timeoutMs: 15_000 });
      expect([status.status, status.errorCount]).toEqual(["success", 0]);
    } finally {
      await azurite.stop();
    }
  }, 60_000);

  test("a blob endpoint that does not answer at start: one line, and no replica", async () => {
    const database = await postgres.createDatabase();
    await expect(startReplica(database, ["--uploads-url", "http://127.0.0.1:1/devstoreaccount1"])).rejects.toThrow(
      /exited 1 before it listened: sds-kit simulate: The blob endpoint \(http:\/\/127\.0\.0\.1:1\/devstoreaccount1\) did not answer/,
    );
    await expect(startReplica(database, ["--uploads-url", "https://contoso.blob.core.windows.net"])).rejects.toThrow(
      /exited 2 before it listened: sds-kit simulate: the kit signs upload URLs with the account's key/,
    );
  }, 60_000);
});

describe("sds-kit simulate with a store it cannot use", () => {
  test("a database that does not answer: one line, exit 1; a virtual clock: one line, exit 2", async () => {
    const closed = await postgres.createDatabase();
    const unreachable = closed.replace(/:(\d+)\//, ":1/");
    const refused = startReplica(unreachable);
    await expect(refused).rejects.toThrow(
      /exited 1 before it listened: sds-kit simulate: the simulator's store \(postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/\w+\) does not answer/,
    );
    await expect(startReplica(closed, ["--clock", "virtual"])).rejects.toThrow(
      /exited 2 before it listened: sds-kit simulate: the virtual clock is one process's own/,
    );
    await expect(startReplica("mysql://x@y/z")).rejects.toThrow(
      /exited 2 before it listened: sds-kit simulate: the store must be memory/,
    );
  }, 60_000);
});

describe("one instance on SQLite", () => {
  test("keeps its profiles and their errors across a restart, with nothing installed", async () => {
    const folder = mkdtempSync(join(tmpdir(), "sds-sandbox-"));
    try {
      const store = `sqlite:${join(folder, "sandbox.db")}`;
      const first = await startReplica(store, quiet);
      replicas.push(first);
      const { profile } = await first.client.createSynchronizationProfile({
        ...csvProfileRequest,
        displayName: "Fails [sds:sync-error:2]",
      });
      await first.client.waitForProvisioning(profile.id, { intervalMs: 100, timeoutMs: 15_000 });
      await first.client.startAndVerify(profile.id);
      await first.client.waitForSync(profile.id, { intervalMs: 100, timeoutMs: 15_000 });
      const errors = (await first.client.listSynchronizationErrors(profile.id)).value;
      expect(errors).toHaveLength(2);
      expect(await first.stop()).toEqual({ code: 0, signal: null });
      const second = await startReplica(store, quiet);
      replicas.push(second);
      expect((await second.client.listSynchronizationErrors(profile.id)).value).toEqual(errors);
      expect(second.stderr()).not.toMatch(/ExperimentalWarning/);
      await second.stop();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
