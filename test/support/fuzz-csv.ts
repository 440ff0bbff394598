import { expect } from "vitest";
import type { components } from "../../generated/types.js";
import { csvProfileRequest } from "../../src/pact/provider-states/csv-profile-request.js";
import type { SimCall } from "./simulator-harness.js";

/** A CSV profile that reads every optional column (`null`: "sync all"), as the CSV docs' breaks assume. */
export const everyColumnRequest: components["schemas"]["EducationSynchronizationProfileCreate"] = {
  ...csvProfileRequest,
  dataProvider: {
    "@odata.type": "#microsoft.graph.educationCsvDataProvider",
    customizations: Object.fromEntries(
      ["school", "section", "student", "teacher"].map((kind) => [kind, { optionalPropertiesToSync: null }]),
    ),
  },
};

export interface CsvOutcome {
  start: number;
  /** The sync's status once it settled, or `not started`. */
  sync: string;
}

/**
 * Starts a CSV profile whose files are in place and follows what happens, holding the documented
 * rules (graph-sds-api.md §1 #10, docs/csv.md): `start` answers 200 or 400 and nothing else; a 400
 * lists at least one Error and starts nothing; a 200 lists no Error, and its sync ends in success
 * or error, with as many /errors entries as the status counts. Every call's answer is checked
 * against the spec by `call`, and none may be a 5xx.
 */
export async function startAndFollow(
  call: SimCall,
  advance: (ms: number) => unknown,
  id: string,
  options: { syncPhaseMs: number; timeLimitMs: number },
): Promise<CsvOutcome> {
  const path = `/beta/education/synchronizationProfiles/${id}`;
  const headers = { prefer: "include-unknown-enum-members" };
  const started = performance.now();
  const start = await call("POST", `${path}/start`);
  const ms = performance.now() - started;
  expect(ms, "start answered within the time bound").toBeLessThan(options.timeLimitMs);
  expect([200, 400], JSON.stringify(start.body).slice(0, 300)).toContain(start.status);
  const messages = (start.body?.value ?? []) as { type?: string | null }[];
  const errors = messages.filter((m) => m.type?.toLowerCase() === "error");
  if (start.status === 400) {
    // A 400 is the verification's own (the messages), never an envelope for a request that was fine.
    expect(errors.length, "a 400 lists an Error").toBeGreaterThan(0);
    const status = await call("GET", `${path}/profileStatus`, { headers });
    expect(status.body.status, "a refused start starts nothing").toBe("paused");
    return { start: 400, sync: "not started" };
  }
  expect(errors, "a 200 lists no Error").toEqual([]);
  advance(3 * options.syncPhaseMs);
  const status = await call("GET", `${path}/profileStatus`, { headers });
  expect(["success", "error", "quarantined"]).toContain(status.body.status);
  const recorded = await call("GET", `${path}/errors?$count=true&$top=1`);
  expect(recorded.status).toBe(200);
  expect(status.body.errorCount, "errorCount counts the /errors entries").toBe(recorded.body["@odata.count"]);
  if (status.body.status === "success") expect(status.body.errorCount).toBe(0);
  return { start: 200, sync: status.body.status as string };
}
