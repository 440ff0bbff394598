import { describe, expect, test } from "vitest";
import { expectGraphError } from "../support/graph-error.js";
import { documentedRequest, inProcessSimulator, profiles, timing } from "../support/simulator-harness.js";

type Sim = ReturnType<typeof inProcessSimulator>["sim"];

const admin = (sim: Sim, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  sim.fetch(`http://simulator.test/_sds${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
const id = "0b4f6a5e-3c1d-4e2f-9a8b-7c6d5e4f3a2b";

describe("simulator: the admin router", () => {
  test("health and the clock", async () => {
    const { sim } = inProcessSimulator();
    expect(await (await admin(sim, "/health")).json()).toEqual({ status: "ok" });
    const before = ((await (await admin(sim, "/clock")).json()) as { now: number; mode: string }).now;
    const advanced = (await (await admin(sim, "/clock/advance", { ms: 5000 })).json()) as { now: number };
    expect(advanced.now).toBe(before + 5000);
    expect(sim.clock.now()).toBe(before + 5000);
    expect((await admin(sim, "/clock/advance", { ms: -1 })).status).toBe(400);
  });

  const seeds: [string, Record<string, unknown>, { state: string; status: string; lifecycle: string[] }][] = [
    ["provisioning", { state: "provisioning" }, { state: "provisioning", status: "paused", lifecycle: ["create"] }],
    [
      "provisioned, never started",
      {},
      { state: "provisioned", status: "paused", lifecycle: ["create", "finishProvisioning"] },
    ],
    [
      "a sync that ran and was paused",
      { status: "paused" },
      { state: "provisioned", status: "paused", lifecycle: ["create", "finishProvisioning", "start", "pause"] },
    ],
    [
      "a failed sync",
      { status: "error", errors: 3 },
      {
        state: "provisioned",
        status: "error",
        lifecycle: ["create", "finishProvisioning", "start", "advancePhase", "advancePhase", "fail"],
      },
    ],
    [
      "deletionFailed",
      { state: "deletionFailed" },
      { state: "deletionFailed", status: "paused", lifecycle: ["create", "delete", "failDeletion"] },
    ],
  ];
  test.each(seeds)("seeds a profile %s through the lifecycle table's own events", async (_name, fields, want) => {
    const { sim } = inProcessSimulator();
    const seeded = await admin(sim, "/profiles", { tenant: "tenant-a", id, profile: documentedRequest(), ...fields });
    expect(seeded.status).toBe(201);
    expect(await seeded.json()).toMatchObject(want);
  });

  test("a seeded profile is served and lives on like any other", async () => {
    const { sim, call } = inProcessSimulator();
    await admin(sim, "/profiles", { tenant: "tenant-a", id, profile: documentedRequest(), status: "error", errors: 3 });
    expect((await call("GET", `${profiles}/${id}/profileStatus`)).body).toMatchObject({
      status: "error",
      errorCount: 3,
    });
    expect((await call("GET", `${profiles}/${id}/errors`)).body.value).toHaveLength(3);
    expect((await call("POST", `${profiles}/${id}/reset`)).status).toBe(200);
    sim.clock.advance(3 * timing.syncPhaseMs);
    expect((await call("GET", `${profiles}/${id}/profileStatus`)).body).toMatchObject({
      status: "success",
      errorCount: 0,
    });
  });

  const refused: [string, unknown, RegExp][] = [
    ["a profile that breaks the create schema", { profile: { displayName: "x" } }, /profile: /],
    ["an id that is not a GUID", { id: "profile-1", profile: documentedRequest() }, /GUID/],
    [
      "an unknown state",
      { state: "asleep", profile: documentedRequest() },
      /state must be one of deleting, deletionFailed, provisioningFailed, provisioned, provisioning$/,
    ],
    ["an unknown status", { status: "asleep", profile: documentedRequest() }, /status must be one of paused/],
    [
      "a status on a profile not provisioned",
      { state: "deleting", status: "success", profile: documentedRequest() },
      /needs state provisioned/,
    ],
    [
      "errors on a sync that did not fail",
      { status: "success", errors: 2, profile: documentedRequest() },
      /failed sync/,
    ],
    ["an unknown scenario", { scenario: "explode", profile: documentedRequest() }, /unknown scenario/],
    ["a body that is not an object", "[1, 2]", /JSON object/],
    ["malformed JSON", "{", /not valid JSON/],
  ];
  test.each(refused)("refuses %s with a 400 saying why", async (_name, body, message) => {
    const { sim } = inProcessSimulator();
    const response = await admin(sim, "/profiles", body);
    expectGraphError(response, await response.json(), { status: 400, code: "BadRequest", message });
  });

  test("an id a tenant already has is a 409; reset forgets that tenant only", async () => {
    const { sim, call } = inProcessSimulator();
    await admin(sim, "/profiles", { tenant: "tenant-a", id, profile: documentedRequest() });
    await admin(sim, "/profiles", { tenant: "tenant-b", id, profile: documentedRequest() });
    expect((await admin(sim, "/profiles", { tenant: "tenant-a", id, profile: documentedRequest() })).status).toBe(409);
    expect((await admin(sim, "/reset", {}, { "x-sds-tenant": "tenant-a" })).status).toBe(200);
    expect((await call("GET", `${profiles}/${id}`)).status).toBe(404);
    expect((await sim.store.session((s) => s.get("tenant-b", id)))?.id).toBe(id);
  });

  test("queues faults for the next requests (for provider states)", async () => {
    const { sim, call } = inProcessSimulator();
    expect(await (await admin(sim, "/faults", { throttle: 2, count: 2 })).json()).toEqual({ queued: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call("GET", profiles)).status);
    expect(statuses).toEqual([429, 429, 200]);
    expect((await admin(sim, "/faults", { explode: true })).status).toBe(400);
    expect((await admin(sim, "/faults", { status: 503, count: 0 })).status).toBe(400);
  });

  test("an unknown admin route is a 404 listing the routes", async () => {
    const { sim } = inProcessSimulator();
    const response = await admin(sim, "/explode");
    expectGraphError(response, await response.json(), { status: 404, code: "itemNotFound", message: /health, clock/ });
  });

  test("can be turned off, or moved", async () => {
    const off = inProcessSimulator({ admin: false }).sim;
    const response = await admin(off, "/health");
    // Off, the path is one Graph does not have (decisions.md#unknown-segment).
    expectGraphError(response, await response.json(), { status: 400, code: "BadRequest", message: /segment '_sds'/ });
    const moved = inProcessSimulator({ admin: "/_admin" }).sim;
    expect((await moved.fetch("http://simulator.test/_admin/health")).status).toBe(200);
  });
});
