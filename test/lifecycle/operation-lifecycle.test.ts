import { describe, expect, test } from "vitest";
import { type OperationId, operations } from "../../generated/route-table.js";
import { absentRecord, fire, type LifecycleRecord, pathTo } from "../../mocks/simulator/lifecycle.js";
import { defaultScenario } from "../../mocks/simulator/scenarios.js";
import { operationLifecycle } from "../../src/lifecycle/operation-lifecycle.js";
import type { ProfileState, SyncStatus } from "../../src/lifecycle/vocabulary.js";
import { validRequest } from "../support/requests.js";
import { createProvisioned, inProcessSimulator } from "../support/simulator-harness.js";
import { readExample } from "../support/spec-source.js";

/** No time passing and no errors kept: the tables alone decide. */
const quiet = {
  at: 0,
  timing: { provisioningMs: 0, syncPhaseMs: 0, deletionMs: 0 },
  recordErrors: (count: number) => count,
  clearErrors: () => undefined,
};

/** A CSV profile brought by the simulator's own tables to a state, or to a provisioned one whose sync is in a status. */
function recordIn(state: ProfileState, status?: SyncStatus): LifecycleRecord {
  const record = absentRecord(defaultScenario, false, undefined);
  const path = pathTo(record, { state, ...(status === undefined ? {} : { status }) });
  if (!path) throw new Error(`the tables reach no profile in ${state} ${status ?? ""}`);
  for (const event of path) fire(record, event, quiet);
  return record;
}

const rows = Object.entries(operationLifecycle) as [OperationId, (typeof operationLifecycle)[OperationId]][];

describe("every operation's place in the lifecycle, held to the simulator's tables", () => {
  test("every operation of the spec has a row, and nothing else does", () => {
    expect(rows.map(([id]) => id).sort()).toEqual(operations.map((op) => op.operationId).sort());
  });

  test.each(rows.filter(([, row]) => row.conflictsIn !== undefined && row.event !== undefined))(
    "%s is refused in the state its 409 implies",
    (_id, row) => {
      const record = recordIn(row.conflictsIn as ProfileState);
      expect(fire(record, row.event as NonNullable<typeof row.event>, quiet).ok).toBe(false);
    },
  );

  test.each(rows.filter(([, row]) => row.needsSync !== undefined))(
    "%s is taken from the sync status it needs",
    (_id, row) => {
      const record = recordIn("provisioned", row.needsSync);
      expect(fire(record, row.event as NonNullable<typeof row.event>, quiet)).toEqual({ ok: true });
    },
  );

  test.each(operations.filter((op) => op.operationId !== "createSynchronizationProfile" && op.path.includes("{id}")))(
    "$operationId on a PowerSchool profile: 400 exactly when its row says CSV only",
    async (op) => {
      const { sim, call } = inProcessSimulator();
      const powerSchool = readExample("createSynchronizationProfile.request.power-school").value as Record<
        string,
        unknown
      >;
      const id = await createProvisioned(call, sim, powerSchool);
      const { path, init } = validRequest(op);
      const result = await call(
        op.method,
        path.replace(/\/synchronizationProfiles\/[^/?]+/, `/synchronizationProfiles/${id}`),
        {
          body: init.body ? JSON.parse(init.body) : undefined,
        },
      );
      const refused = result.status === 400 && typeof (result.body as { error?: unknown }).error === "object";
      expect(refused).toBe(operationLifecycle[op.operationId].csvOnly === true);
    },
  );
});
