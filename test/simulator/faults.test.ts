import { describe, expect, test } from "vitest";
import { expectGraphError } from "../support/graph-error.js";
import { answer, inProcessSimulator, profiles } from "../support/simulator-harness.js";

describe("simulator: faults", () => {
  test("429 with Retry-After, honoured: the retry after Retry-After succeeds", async () => {
    const { sim, call } = inProcessSimulator({ faults: { enforceRetryAfter: true } });
    const [throttled, body] = await answer(
      call("GET", profiles, { headers: { "x-sds-fault": "throttle retry-after=3" } }),
    );
    expectGraphError(throttled, body, { status: 429, code: "TooManyRequests" });
    expect(throttled.headers.get("retry-after")).toBe("3");
    sim.clock.advance(3000);
    expect((await call("GET", profiles)).status).toBe(200);
  });

  test("429 with Retry-After, not honoured: an early retry is throttled again with the time left", async () => {
    const { sim, call } = inProcessSimulator({ faults: { enforceRetryAfter: true, throttleRate: 0 } });
    await call("GET", profiles, { headers: { "x-sds-fault": "throttle retry-after=2.5" } });
    sim.clock.advance(1000);
    const early = await call("GET", profiles);
    expect(early.status).toBe(429);
    expect(early.headers.get("retry-after")).toBe("1.5");
    sim.clock.advance(1500);
    expect((await call("GET", profiles)).status).toBe(200);
  });

  test.each([
    ["500", "InternalError"],
    ["503", "serviceNotAvailable"],
    ["504", "gatewayTimeout"],
  ])("X-Sds-Fault: %s answers the Graph error", async (status, code) => {
    const { call } = inProcessSimulator();
    const [response, body] = await answer(call("GET", profiles, { headers: { "x-sds-fault": status } }));
    expectGraphError(response, body, { status: Number(status), code });
  });

  test("seeded rates give the same faults for the same seed", async () => {
    const sequence = async () => {
      const { call } = inProcessSimulator({ seed: 7, faults: { throttleRate: 0.2, errorRate: 0.2 } });
      const statuses = [];
      for (let i = 0; i < 40; i += 1) statuses.push((await call("GET", profiles)).status);
      return statuses;
    };
    const first = await sequence();
    expect(first.filter((s) => ![200, 429, 500, 503, 504].includes(s))).toEqual([]);
    expect(first.filter((s) => s === 429).length).toBeGreaterThan(1);
    expect(first.filter((s) => s >= 500).length).toBeGreaterThan(1);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(10);
    expect(await sequence()).toEqual(first);
  });

  test("added latency delays the answer", async () => {
    const { call } = inProcessSimulator();
    const started = performance.now();
    expect((await call("GET", profiles, { headers: { "x-sds-fault": "latency=120" } })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  test("an unknown fault is a 400 naming the ones there are", async () => {
    const { call } = inProcessSimulator();
    expectGraphError(...(await answer(call("GET", profiles, { headers: { "x-sds-fault": "explode" } }))), {
      status: 400,
      code: "BadRequest",
      message: /throttle.*500, 503, 504 or latency/,
    });
  });
});
