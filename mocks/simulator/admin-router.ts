import { createHash, timingSafeEqual } from "node:crypto";
import type { RosterBreakName } from "../../src/csv/roster-breaks.js";
import type { ResponseIds } from "../../src/graph/graph-error-catalogue.js";
import { errorResponse, type GraphResponse, jsonResponse } from "../../src/graph/graph-responses.js";
import type { GraphRequest } from "../../src/graph/request-checks.js";
import {
  failedSyncStatuses,
  isFailedSyncStatus,
  isProfileState,
  isSyncStatus,
  profileStates,
  syncStatuses,
} from "../../src/lifecycle/vocabulary.js";
import { docsSiteResponse } from "../../src/site/serve-docs.js";
import { maxJsonDepth, nestsDeeperThan } from "../../src/validation/json-depth.js";
import { formatViolation } from "../../src/validation/violation.js";
import { latestInstant } from "./clock.js";
import { type Fault, isRetryAfter, maxRetryAfterSeconds } from "./faults.js";
import { fire, pathTo } from "./lifecycle.js";
import type { CreateRequest } from "./profile-defaults.js";
import { lifecycleContext, newProfile } from "./profile-lifecycle.js";
import { parseScenario, ScenarioError } from "./scenarios.js";
import type { SimulatorState } from "./simulator-state.js";
import { StoreLimitError } from "./store.js";

/**
 * The admin API, a router of its own that the adapters mount under a reserved prefix (`/_sds`
 * unless configured; `admin: false` leaves it out), for tests that drive the simulator from
 * another process (Pact provider states among them):
 *
 *   GET  /_sds/docs/                  the documentation site (sds-kit docs): reference, decisions, lifecycle
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
 * "status"?: "success" | ..., "errors"?: <count>, "scenario"?: "sync-error:3, ...", "files"?: "valid" |
 * <a break of the CSV fixtures>}; files are uploaded to the profile's container when uploads are
 * real, and ignored when they are off (start then follows the scenario). The tenant is
 * the body's, else the X-Sds-Tenant header's, else "default" (a token's tid is the same name). The
 * profile gets there the way the lifecycle would take it: through the table's own events.
 *
 * Admin requests carry no Graph token: one that has an `Authorization` header (a tenant's Graph
 * token, say) is refused with 403, so that nothing a tenant holds opens the admin API. A shared
 * sandbox sets an admin token of its own (`adminToken`); then every admin request carries it in
 * `X-Sds-Admin-Token`, and one that does not is refused with 401.
 */
export interface AdminRouter {
  /** Whether a path is the admin API's. */
  owns(pathname: string): boolean;
  answer(request: GraphRequest, ids: ResponseIds): GraphResponse | Promise<GraphResponse>;
}

const routes = "docs/, health, clock, clock/advance, reset, profiles, faults";

export function createAdminRouter(state: SimulatorState, prefix: string): AdminRouter {
  return {
    owns: (pathname) => pathname === prefix || pathname.startsWith(`${prefix}/`),
    async answer(request, ids) {
      const docs = await docsSiteResponse(prefix, request.method, request.url.pathname, ids);
      if (docs) return docs;
      const path = request.url.pathname.slice(prefix.length) || "/";
      // Admin calls carry no token, so a tenant's token can never act on the admin API (nor on others' tenants).
      if (request.header("authorization") !== null)
        return errorResponse(
          "accessDenied",
          `The admin API (${prefix}) takes no token: a request that carries an Authorization header is refused. Send admin requests without one.`,
          ids,
        );
      const refused = refuseAdminToken(state.options.adminToken, request.header("x-sds-admin-token"), prefix, ids);
      if (refused) return refused;
      const fail = (name: "invalidRequest" | "invalidJson" | "conflict" | "quotaLimitReached", detail: string) =>
        errorResponse(name, detail, ids);
      let body: Record<string, unknown> = {};
      if (request.body && request.body.length > 0) {
        let parsed: unknown;
        const text = request.body.toString("utf8");
        if (nestsDeeperThan(text, maxJsonDepth))
          return fail("invalidRequest", `the body nests arrays and objects more than ${maxJsonDepth} levels deep.`);
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          return fail("invalidJson", error instanceof Error ? error.message : "unreadable body");
        }
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
          return fail("invalidRequest", "the admin API takes a JSON object");
        body = parsed as Record<string, unknown>;
      }
      const tenantHeader = request.header("x-sds-tenant");

      switch (`${request.method} ${path}`) {
        case "GET /health":
          return jsonResponse(200, { status: "ok" });
        case "GET /clock":
          return jsonResponse(200, { now: state.clock.now(), mode: state.clock.mode });
        case "POST /clock/advance": {
          const ms = body.ms;
          if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
            return fail("invalidRequest", 'advance takes {"ms": <non-negative number>}');
          if (state.clock.now() + ms > latestInstant)
            return fail(
              "invalidRequest",
              `advance: ${ms} ms would move the clock past the last instant a date can hold`,
            );
          return jsonResponse(200, { now: state.clock.advance(ms) });
        }
        case "POST /reset":
          await state.store.session((session) => session.reset(tenantHeader ?? undefined));
          state.queuedFaults.length = 0;
          if (tenantHeader) state.throttledUntil.delete(tenantHeader);
          else state.throttledUntil.clear();
          return jsonResponse(200, { reset: tenantHeader ?? "all" });
        case "POST /profiles":
          return seedProfile(state, body, tenantHeader, fail);
        case "POST /faults":
          return queueFaults(state, body, fail);
        default:
          return errorResponse(
            "adminRouteNotFound",
            `${request.method} ${path} is not part of the simulator's admin API (${routes}).`,
            ids,
          );
      }
    },
  };
}

function queueFaults(
  state: SimulatorState,
  body: Record<string, unknown>,
  fail: (name: "invalidRequest", detail: string) => GraphResponse,
): GraphResponse {
  const count = body.count ?? 1;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 1000)
    return fail("invalidRequest", "count must be a whole number from 1 to 1000");
  let fault: Fault;
  if (isRetryAfter(body.throttle)) fault = { kind: "throttle", retryAfterSeconds: body.throttle };
  else if (body.status === 500 || body.status === 503 || body.status === 504)
    fault = { kind: "serverError", status: body.status };
  else
    return fail(
      "invalidRequest",
      `faults take {"throttle": <0 to ${maxRetryAfterSeconds} seconds>} or {"status": 500 | 503 | 504}, and "count"`,
    );
  for (let i = 0; i < count; i += 1) state.queuedFaults.push(fault);
  return jsonResponse(200, { queued: state.queuedFaults.length });
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function seedProfile(
  state: SimulatorState,
  body: Record<string, unknown>,
  tenantHeader: string | null,
  fail: (name: "invalidRequest" | "conflict" | "quotaLimitReached", detail: string) => GraphResponse,
): Promise<GraphResponse> {
  const violations = state.validators.validateSchema("EducationSynchronizationProfileCreate", body.profile);
  if (violations.length > 0) return fail("invalidRequest", `profile: ${violations.map(formatViolation).join("; ")}`);
  if (body.id !== undefined && (typeof body.id !== "string" || !uuid.test(body.id)))
    return fail("invalidRequest", "id must be a GUID");
  const wantState = body.state ?? "provisioned";
  if (!isProfileState(wantState)) return fail("invalidRequest", `state must be one of ${profileStates.join(", ")}`);
  const wantStatus = body.status;
  if (wantStatus !== undefined && !isSyncStatus(wantStatus))
    return fail("invalidRequest", `status must be one of ${syncStatuses.join(", ")}`);
  if (wantStatus !== undefined && wantState !== "provisioned")
    return fail("invalidRequest", "a sync status needs state provisioned");
  const errorCount = body.errors;
  if (errorCount !== undefined) {
    if (typeof errorCount !== "number" || !Number.isInteger(errorCount) || errorCount < 0)
      return fail("invalidRequest", "errors must be a whole number");
    if (errorCount > 0 && (wantStatus === undefined || !isFailedSyncStatus(wantStatus)))
      return fail(
        "invalidRequest",
        `errors are recorded by a failed sync: give status ${failedSyncStatuses.join(", ")}`,
      );
  }
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
  let files: ReadonlyMap<string, string | Uint8Array> | undefined;
  if (body.files !== undefined) {
    // Loaded only by a seed that asks for files.
    const [{ generateRoster }, { rosterBreaks }] = await Promise.all([
      import("../../src/csv/generate-roster.js"),
      import("../../src/csv/roster-breaks.js"),
    ]);
    if (body.files === "valid") files = generateRoster({ seed: String(body.id ?? "seeded") });
    else if (typeof body.files === "string" && Object.hasOwn(rosterBreaks, body.files))
      files = rosterBreaks[body.files as RosterBreakName].apply(generateRoster());
    else
      return fail(
        "invalidRequest",
        `files must be "valid" or one of the breaks: ${Object.keys(rosterBreaks).join(", ")}`,
      );
  }
  const tenant = typeof body.tenant === "string" ? body.tenant : (tenantHeader ?? "default");
  const id = typeof body.id === "string" ? body.id.toLowerCase() : state.newProfileId();
  const request = state.validators.canonicalize(body.profile as CreateRequest);
  const profile = newProfile({ id, tenant, request, scenario });
  const path = pathTo(profile, { state: wantState, ...(wantStatus === undefined ? {} : { status: wantStatus }) });
  if (!path)
    return fail("invalidRequest", `the lifecycle has no way to a ${wantState} profile with sync ${wantStatus}`);
  const refused = await state.store.session(async (session) => {
    if (await session.get(tenant, id)) return fail("conflict", `tenant ${tenant} already has a profile ${id}`);
    try {
      await session.add(profile);
    } catch (error) {
      if (error instanceof StoreLimitError) return fail("quotaLimitReached", error.message);
      throw error;
    }
    const ctx = lifecycleContext(state, profile, state.clock.now(), errorCount as number | undefined);
    for (const event of path) fire(profile, event, ctx);
    return undefined;
  });
  if (refused) return refused;

  if (files !== undefined && state.uploads.real)
    await state.uploads.writeFiles({ tenant, profileId: profile.id }, files);
  const { displayName, ...rest } = profile.resource;
  return jsonResponse(201, {
    tenant,
    displayName,
    state: profile.state,
    id: profile.id,
    ...rest,
    status: profile.sync.status,
    errorCount: profile.errorCount,
    lifecycle: path,
  });
}

/** With an admin token configured, a request without it (or with another) is refused 401; compared in constant time. */
function refuseAdminToken(
  expected: string | undefined,
  sent: string | null,
  prefix: string,
  ids: ResponseIds,
): GraphResponse | undefined {
  if (expected === undefined) return undefined;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  if (sent !== null && timingSafeEqual(digest(sent), digest(expected))) return undefined;
  return errorResponse(
    "unauthenticated",
    `The admin API (${prefix}) of this sandbox needs its admin token in the X-Sds-Admin-Token header${sent === null ? "" : "; the one sent is not it"}.`,
    ids,
  );
}
