import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { createSynchronizationProfilesClient } from "../../src/client/synchronization-profiles-client.js";
import { csvProfileRequest } from "../../src/pact/provider-states/csv-profile-request.js";
import { CategoryCounts, describeSeed, fuzzParameters } from "../support/fuzz-config.js";
import { everyColumnRequest, startAndFollow } from "../support/fuzz-csv.js";
import { watchProcessErrors } from "../support/fuzz-simulator.js";
import { hostileCsvUploads } from "../support/hostile-csv.js";
import { readWrite, simClient } from "../support/sim-client.js";
import { timing } from "../support/simulator-harness.js";

// Hostile CSV uploads through the real path: the upload URL, the Azure Storage SDK writing to
// Azurite through the SAS, and start reading them back. Azurite is slow, so fewer sets than the
// in-process fuzzing of the same uploads (csv-uploads.test.ts).
const runs = 50;
const timeLimitMs = 10_000;

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ clock: "virtual", strict: true, timing });
  await simulator.simulator.startUploads();
}, 60_000);
afterAll(() => simulator?.close());

describe("fuzz: hostile CSV uploads through Azurite", () => {
  test(`${runs} uploads with the Azure SDK, then start: 200 or 400 as documented, the sync settles`, async ({
    annotate,
  }) => {
    const outcomes = new CategoryCounts();
    const processErrors = watchProcessErrors();
    let leftover: string[] = [];
    const client = createSynchronizationProfilesClient({
      baseUrl: `${simulator.url}/beta`,
      token: readWrite,
      sleep: async (ms) => void simulator.clock.advance(ms),
    });
    const call = simClient(simulator.url);
    try {
      await fc.assert(
        fc.asyncProperty(hostileCsvUploads(), fc.boolean(), async (upload, everyColumn) => {
          const { profile } = await client.createSynchronizationProfile(
            structuredClone(everyColumn ? everyColumnRequest : csvProfileRequest),
          );
          simulator.clock.advance(timing.provisioningMs);
          expect(await client.uploadCsvFiles(profile.id, upload.files)).toEqual([...upload.files.keys()]);
          const outcome = await startAndFollow(call, (ms) => simulator.clock.advance(ms), profile.id, {
            syncPhaseMs: timing.syncPhaseMs,
            timeLimitMs,
          });
          outcomes.add(`start ${outcome.start}, ${outcome.sync}`);
          // The profile and its container go: Azurite keeps what a run uploaded in memory otherwise.
          await client.deleteSynchronizationProfile(profile.id);
          expect(processErrors.take()).toEqual([]);
        }),
        fuzzParameters(runs),
      );
    } finally {
      leftover = processErrors.stop();
      await annotate(`${describeSeed()}; outcomes: ${outcomes}`);
    }
    expect(leftover).toEqual([]);
  }, 180_000);
});
