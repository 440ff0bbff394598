import { expect } from "vitest";
import type { Simulator } from "../../mocks/simulator/create-simulator.js";
import {
  csvProfileRequest,
  oneRosterProfileRequest,
  powerSchoolProfileRequest,
} from "../../src/pact/provider-states/csv-profile-request.js";
import {
  existing,
  fuzzTenant,
  type HostileRequest,
  hugePlaceholder,
  type ProfileSetup,
  profilesPath,
  readWriteToken,
  unknownId,
} from "./hostile-requests.js";
import type { Exchange } from "./judge-answer.js";

/** Timings of the fuzzed simulators: short, so that a setup's clock advance reaches every state. */
export const fuzzTiming = { provisioningMs: 1000, syncPhaseMs: 1000, deletionMs: 500 };

const providers = {
  csv: csvProfileRequest,
  powerSchool: powerSchoolProfileRequest,
  oneRoster: oneRosterProfileRequest,
};
const auth = { authorization: `Bearer ${readWriteToken}` };

/** A request as sent: `{existing}` replaced by the id of the run's profile, a huge string built. */
export function resolve(
  request: HostileRequest,
  id: string,
): { target: string; body: string | Uint8Array | undefined } {
  let body = typeof request.body === "string" ? request.body.replaceAll(existing, id) : request.body;
  if (request.huge && typeof body === "string")
    body = body.replace(`"${hugePlaceholder}"`, () => `"${request.huge?.unit.repeat(request.huge.repeat)}"`);
  return { target: request.target.replaceAll(existing, id), body };
}

/**
 * Creates the profile a request aims at and takes it somewhere in its lifecycle: provisioning,
 * provisioned, syncing, paused, deleting, failed. Its id; the unknown id when there is no setup.
 */
export async function setUpProfile(sim: Simulator, base: string, setup: ProfileSetup | undefined): Promise<string> {
  if (setup === undefined) return unknownId;
  const created = await sim.fetch(`${base}${profilesPath}`, {
    method: "POST",
    headers: {
      ...auth,
      "content-type": "application/json",
      ...(setup.scenario === undefined ? {} : { "x-sds-scenario": setup.scenario }),
    },
    body: JSON.stringify(providers[setup.provider]),
  });
  expect(created.status, `setup create for tenant ${fuzzTenant}`).toBe(202);
  const { id } = (await created.json()) as { id: string };
  sim.clock.advance(setup.advanceMs);
  if (setup.action !== "nothing") {
    const [method, suffix] = setup.action === "delete" ? ["DELETE", ""] : ["POST", `/${setup.action}`];
    await (await sim.fetch(`${base}${profilesPath}/${id}${suffix}`, { method, headers: auth })).text();
  }
  sim.clock.advance(setup.afterActionMs);
  return id;
}

/** Sends one request to an in-process simulator: what it answered, and how long that took. */
export async function sendInProcess(
  sim: Simulator,
  base: string,
  request: HostileRequest,
  id: string,
): Promise<Exchange> {
  const { target, body } = resolve(request, id);
  // The target is a path: `//x` stays a path, not a host.
  const url = new URL(`${base}${target}`);
  const bodyless = ["GET", "HEAD"].includes(request.method.toUpperCase());
  const sent = new Request(url, {
    method: request.method,
    headers: request.headers,
    body: bodyless ? undefined : body,
  });
  const started = performance.now();
  const response = await sim.fetch(sent);
  const text = await response.text();
  return {
    method: sent.method,
    url,
    status: response.status,
    headers: response.headers,
    text,
    ms: performance.now() - started,
  };
}

/**
 * Unhandled rejections and uncaught exceptions while a fuzz test runs: any is a failure of the
 * server under test (it runs in this process). `take()` returns those seen since the last call,
 * so a property can fail on the request that caused one; `stop()` detaches.
 */
export function watchProcessErrors(): { take(): string[]; stop(): string[] } {
  let seen: string[] = [];
  const record = (kind: string) => (reason: unknown) =>
    seen.push(`${kind}: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  const rejection = record("unhandled rejection");
  const exception = record("uncaught exception");
  process.on("unhandledRejection", rejection);
  process.on("uncaughtException", exception);
  const take = () => {
    const taken = seen;
    seen = [];
    return taken;
  };
  return {
    take,
    stop() {
      process.off("unhandledRejection", rejection);
      process.off("uncaughtException", exception);
      return take();
    },
  };
}
