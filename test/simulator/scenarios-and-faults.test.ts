import { describe, expect, test } from "vitest";
import { createClock } from "../../mocks/simulator/clock.js";
import { drawFault, parseFaultHeader } from "../../mocks/simulator/faults.js";
import { createRandom } from "../../mocks/simulator/random.js";
import { defaultScenario, parseScenario, ScenarioError, scenarioFor } from "../../mocks/simulator/scenarios.js";

describe("scenarios", () => {
  test.each([
    ["", defaultScenario],
    ["provisioning-failed", { ...defaultScenario, provisioning: "provisioningFailed" }],
    [
      "sync-error:3, deletion-failed",
      { ...defaultScenario, outcome: "error", errorCount: 3, deletion: "deletionFailed" },
    ],
    [
      "sync-quarantined verification-warnings",
      { ...defaultScenario, outcome: "quarantined", errorCount: 35, verification: "warnings" },
    ],
  ])("'%s'", (text, want) => {
    expect(parseScenario(text)).toEqual(want);
  });

  test.each([["explode"], ["sync-error:-1"], ["sync-error:many"]])("'%s' is refused, naming what is known", (text) => {
    expect(() => parseScenario(text)).toThrow(ScenarioError);
  });

  test("the header adds to the display name's token", () => {
    expect(scenarioFor("Test [sds:sync-error:2]", "deletion-failed")).toMatchObject({
      outcome: "error",
      errorCount: 2,
      deletion: "deletionFailed",
    });
  });
});

describe("faults", () => {
  test.each([
    ["throttle", { forced: { kind: "throttle", retryAfterSeconds: 2 }, latencyMs: 0 }],
    ["throttle retry-after=0.5", { forced: { kind: "throttle", retryAfterSeconds: 0.5 }, latencyMs: 0 }],
    ["503, latency=20", { forced: { kind: "serverError", status: 503 }, latencyMs: 20 }],
  ])("X-Sds-Fault: %s", (header, want) => {
    expect(parseFaultHeader(header)).toEqual(want);
  });

  test.each([["boom"], ["latency=-1"], ["throttle retry-after=soon"]])("X-Sds-Fault: %s is refused", (header) => {
    expect(() => parseFaultHeader(header)).toThrow(/X-Sds-Fault/);
  });

  test("rates draw from the seed", () => {
    const draws = (seed: number) => {
      const random = createRandom(seed);
      return Array.from(
        { length: 50 },
        () => drawFault({ throttleRate: 0.3, errorRate: 0.3 }, random, { kind: "none" }).kind,
      );
    };
    expect(draws(3)).toEqual(draws(3));
    expect(draws(3)).not.toEqual(draws(4));
    expect(new Set(draws(3))).toEqual(new Set(["none", "throttle", "serverError"]));
  });
});

describe("clock and random", () => {
  test("a virtual clock moves only when advanced", () => {
    const clock = createClock("virtual", 1000);
    expect(clock.now()).toBe(1000);
    expect(clock.advance(500)).toBe(1500);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  test("the same seed gives the same GUIDs", () => {
    const a = createRandom("seed");
    const b = createRandom("seed");
    const ids = Array.from({ length: 5 }, () => a.uuid());
    expect(Array.from({ length: 5 }, () => b.uuid())).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
