import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { createSimulator } from "../../mocks/simulator/create-simulator.js";
import { CategoryCounts, describeSeed, fuzzParameters, fuzzSeed } from "../support/fuzz-config.js";
import { fuzzTiming, sendInProcess, setUpProfile, watchProcessErrors } from "../support/fuzz-simulator.js";
import {
  fuzzCategories,
  request as hostile,
  hostileRequests,
  profilesPath,
  unknownId,
} from "../support/hostile-requests.js";
import { judgeAnswer } from "../support/judge-answer.js";

// Each run is one hostile request to a fresh in-process simulator (seeded, virtual clock, faults
// off, not strict: the test holds every answer to the spec itself), after a setup that puts the
// profile it aims at somewhere in its lifecycle. Fresh simulators make each counterexample
// replayable on its own, so fast-check can shrink it.
const base = "http://simulator.test";
const runs = 5000;
const timeLimitMs = 3000;

describe("fuzz: the simulator in process", () => {
  test(`${runs} hostile requests: no unasked 5xx, no crash, every answer in time and valid against the spec`, async ({
    annotate,
  }) => {
    const counts = new CategoryCounts();
    const processErrors = watchProcessErrors();
    let leftover: string[] = [];
    try {
      await fc.assert(
        fc.asyncProperty(hostileRequests(fuzzSeed), async (request) => {
          counts.add(request.category);
          const sim = createSimulator({ clock: "virtual", seed: 1, timing: fuzzTiming });
          const id = await setUpProfile(sim, base, request.setup);
          const exchange = await sendInProcess(sim, base, request, id);
          expect(judgeAnswer(request, exchange, { server: "simulator", timeLimitMs })).toEqual([]);
          expect(processErrors.take()).toEqual([]);
          if (!request.followUp) return;
          // After an admin request, the API must still answer whole: a list, and the 404 of an unknown id.
          for (const next of [
            hostile("valid", { method: "GET", target: profilesPath }),
            hostile("valid", { method: "GET", target: `${profilesPath}/${unknownId}` }),
          ]) {
            const answer = await sendInProcess(sim, base, next, id);
            expect(judgeAnswer(next, answer, { server: "simulator", timeLimitMs, queuedFaults: true })).toEqual([]);
          }
        }),
        fuzzParameters(runs),
      );
    } finally {
      leftover = processErrors.stop();
      await annotate(`${describeSeed()}; requests: ${counts}`);
    }
    expect(leftover).toEqual([]);
    for (const category of fuzzCategories) expect(counts.get(category), category).toBeGreaterThan(counts.total / 200);
  }, 180_000);
});
