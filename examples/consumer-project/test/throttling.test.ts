import { GraphError } from "sds-contract-kit";
import { describe, expect, test } from "vitest";
import { csvProfile } from "../src/roster-sync.js";
import { rosterSyncForTest } from "./support.js";

/**
 * A `fetch` that asks the simulator to throttle the first `times` creates, through its
 * `X-Sds-Fault` header (one request at a time, so other test files sharing the simulator are not
 * throttled), and records every request sent.
 */
function throttlingCreates(times: number, retryAfterSeconds: number) {
  const sent: string[] = [];
  let throttled = 0;
  const fetchWithFault = (request: Request) => {
    sent.push(`${request.method} ${new URL(request.url).pathname}`);
    if (request.method !== "POST" || throttled >= times) return fetch(request);
    throttled += 1;
    const headers = new Headers(request.headers);
    headers.set("x-sds-fault", `throttle retry-after=${retryAfterSeconds}`);
    return fetch(new Request(request, { headers }));
  };
  return { sent, fetch: fetchWithFault };
}

describe("a create that meets 429 Too Many Requests", () => {
  test("waits the Retry-After it was given, creates once, and provisions", async () => {
    const { sent, fetch } = throttlingCreates(1, 1);
    const waits: number[] = [];
    const sync = rosterSyncForTest({
      fetch,
      sleep: (ms) => {
        waits.push(ms);
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
    });

    const profile = await sync.createProfileAndWait(csvProfile("Northwind Academy"));

    expect(profile.state).toBe("provisioned");
    expect(waits[0]).toBe(1000);
    expect(sent.filter((request) => request.startsWith("POST"))).toHaveLength(2);
    // The throttled request created nothing: the tenant holds exactly one profile.
    const { value } = await sync.client.listSynchronizationProfiles();
    expect(value.map((p) => p.id)).toEqual([profile.id]);
  });

  test("gives up with the 429 after maxThrottleRetries retries", async () => {
    const { sent, fetch } = throttlingCreates(10, 0);
    const sync = rosterSyncForTest({ fetch, maxThrottleRetries: 2 });

    const creating = sync.createProfileAndWait(csvProfile("Tailspin School"));

    await expect(creating).rejects.toBeInstanceOf(GraphError);
    await expect(creating).rejects.toMatchObject({ status: 429, code: "TooManyRequests", retryAfter: 0 });
    expect(sent).toHaveLength(3);
  });
});
