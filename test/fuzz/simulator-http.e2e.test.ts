import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { CategoryCounts, describeSeed, fuzzParameters, fuzzSeed } from "../support/fuzz-config.js";
import { nodeHttpRefusal, sendOverHttp } from "../support/fuzz-http.js";
import { fuzzTiming, setUpProfile, watchProcessErrors } from "../support/fuzz-simulator.js";
import { request as hostile, hostileRequests, profilesPath, unknownId } from "../support/hostile-requests.js";
import { judgeAnswer } from "../support/judge-answer.js";
import { rawRequests } from "../support/raw-requests.js";
import { sendRaw } from "../support/raw-socket.js";

// The share of the simulator's fuzzing that goes over a real socket: what node:http does with a
// request before the simulator sees it (a body on GET, no content type at all, a Host that is not
// a host, a head over 16 KB), and raw bytes no HTTP client sends. Each hostile request gets a
// fresh simulator (so a counterexample replays alone); the raw requests share one, which must
// answer a health check after each.
const timeLimitMs = 5000;
const httpRuns = 300;
const rawRuns = 200;

describe("fuzz: the simulator over HTTP", () => {
  test(`${httpRuns} hostile requests over node:http: no unasked 5xx, no crash, every answer in time and valid`, async ({
    annotate,
  }) => {
    const counts = new CategoryCounts();
    const processErrors = watchProcessErrors();
    let leftover: string[] = [];
    try {
      await fc.assert(
        fc.asyncProperty(hostileRequests(fuzzSeed), async (request) => {
          counts.add(request.category);
          const simulator = await startSimulator({ clock: "virtual", seed: 1, timing: fuzzTiming, uploads: "off" });
          try {
            const id = await setUpProfile(simulator.simulator, simulator.url, request.setup);
            const exchange = await sendOverHttp(simulator.url, request, id, timeLimitMs);
            const refusal = nodeHttpRefusal(request, id);
            if (refusal !== undefined) {
              expect(exchange.status).toBe(refusal);
              return;
            }
            expect(judgeAnswer(request, exchange, { server: "simulator", timeLimitMs, overHttp: true })).toEqual([]);
            expect(processErrors.take()).toEqual([]);
            if (!request.followUp) return;
            for (const next of [
              hostile("valid", { method: "GET", target: profilesPath }),
              hostile("valid", { method: "GET", target: `${profilesPath}/${unknownId}` }),
            ]) {
              const answer = await sendOverHttp(simulator.url, next, id, timeLimitMs);
              expect(
                judgeAnswer(next, answer, { server: "simulator", timeLimitMs, queuedFaults: true, overHttp: true }),
              ).toEqual([]);
            }
          } finally {
            await simulator.close();
          }
        }),
        fuzzParameters(httpRuns),
      );
    } finally {
      leftover = processErrors.stop();
      await annotate(`${describeSeed()}; requests: ${counts}`);
    }
    expect(leftover).toEqual([]);
  }, 180_000);

  describe("raw bytes", () => {
    let simulator: RunningSimulator;
    beforeAll(async () => {
      simulator = await startSimulator({ clock: "virtual", seed: 1, timing: fuzzTiming, uploads: "off" });
    });
    afterAll(() => simulator.close());

    test(`${rawRuns} malformed HTTP requests: answered below 500 or refused, and the server stays up`, async ({
      annotate,
    }) => {
      const counts = new CategoryCounts();
      const processErrors = watchProcessErrors();
      let leftover: string[] = [];
      try {
        await fc.assert(
          fc.asyncProperty(rawRequests, async (raw) => {
            counts.add(raw.mutation.split(" ")[0] ?? raw.mutation);
            const answer = await sendRaw(simulator.url, raw.bytes, timeLimitMs);
            expect(answer.closed, `the connection was still open after ${timeLimitMs} ms`).toBe(true);
            expect(
              answer.statuses.filter((status) => status >= 500),
              answer.text.slice(0, 400),
            ).toEqual([]);
            const health = await fetch(`${simulator.url}/_sds/health`, { signal: AbortSignal.timeout(timeLimitMs) });
            expect(health.status).toBe(200);
            expect(processErrors.take()).toEqual([]);
          }),
          fuzzParameters(rawRuns),
        );
      } finally {
        leftover = processErrors.stop();
        await annotate(`${describeSeed()}; raw requests: ${counts}`);
      }
      expect(leftover).toEqual([]);
    }, 120_000);
  });
});
