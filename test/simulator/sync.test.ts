import { describe, expect, test } from "vitest";
import { expectGraphError } from "../support/graph-error.js";
import {
  answer,
  createProvisioned,
  documentedRequest,
  inProcessSimulator,
  profiles,
  timing,
} from "../support/simulator-harness.js";
import { readExample } from "../support/spec-source.js";

const withEvolvable = { prefer: "include-unknown-enum-members" };

describe("simulator: the sync of a CSV profile", () => {
  const syncCases: [string, { scenario: string; final: string; errors: number }][] = [
    ["clean start, sync succeeds", { scenario: "", final: "success", errors: 0 }],
    ["warnings, sync succeeds", { scenario: "verification-warnings", final: "success", errors: 0 }],
    ["sync ends in error", { scenario: "sync-error:7", final: "error", errors: 7 }],
    [
      "sync pauses itself in validationError",
      { scenario: "sync-validation-error:5", final: "validationError", errors: 5 },
    ],
    ["sync is quarantined", { scenario: "sync-quarantined", final: "quarantined", errors: 35 }],
  ];
  test.each(syncCases)("start: %s", async (_name, { scenario, final, errors }) => {
    const { sim, call } = inProcessSimulator();
    const id = await createProvisioned(call, sim, documentedRequest(), scenario ? { "x-sds-scenario": scenario } : {});
    const before = await call("GET", `${profiles}/${id}/profileStatus`);
    expect(before.body).toMatchObject({ status: "paused", lastSynchronizationDateTime: null, errorCount: 0 });

    const started = await call("POST", `${profiles}/${id}/start`);
    expect(started.status).toBe(200);
    // The warnings are the documentation's own, from its example of a start with findings.
    const documented = (
      readExample("startSynchronizationProfile.400.verification-errors").value as { value: { type: string }[] }
    ).value.filter((m) => m.type === "Warning");
    expect(started.body.value).toEqual(scenario === "verification-warnings" ? documented : []);

    const phases = [];
    for (let i = 0; i < 3; i += 1) {
      phases.push((await call("GET", `${profiles}/${id}/profileStatus`, { headers: withEvolvable })).body.status);
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
    const { sim, call } = inProcessSimulator();
    const id = await createProvisioned(call, sim, documentedRequest(), { "x-sds-scenario": "verification-errors" });
    const started = await call("POST", `${profiles}/${id}/start`);
    expect(started.status).toBe(400);
    expect(started.body.value).toEqual(
      (readExample("startSynchronizationProfile.400.verification-errors").value as { value: unknown }).value,
    );
    expect((await call("GET", `${profiles}/${id}/profileStatus`)).body.status).toBe("paused");
  });

  test("start is for CSV profiles only; API providers sync by themselves", async () => {
    const { sim, call } = inProcessSimulator();
    const oneRoster = readExample("createSynchronizationProfile.request.one-roster").value as Record<string, unknown>;
    const id = await createProvisioned(call, sim, oneRoster);
    const status = await call("GET", `${profiles}/${id}/profileStatus`);
    expect(status.body.status).toBe("unknownFutureValue"); // extracting, hidden without the Prefer opt-in
    for (const [method, path] of [
      ["POST", "start"],
      ["GET", "uploadUrl"],
    ] as const) {
      expectGraphError(...(await answer(call(method, `${profiles}/${id}/${path}`))), {
        status: 400,
        code: "BadRequest",
        message: /CSV/,
      });
    }
  });

  test("pause, resume and reset", async () => {
    const { sim, call } = inProcessSimulator();
    const id = await createProvisioned(call, sim, documentedRequest(), { "x-sds-scenario": "sync-error:4" });
    const status = async () => (await call("GET", `${profiles}/${id}/profileStatus`, { headers: withEvolvable })).body;
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

  test("resume overrides a validationError and lets this run finish; the next run meets the scenario again", async () => {
    const { sim, call } = inProcessSimulator();
    const id = await createProvisioned(call, sim, documentedRequest(), { "x-sds-scenario": "sync-validation-error:2" });
    const status = async () => (await call("GET", `${profiles}/${id}/profileStatus`)).body.status;
    await call("POST", `${profiles}/${id}/start`);
    sim.clock.advance(3 * timing.syncPhaseMs);
    expect(await status()).toBe("validationError");
    expect((await call("POST", `${profiles}/${id}/resume`)).status).toBe(200);
    sim.clock.advance(timing.syncPhaseMs);
    expect(await status()).toBe("success");
    expect((await call("POST", `${profiles}/${id}/start`)).status).toBe(200);
    sim.clock.advance(3 * timing.syncPhaseMs);
    expect(await status()).toBe("validationError");
  });
});
