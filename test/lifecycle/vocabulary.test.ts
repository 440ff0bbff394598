import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { breadthFirst } from "../../src/lifecycle/breadth-first.js";
import {
  failedSyncStatuses,
  isProfileState,
  isSyncStatus,
  profileStates,
  provisioningOutcomes,
  runningSyncStatuses,
  settledSyncStatuses,
  syncStatuses,
} from "../../src/lifecycle/vocabulary.js";
import { packageRoot } from "../../src/package-root.js";

const schemas = (
  JSON.parse(readFileSync(join(packageRoot, "generated", "openapi.json"), "utf8")) as {
    components: { schemas: Record<string, { enum?: string[] }> };
  }
).components.schemas;
/** An enum of the bundled spec, without Graph's sentinel. */
const specEnum = (name: string) => (schemas[name]?.enum ?? []).filter((value) => value !== "unknownFutureValue");

describe("the lifecycle vocabulary", () => {
  test("its states and statuses are the spec's enums, in the spec's order, and nothing else", () => {
    expect(specEnum("EducationSynchronizationProfileState").length).toBeGreaterThan(3);
    expect(profileStates).toEqual(specEnum("EducationSynchronizationProfileState"));
    expect(syncStatuses).toEqual(specEnum("EducationSynchronizationStatus"));
  });

  test("a sync is running, or settled; failed ones are settled; provisioning ends in one of two states", () => {
    expect([...runningSyncStatuses, ...settledSyncStatuses].sort()).toEqual([...syncStatuses].sort());
    expect(settledSyncStatuses).toEqual(expect.arrayContaining([...failedSyncStatuses, "success", "paused"]));
    expect(provisioningOutcomes.every(isProfileState)).toBe(true);
  });

  test("the guards take only the spec's values", () => {
    expect([
      isProfileState("provisioned"),
      isProfileState("Provisioned"),
      isProfileState("unknownFutureValue"),
    ]).toEqual([true, false, false]);
    expect([isSyncStatus("extracting"), isSyncStatus(7), isSyncStatus(undefined)]).toEqual([true, false, false]);
  });
});

describe("breadthFirst", () => {
  // A small graph: 0 -a-> 1 -a-> 2 -a-> 3, and 0 -b-> 3; "c" is refused everywhere.
  const step = (node: number, event: string) =>
    event === "a" && node < 3 ? node + 1 : event === "b" && node === 0 ? 3 : undefined;
  const steps = [...breadthFirst([0], ["a", "b", "c"], step, String)];

  test("finds the shortest path to each node first", () => {
    const first = (to: number) => steps.find((s) => s.to === to)?.path;
    expect([first(1), first(2), first(3)]).toEqual([["a"], ["a", "a"], ["b"]]);
  });

  test("tries every event from each node once, and never a refused one", () => {
    expect(steps.map((s) => `${s.from}-${s.event}->${s.to}`)).toEqual(["0-a->1", "0-b->3", "1-a->2", "2-a->3"]);
  });
});
