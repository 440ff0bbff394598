import { describe, expect, test } from "vitest";
import { generateRoster } from "../../src/csv/generate-roster.js";
import { memoryUploads } from "../support/hostile-csv.js";
import { createProvisioned, inProcessSimulator, profiles, timing } from "../support/simulator-harness.js";

/**
 * "SDS can only sustain up to 15,000 errors before the profile enters a quarantine status" (the
 * onboarding page, sds-csv §10 [D ONBOARD]): a sync of uploaded files that reaches the limit stops,
 * quarantined, with its errors kept and paged (decisions.md#csv-sync-errors).
 */
const encoder = new TextEncoder();
const headers = { prefer: "include-unknown-enum-members" };

/** The generated set with `count` more students whose School SIS ID names no school: each fails in the sync. */
function withFailingStudents(count: number): Map<string, Uint8Array> {
  const files = generateRoster({ seed: 15 });
  const student = files.get("student.csv") ?? "";
  const header = (student.split("\r\n")[0] ?? "").split(",");
  const extra = Array.from({ length: count }, (_, index) =>
    header.map((column) => {
      if (column === "SIS ID") return String(900_000 + index);
      if (column === "School SIS ID") return "99999";
      if (column === "Username") return `lost${index}`;
      return "";
    }),
  );
  files.set("student.csv", `${student}${extra.map((row) => row.join(",")).join("\r\n")}\r\n`);
  return new Map([...files].map(([name, text]) => [name, encoder.encode(text)]));
}

async function syncedProfile(count: number) {
  const uploads = memoryUploads();
  const { sim, call } = inProcessSimulator({ uploads });
  const id = await createProvisioned(call, sim);
  uploads.put(id, withFailingStudents(count));
  const started = await call("POST", `${profiles}/${id}/start`);
  expect(started.status).toBe(200);
  sim.clock.advance(3 * timing.syncPhaseMs);
  return { sim, call, id };
}

describe("quarantine at 15,000 sync errors (the onboarding page)", () => {
  test("15,001 records that cannot sync: quarantined, 15,000 errors counted, kept and paged", async () => {
    const { call, id } = await syncedProfile(15_001);
    const status = await call("GET", `${profiles}/${id}/profileStatus`, { headers });
    expect([status.body.status, status.body.errorCount]).toEqual(["quarantined", 15_000]);
    const first = await call("GET", `${profiles}/${id}/errors?$count=true`);
    expect([first.body["@odata.count"], first.body.value.length]).toEqual([15_000, 100]);
    expect(first.body.value[0]).toMatchObject({ errorCode: "InvalidLookupReference", entryType: "Student" });
    const last = await call("GET", `${profiles}/${id}/errors?$top=100&$skiptoken=14900`);
    expect([last.body.value.length, last.body["@odata.nextLink"]]).toEqual([100, undefined]);
  }, 60_000);

  test("one fewer than the limit is an ordinary failed sync", async () => {
    const { call, id } = await syncedProfile(14_999);
    const status = await call("GET", `${profiles}/${id}/profileStatus`, { headers });
    expect([status.body.status, status.body.errorCount]).toEqual(["error", 14_999]);
  }, 60_000);

  test("resume changes nothing; reset clears the errors and syncs the same files into quarantine again", async () => {
    const { sim, call, id } = await syncedProfile(15_001);
    expect((await call("POST", `${profiles}/${id}/resume`)).status).toBe(200);
    expect((await call("GET", `${profiles}/${id}/profileStatus`, { headers })).body.status).toBe("quarantined");
    expect((await call("POST", `${profiles}/${id}/reset`)).status).toBe(200);
    const running = await call("GET", `${profiles}/${id}/profileStatus`, { headers });
    expect([running.body.status, running.body.errorCount]).toEqual(["extracting", 0]);
    sim.clock.advance(3 * timing.syncPhaseMs);
    const again = await call("GET", `${profiles}/${id}/profileStatus`, { headers });
    expect([again.body.status, again.body.errorCount]).toEqual(["quarantined", 15_000]);
  }, 60_000);
});
