import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type PrismMock, startPrismMock } from "../../mocks/prism/start-prism-mock.js";
import { CategoryCounts, describeSeed, fuzzParameters, fuzzSeed } from "../support/fuzz-config.js";
import { nodeHttpRefusal, sendOverHttp } from "../support/fuzz-http.js";
import { watchProcessErrors } from "../support/fuzz-simulator.js";
import { type FuzzCategory, fuzzCategories, hostileRequests } from "../support/hostile-requests.js";
import { judgeAnswer } from "../support/judge-answer.js";
import { documentedProfileId } from "../support/requests.js";

// The same hostile requests, over HTTP, to the Prism mock: its Graph façade and Prism behind it.
// The mock keeps no state, so `{existing}` is the documented profile id, and the rules only the
// simulator keeps (a profile's existence, a token's claims) are not asked of it. The admin API is
// the simulator's; the mock has none.
const timeLimitMs = 10_000;
const runs = 1000;
const categories = fuzzCategories.filter(
  (category): category is Exclude<FuzzCategory, "admin"> => category !== "admin",
);

let mock: PrismMock;
beforeAll(async () => {
  mock = await startPrismMock();
}, 60_000);
afterAll(() => mock?.close());

describe("fuzz: the Prism mock over HTTP", () => {
  test(`${runs} hostile requests: no unasked 5xx, every answer in time and valid against the spec`, async ({
    annotate,
  }) => {
    const counts = new CategoryCounts();
    const processErrors = watchProcessErrors();
    let leftover: string[] = [];
    try {
      await fc.assert(
        fc.asyncProperty(hostileRequests(fuzzSeed, { only: categories }), async (request) => {
          counts.add(request.category);
          const exchange = await sendOverHttp(mock.url, request, documentedProfileId, timeLimitMs);
          const refusal = nodeHttpRefusal(request, documentedProfileId);
          if (refusal !== undefined) {
            expect(exchange.status).toBe(refusal);
            return;
          }
          expect(judgeAnswer(request, exchange, { server: "prism", timeLimitMs, overHttp: true })).toEqual([]);
          expect(processErrors.take()).toEqual([]);
        }),
        fuzzParameters(runs),
      );
    } finally {
      leftover = processErrors.stop();
      await annotate(`${describeSeed()}; requests: ${counts}`);
    }
    expect(leftover).toEqual([]);
    expect(await Promise.race([mock.exited, Promise.resolve("running")])).toBe("running");
  }, 240_000);
});
