import type { components } from "../../generated/types.js";
import type { ResponseIds } from "../../src/graph/graph-error-catalogue.js";
import { specValidators } from "../../src/validation/spec-validators.js";
import { formatViolation } from "../../src/validation/violation.js";
import {
  errorResponse,
  jsonResponse,
  type SimulatorRequest,
  type SimulatorResponse,
  type SimulatorState,
} from "./create-simulator.js";
import type { Fault } from "./faults.js";
import { fireSyncEvent, type ProfileState, type SyncStatus } from "./lifecycle.js";
import { lifecycleContext, newLifecycle } from "./operation-handlers.js";
import { applyServiceDefaults, isCsvProvider } from "./profile-defaults.js";
import { parseScenario, ScenarioError } from "./scenarios.js";
import { type StoredProfile, StoreLimitError } from "./store.js";

/**
 * The admin API, under a reserved prefix (`/_sds` unless configured; `admin: false` turns it off),
 * for tests that drive the simulator from another process (Pact provider states among them):
 *
 *   GET  /_sds/health                 {"status":"ok"}
 *   GET  /_sds/clock                  {"now": <ms>, "mode": "real"|"virtual"}
 *   POST /_sds/clock/advance          {"ms": 5000}            -> {"now": <ms>}
 *   POST /_sds/reset                  forget every profile (X-Sds-Tenant: only that tenant's)
 *   POST /_sds/profiles               seed a profile in a given state (body below)  -> 201 the profile
 *   POST /_sds/faults                 {"throttle": <seconds>} or {"status": 503}, "count": n: the next n
 *                                     API requests get that fault (for provider states, which cannot
 *                                     send the X-Sds-Fault header on the request they set up)
 *
 * A seeded profile: {"tenant"?, "id"?, "profile": <a create request>, "state"?: "provisioned" | ...,
 * "status"?: "success" | ..., "errors"?: <count>, "scenario"?: "sync-error:3, ..."}. The tenant is
 * the body's, else the X-Sds-Tenant header's, else "default" (a token's tid is the same name).
 */
export async function handleAdmin(
  state: SimulatorState,
  request: SimulatorRequest,
  path: string,
  ids: ResponseIds,
): Promise<SimulatorResponse> {
  const route = `${request.method} ${path}`;
  const fail = (name: Parameters<typeof errorResponse>[0], detail: string) => errorResponse(name, detail, ids);
  let body: Record<string, unknown> = {};
  if (request.body) {
    try {
      body = JSON.parse(request.body.toString("utf8")) as Record<string, unknown>;
    } catch (error) {
      return fail("invalidJson", error instanceof Error ? error.message : "unreadable body");
    }
    if (body === null || typeof body !== "object" || Array.isArray(body))
      return fail("invalidRequest", "the admin API takes a JSON object");
  }
  const tenantHeader = request.header("x-sds-tenant");

  switch (route) {
    case "GET /health":
      return jsonResponse(200, { status: "ok" });
    case "GET /clock":
      return jsonResponse(200, { now: state.clock.now(), mode: state.clock.mode });
    case "POST /clock/advance": {
      const ms = body.ms;
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
        return fail("invalidRequest", 'advance takes {"ms": <non-negative number>}');
      return jsonResponse(200, { now: state.clock.advance(ms) });
    }
    case "POST /reset":
      state.store.reset(tenantHeader ?? undefined);
      state.queuedFaults.length = 0;
      if (tenantHeader) state.throttledUntil.delete(tenantHeader);
      else state.throttledUntil.clear();
      return jsonResponse(200, { reset: tenantHeader ?? "all" });
    case "POST /profiles":
      return seedProfile(state, body, tenantHeader, fail);
    case "POST /faults": {
      const count = body.count ?? 1;
      if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 1000)
        return fail("invalidRequest", "count must be a whole number from 1 to 1000");
      let fault: Fault;
      if (typeof body.throttle === "number" && body.throttle >= 0)
        fault = { kind: "throttle", retryAfterSeconds: body.throttle };
      else if (body.status === 500 || body.status === 503 || body.status === 504)
        fault = { kind: "serverError", status: body.status };
      else
        return fail(
          "invalidRequest",
          'faults take {"throttle": <seconds>} or {"status": 500 | 503 | 504}, and "count"',
        );
      for (let i = 0; i < count; i += 1) state.queuedFaults.push(fault);
      return jsonResponse(200, { queued: state.queuedFaults.length });
    }
    default:
      return fail(
        "routeNotFound",
        `${route} is not part of the simulator's admin API (health, clock, clock/advance, reset, profiles).`,
      );
  }
}

const profileStates: ProfileState[] = [
  "provisioning",
  "provisioned",
  "provisioningFailed",
  "deleting",
  "deletionFailed",
];
const syncStatuses: SyncStatus[] = [
  "paused",
  "extracting",
  "validating",
  "inProgress",
  "success",
  "error",
  "validationError",
  "quarantined",
];
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function seedProfile(
  state: SimulatorState,
  body: Record<string, unknown>,
  tenantHeader: string | null,
  fail: (name: "invalidRequest" | "conflict" | "quotaLimitReached", detail: string) => SimulatorResponse,
): SimulatorResponse {
  const request = body.profile as components["schemas"]["EducationSynchronizationProfileCreate"] | undefined;
  const violations = specValidators().validateSchema("EducationSynchronizationProfileCreate", request);
  if (violations.length > 0) return fail("invalidRequest", `profile: ${violations.map(formatViolation).join("; ")}`);
  if (body.id !== undefined && (typeof body.id !== "string" || !uuid.test(body.id)))
    return fail("invalidRequest", "id must be a GUID");
  const wantState = (body.state ?? "provisioned") as ProfileState;
  if (!profileStates.includes(wantState))
    return fail("invalidRequest", `state must be one of ${profileStates.join(", ")}`);
  const wantStatus = body.status as SyncStatus | undefined;
  if (wantStatus !== undefined && !syncStatuses.includes(wantStatus))
    return fail("invalidRequest", `status must be one of ${syncStatuses.join(", ")}`);
  if (wantStatus !== undefined && wantState !== "provisioned")
    return fail("invalidRequest", "a sync status needs state provisioned");
  const errorCount = body.errors ?? 0;
  if (typeof errorCount !== "number" || !Number.isInteger(errorCount) || errorCount < 0)
    return fail("invalidRequest", "errors must be a whole number");
  let scenario: ReturnType<typeof parseScenario>;
  try {
    scenario = parseScenario(
      typeof body.scenario === "string" ? body.scenario : "",
      undefined,
      state.store.limits.maxErrorsPerProfile,
    );
  } catch (error) {
    if (error instanceof ScenarioError) return fail("invalidRequest", error.message);
    throw error;
  }
  const tenant = typeof body.tenant === "string" ? body.tenant : (tenantHeader ?? "default");
  const id = typeof body.id === "string" ? body.id.toLowerCase() : state.random.uuid();
  if (state.store.get(tenant, id)) return fail("conflict", `tenant ${tenant} already has a profile ${id}`);

  const resource = applyServiceDefaults(request as components["schemas"]["EducationSynchronizationProfileCreate"]);
  const now = state.clock.now();
  const profile: StoredProfile = {
    id,
    tenant,
    resource,
    errors: [],
    uploadUrlBusyUntil: 0,
    ...newLifecycle(scenario, !isCsvProvider(resource), undefined),
    state: wantState,
  };
  const ctx = lifecycleContext(state, profile, now);
  if (wantState === "provisioning")
    profile.due = { event: "provisioningElapsed", at: now + state.timing.provisioningMs };
  if (wantState === "deleting") profile.due = { event: "deletionElapsed", at: now + state.timing.deletionMs };
  if (wantState === "provisioned") {
    profile.sync.statusMessage = "Waiting for files: get an upload URL, upload the CSV files, then call start.";
    if (wantStatus) {
      // "paused" seeds a sync that ran and was paused (resume continues it); leave status out for
      // a CSV profile that never started.
      // Run a sync up to the wanted status: its phases, then its outcome, at this instant.
      profile.scenario = {
        ...profile.scenario,
        outcome: ["error", "validationError", "quarantined"].includes(wantStatus) ? (wantStatus as "error") : "success",
      };
      fireSyncEvent(profile, "start", ctx);
      if (wantStatus === "paused") fireSyncEvent(profile, "pause", ctx);
      while (profile.sync.status !== wantStatus && profile.due) fireSyncEvent(profile, "phaseElapsed", ctx);
      profile.due = ["extracting", "validating", "inProgress"].includes(wantStatus)
        ? { event: "phaseElapsed", at: now + state.timing.syncPhaseMs }
        : undefined;
      profile.scenario = { ...profile.scenario, outcome: scenario.outcome };
    }
  }
  if (errorCount > 0) {
    profile.errorCount = ctx.recordErrors(errorCount, now);
  }
  try {
    state.store.add(profile);
  } catch (error) {
    if (error instanceof StoreLimitError) return fail("quotaLimitReached", error.message);
    throw error;
  }
  const { displayName, ...rest } = profile.resource;
  return jsonResponse(201, {
    tenant,
    displayName,
    state: profile.state,
    id: profile.id,
    ...rest,
    status: profile.sync.status,
    errorCount: profile.errorCount,
  });
}
