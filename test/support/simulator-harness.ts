import { expect } from "vitest";
import { createSimulator, type SimulatorOptions } from "../../mocks/simulator/create-simulator.js";
import { contractViolations } from "./contract-violations.js";
import { type Answer, simClient } from "./sim-client.js";
import { readExample } from "./spec-source.js";

export const profiles = "/education/synchronizationProfiles";
export const timing = { provisioningMs: 1000, syncPhaseMs: 1000, deletionMs: 500 };
export const documentedRequest = () =>
  structuredClone(readExample("createSynchronizationProfile.request").value) as Record<string, unknown>;

/**
 * A simulator in this process, on a virtual clock, in strict mode, and a client that checks every
 * answer against the spec: the simulator's behaviour tests need no port. A response that breaks
 * the spec fails the test that caused it (test/support/unit-setup.ts).
 */
export function inProcessSimulator(options: SimulatorOptions = {}) {
  const sim = createSimulator({
    clock: "virtual",
    timing,
    strict: true,
    onContractViolation: (v) => contractViolations.push(v),
    ...options,
  });
  const base = "http://simulator.test";
  return {
    sim,
    call: simClient(base, { fetch: sim.fetch }),
    clientFor: (token: string | null) => simClient(base, { token, fetch: sim.fetch }),
  };
}

export type SimCall = ReturnType<typeof simClient>;

/** Creates a profile and moves the clock past provisioning; its id. */
export async function createProvisioned(
  call: SimCall,
  sim: { clock: { advance(ms: number): number } },
  body = documentedRequest(),
  headers: Record<string, string> = {},
): Promise<string> {
  const created = await call("POST", profiles, { body, headers });
  expect(created.status).toBe(202);
  sim.clock.advance(timing.provisioningMs);
  return created.body.id as string;
}

/** A call's response and body, for expectGraphError. */
export async function answer(pending: Promise<Answer>): Promise<[Response, unknown]> {
  const { status, headers, body } = await pending;
  return [new Response(null, { status, headers }), body];
}
