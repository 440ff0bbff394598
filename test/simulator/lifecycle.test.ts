import { describe, expect, test } from "vitest";
import {
  absentRecord,
  countRead,
  fire,
  type LifecycleContext,
  type LifecycleEvent,
  type LifecycleRecord,
  type ProfileMachineState,
  type ProfileState,
  pathTo,
  profileMachine,
  type SyncStatus,
  settle,
  syncMachine,
} from "../../mocks/simulator/lifecycle.js";
import { defaultScenario, parseScenario } from "../../mocks/simulator/scenarios.js";

const timing = { provisioningMs: 100, syncPhaseMs: 10, deletionMs: 50 };
const ctx = (at = 0): LifecycleContext => ({
  at,
  timing,
  recordErrors: (count) => count,
  clearErrors: () => undefined,
});
const record = (overrides: Partial<LifecycleRecord> = {}): LifecycleRecord => ({
  ...absentRecord(defaultScenario, false, undefined),
  ...overrides,
});
const provisioned = (status: SyncStatus = "paused", started = status !== "paused") => {
  const r = record({ state: "provisioned" });
  r.sync.status = status;
  r.sync.started = started;
  return r;
};

describe("lifecycle: the profile machine", () => {
  const cases: [ProfileMachineState, LifecycleEvent, ProfileMachineState | "conflict"][] = [
    ["absent", "create", "provisioning"],
    ["absent", "delete", "conflict"],
    ["provisioning", "finishProvisioning", "provisioned"],
    ["provisioning", "failProvisioning", "provisioningFailed"],
    ["provisioning", "create", "conflict"],
    ["provisioning", "delete", "deleting"],
    ["provisioned", "update", "provisioning"],
    ["provisioned", "delete", "deleting"],
    ["provisioningFailed", "update", "provisioning"],
    ["deleting", "finishDeletion", "absent"],
    ["deleting", "failDeletion", "deletionFailed"],
    ["deleting", "delete", "conflict"],
    ["deleting", "update", "conflict"],
    ["deletionFailed", "delete", "deleting"],
    ["deletionFailed", "update", "conflict"],
  ];
  test.each(cases)("%s --%s--> %s", (from, event, to) => {
    const r = record({ state: from });
    const result = fire(r, event, ctx());
    if (to === "conflict") {
      expect(result).toEqual({ ok: false, conflict: expect.stringContaining(`the profile is ${from}`) });
      expect(r.state).toBe(from);
    } else {
      expect([result.ok, r.state]).toEqual([true, to]);
    }
  });

  test("every state of the machine is a documented profile state, or absent", () => {
    expect(Object.keys(profileMachine).sort()).toEqual([
      "absent",
      "deleting",
      "deletionFailed",
      "provisioned",
      "provisioning",
      "provisioningFailed",
    ]);
  });

  test("create schedules the end of provisioning the scenario picks", () => {
    const happy = record();
    fire(happy, "create", ctx(5));
    expect(happy.due).toEqual({ event: "finishProvisioning", at: 105 });
    const failing = record({ scenario: parseScenario("provisioning-failed, deletion-failed") });
    fire(failing, "create", ctx());
    expect(failing.due?.event).toBe("failProvisioning");
    settle(failing, 100, ctx);
    expect(failing.state).toBe("provisioningFailed");
    fire(failing, "delete", ctx(100));
    expect(failing.due).toEqual({ event: "failDeletion", at: 150 });
    settle(failing, 150, ctx);
    expect(failing.state).toBe("deletionFailed");
  });
});

describe("lifecycle: the sync machine", () => {
  const cases: [SyncStatus, LifecycleEvent, SyncStatus | "conflict"][] = [
    ["paused", "start", "extracting"],
    ["extracting", "advancePhase", "validating"],
    ["validating", "advancePhase", "inProgress"],
    ["inProgress", "succeed", "success"],
    ["inProgress", "fail", "error"],
    ["inProgress", "failValidation", "validationError"],
    ["inProgress", "quarantine", "quarantined"],
    ["inProgress", "advancePhase", "conflict"],
    ["inProgress", "start", "conflict"],
    ["extracting", "succeed", "conflict"],
    ["extracting", "pause", "paused"],
    ["success", "start", "extracting"],
    ["success", "reset", "extracting"],
    ["error", "pause", "paused"],
    ["validationError", "resume", "inProgress"],
    ["quarantined", "resume", "quarantined"],
  ];
  test.each(cases)("%s --%s--> %s", (from, event, to) => {
    const r = provisioned(from);
    const result = fire(r, event, ctx());
    if (to === "conflict") expect(result.ok).toBe(false);
    else expect([result.ok, r.sync.status]).toEqual([true, to]);
  });

  test("entering inProgress schedules the scenario's outcome; resume after validationError schedules success", () => {
    const r = record({ state: "provisioned", scenario: parseScenario("sync-validation-error:3") });
    fire(r, "start", ctx());
    fire(r, "advancePhase", ctx());
    fire(r, "advancePhase", ctx());
    expect(r.due?.event).toBe("failValidation");
    settle(r, 10, ctx);
    expect(r.sync.status).toBe("validationError");
    fire(r, "resume", ctx(20));
    expect(r.due).toEqual({ event: "succeed", at: 30 });
    expect(r.scenario.outcome).toBe("validationError");
  });

  test("resume returns to the phase that was paused", () => {
    const r = provisioned("validating");
    fire(r, "pause", ctx());
    fire(r, "resume", ctx(5));
    expect(r.sync.status).toBe("validating");
    expect(r.due).toEqual({ event: "advancePhase", at: 5 + timing.syncPhaseMs });
  });

  test("a sync needs a provisioned profile, and resume and reset need a sync that ran", () => {
    expect(fire(record({ state: "provisioning" }), "start", ctx())).toEqual({
      ok: false,
      conflict: expect.stringContaining("needs it provisioned"),
    });
    for (const event of ["resume", "reset"] as const) {
      expect(fire(provisioned("paused", false), event, ctx()), event).toEqual({
        ok: false,
        conflict: expect.stringContaining("call start"),
      });
    }
  });

  test("provisioned again after an update, a sync that ran is left as it was; a running phase runs on", () => {
    for (const status of ["paused", "success", "error", "validating"] as const) {
      const r = provisioned(status, true);
      fire(r, "update", ctx(0));
      settle(r, timing.provisioningMs, ctx);
      expect([r.state, r.sync.status, r.sync.started], status).toEqual(["provisioned", status, true]);
    }
    const running = provisioned("validating", true);
    fire(running, "update", ctx(0));
    settle(running, timing.provisioningMs, ctx);
    expect(running.due).toEqual({ event: "advancePhase", at: timing.provisioningMs + timing.syncPhaseMs });
  });

  test("every status lists what it accepts", () => {
    for (const [status, events] of Object.entries(syncMachine))
      expect(Object.keys(events).length, status).toBeGreaterThan(0);
  });
});

describe("lifecycle: time and reads", () => {
  test("settle applies every due transition, each at the instant it was due", () => {
    const r = record({ selfStarting: true });
    fire(r, "create", ctx());
    const seen: number[] = [];
    settle(r, 125, (at) => {
      seen.push(at);
      return ctx(at);
    });
    expect(seen).toEqual([100, 110, 120]);
    expect([r.state, r.sync.status]).toEqual(["provisioned", "inProgress"]);
  });

  test("reads count down to provisioned", () => {
    const r = record({ readsLeft: 2 });
    fire(r, "create", ctx());
    countRead(r, ctx());
    expect(r.state).toBe("provisioning");
    countRead(r, ctx());
    expect(r.state).toBe("provisioned");
  });
});

describe("lifecycle: seeding follows the table", () => {
  const targets: [ProfileState, SyncStatus | undefined, LifecycleEvent[]][] = [
    ["provisioning", undefined, ["create"]],
    ["provisioned", undefined, ["create", "finishProvisioning"]],
    ["provisioningFailed", undefined, ["create", "failProvisioning"]],
    ["deleting", undefined, ["create", "delete"]],
    ["deletionFailed", undefined, ["create", "delete", "failDeletion"]],
    ["provisioned", "extracting", ["create", "finishProvisioning", "start"]],
    ["provisioned", "paused", ["create", "finishProvisioning", "start", "pause"]],
    ["provisioned", "error", ["create", "finishProvisioning", "start", "advancePhase", "advancePhase", "fail"]],
    ["provisioned", "success", ["create", "finishProvisioning", "start", "advancePhase", "advancePhase", "succeed"]],
  ];
  test.each(targets)("a CSV profile %s (sync %s) is reached by %j", (state, status, want) => {
    const template = record();
    expect(pathTo(template, { state, ...(status ? { status } : {}) })).toEqual(want);
    expect(template.state).toBe("absent");
  });

  test("every state and every sync status of the tables can be seeded", () => {
    for (const state of Object.keys(profileMachine).filter((s) => s !== "absent") as ProfileState[]) {
      const path = pathTo(record(), { state });
      expect(path, state).toBeDefined();
      const r = record();
      for (const event of path ?? []) expect(fire(r, event, ctx()).ok).toBe(true);
      expect(r.state).toBe(state);
    }
    for (const status of Object.keys(syncMachine) as SyncStatus[]) {
      const r = record();
      for (const event of pathTo(r, { state: "provisioned", status }) ?? []) fire(r, event, ctx());
      expect(r.sync.status, status).toBe(status);
    }
  });
});
