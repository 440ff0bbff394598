import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { CategoryCounts, describeSeed, fuzzParameters } from "../support/fuzz-config.js";
import { everyColumnRequest, startAndFollow } from "../support/fuzz-csv.js";
import { watchProcessErrors } from "../support/fuzz-simulator.js";
import { hostileCsvUploads, memoryUploads } from "../support/hostile-csv.js";
import { createProvisioned, inProcessSimulator, timing } from "../support/simulator-harness.js";

// Hostile CSV uploads through the simulator's real verification and sync (uploads "real", kept in
// memory: no blob endpoint), in process. The upload itself, through Azurite and the Azure SDK, is
// fuzzed in csv-uploads.e2e.test.ts with fewer sets, Azurite being slow.
const runs = 200;
const timeLimitMs = 5000;

describe("fuzz: hostile CSV uploads, verified and synced in process", () => {
  test(`${runs} uploads: start answers 200 or 400 as documented, the sync settles, nothing fails`, async ({
    annotate,
  }) => {
    const outcomes = new CategoryCounts();
    const processErrors = watchProcessErrors();
    let leftover: string[] = [];
    try {
      await fc.assert(
        fc.asyncProperty(hostileCsvUploads(), fc.boolean(), async (upload, everyColumn) => {
          const uploads = memoryUploads();
          const { sim, call } = inProcessSimulator({ uploads });
          const id = await createProvisioned(call, sim, everyColumn ? structuredClone(everyColumnRequest) : undefined);
          uploads.put(id, upload.files);
          const outcome = await startAndFollow(call, (ms) => sim.clock.advance(ms), id, {
            syncPhaseMs: timing.syncPhaseMs,
            timeLimitMs,
          });
          outcomes.add(`start ${outcome.start}, ${outcome.sync}`);
          expect(processErrors.take()).toEqual([]);
        }),
        fuzzParameters(runs),
      );
    } finally {
      leftover = processErrors.stop();
      await annotate(`${describeSeed()}; outcomes: ${outcomes}`);
    }
    expect(leftover).toEqual([]);
  }, 120_000);
});
