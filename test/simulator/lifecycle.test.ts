import { describe, expect, test } from "vitest";
import {
  countRead,
  fireProfileEvent,
  fireSyncEvent,
  type LifecycleContext,
  type LifecycleRecord,
  type ProfileState,
  profileMachine,
  type SyncStatus,
  settle,
  syncMachine,
} from "../../mocks/simulator/lifecycle.js";
import { newLifecycle } from "../../mocks/simulator/operation-handlers.js";
import { defaultScenario, parseScenario } from "../../mocks/simulator/scenarios.js";

const timing = { provisioningMs: 100, syncPhaseMs: 10, deletionMs: 50 };
const ctx = (at = 0): LifecycleContext => ({
  at,
  timing,
  recordErrors: (count) => count,
  clearErrors: () => undefined,
});
const record = (overrides: Partial<LifecycleRecord> = {}): LifecycleRecord => ({
  ...newLifecycle(defaultScenario, false, undefined),
  ...overrides,
});
const provisioned = (status: SyncStatus = "paused", started = status !== "paused") => {
  const r = record({ state: "provisioned" });
  r.sync.status = status;
  r.sync.started = started;
  return r;
};

describe("lifecycle: the profile machine", () => {
  const cases: [ProfileState, string, ProfileState | "removed" | "conflict"][] = [
    ["provisioning", "provisioningElapsed", "provisioned"],
    ["provisioning", "delete", "deleting"],
    ["provisioned", "update", "provisioning"],
    ["provisioned", "delete", "deleting"],
    ["provisioningFailed", "update", "provisioning"],
    ["deleting", "deletionElapsed", "removed"],
    ["deleting", "delete", "conflict"],
    ["deleting", "update", "conflict"],
    ["deletionFailed", "delete", "deleting"],
    ["deletionFailed", "update", "conflict"],
  ];
  test.each(cases)("%s --%s--> %s", (from, event, to) => {
    const r = record({ state: from });
    const result = fireProfileEvent(r, event as "update", ctx());
    if (to === "conflict") {
      expect(result).toEqual({ ok: false, conflict: expect.stringContaining(`the profile is ${from}`) });
      expect(r.state).toBe(from);
    } else if (to === "removed") {
      expect(r.removed).toBe(true);
    } else {
      expect([result.ok, r.state]).toEqual([true, to]);
    }
  });

  test("every state of the machine is a documented profile state", () => {
    expect(Object.keys(profileMachine).sort()).toEqual([
      "deleting",
      "deletionFailed",
      "provisioned",
      "provisioning",
      "provisioningFailed",
    ]);
  });

  test("scenarios pick where timed events lead", () => {
    const failing = record({ scenario: parseScenario("provisioning-failed, deletion-failed") });
    fireProfileEvent(failing, "provisioningElapsed", ctx());
    expect(failing.state).toBe("provisioningFailed");
    fireProfileEvent(failing, "delete", ctx());
    fireProfileEvent(failing, "deletionElapsed", ctx());
    expect([failing.state, failing.removed]).toEqual(["deletionFailed", false]);
  });
});

describe("lifecycle: the sync machine", () => {
  const cases: [SyncStatus, string, SyncStatus | "conflict"][] = [
    ["paused", "start", "extracting"],
    ["extracting", "phaseElapsed", "validating"],
    ["validating", "phaseElapsed", "inProgress"],
    ["inProgress", "phaseElapsed", "success"],
    ["inProgress", "start", "conflict"],
    ["extracting", "pause", "paused"],
    ["success", "start", "extracting"],
    ["success", "reset", "extracting"],
    ["error", "pause", "paused"],
    ["validationError", "resume", "inProgress"],
    ["quarantined", "resume", "quarantined"],
  ];
  test.each(cases)("%s --%s--> %s", (from, event, to) => {
    const r = provisioned(from);
    const result = fireSyncEvent(r, event as "start", ctx());
    if (to === "conflict") expect(result.ok).toBe(false);
    else expect([result.ok, r.sync.status]).toEqual([true, to]);
  });

  test("resume returns to the phase that was paused", () => {
    const r = provisioned("validating");
    fireSyncEvent(r, "pause", ctx());
    fireSyncEvent(r, "resume", ctx(5));
    expect(r.sync.status).toBe("validating");
    expect(r.due).toEqual({ event: "phaseElapsed", at: 5 + timing.syncPhaseMs });
  });

  test("a sync needs a provisioned profile, and resume needs a sync that ran", () => {
    expect(fireSyncEvent(record(), "start", ctx())).toEqual({
      ok: false,
      conflict: expect.stringContaining("needs it provisioned"),
    });
    expect(fireSyncEvent(provisioned("paused", false), "resume", ctx())).toEqual({
      ok: false,
      conflict: expect.stringContaining("call start"),
    });
  });

  test("every status lists what it accepts", () => {
    for (const [status, events] of Object.entries(syncMachine))
      expect(Object.keys(events).length, status).toBeGreaterThan(0);
  });
});

describe("lifecycle: time and reads", () => {
  test("settle applies every due transition, each at the instant it was due", () => {
    const r = record({ selfStarting: true, due: { event: "provisioningElapsed", at: 100 } });
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
    countRead(r, ctx());
    expect(r.state).toBe("provisioning");
    countRead(r, ctx());
    expect(r.state).toBe("provisioned");
  });
});
