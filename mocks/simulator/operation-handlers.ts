import type { Operation, OperationId } from "../../generated/route-table.js";
import type { components } from "../../generated/types.js";
import type { ResponseIds } from "../../src/graph/graph-error-catalogue.js";
import { jsonContent } from "../../src/spec/spec-operations.js";
import { errorResponse, jsonResponse, type SimulatorResponse, type SimulatorState } from "./create-simulator.js";
import {
  countRead,
  type FireResult,
  fireProfileEvent,
  fireSyncEvent,
  type LifecycleContext,
  type LifecycleRecord,
  settle,
} from "./lifecycle.js";
import { ODataQueryError, page } from "./odata.js";
import { applyServiceDefaults, isCsvProvider } from "./profile-defaults.js";
import { ScenarioError, scenarioFor } from "./scenarios.js";
import { type StoredProfile, StoreLimitError, type SyncErrorResource } from "./store.js";

type Schemas = components["schemas"];
type CreateRequest = Schemas["EducationSynchronizationProfileCreate"];
type ReplaceRequest = Schemas["EducationSynchronizationProfileReplace"];
type UpdateRequest = Schemas["EducationSynchronizationProfileUpdate"];

export interface OperationContext {
  state: SimulatorState;
  tenant: string;
  operation: Operation;
  pathParams: Record<string, string>;
  url: URL;
  body: unknown;
  header(name: string): string | null;
  /** `Prefer: include-unknown-enum-members`: evolvable enum members are sent as they are. */
  includeUnknownEnumMembers: boolean;
  /** `http://host:port/beta`: where `@odata.context` and next links point. */
  serviceRoot: string;
  now: number;
  ids: ResponseIds;
}

type Handler = (ctx: OperationContext) => SimulatorResponse;

const noContent = (status: number): SimulatorResponse => ({ status, headers: {}, body: undefined });
const fail = (ctx: OperationContext, name: Parameters<typeof errorResponse>[0], detail: string) =>
  errorResponse(name, detail, ctx.ids);
const notFound = (ctx: OperationContext, id: string) =>
  fail(ctx, "itemNotFound", `Synchronization profile '${id}' was not found.`);

// ---------------------------------------------------------------- lifecycle plumbing

export function lifecycleContext(state: SimulatorState, profile: StoredProfile, at: number): LifecycleContext {
  return {
    at,
    timing: state.timing,
    recordErrors: (count, when) => {
      profile.errors = generateErrors(state, profile, Math.min(count, state.store.limits.maxErrorsPerProfile), when);
      return profile.errors.length;
    },
    clearErrors: () => {
      profile.errors = [];
    },
  };
}

/** The profile with every due transition applied, or undefined if it does not exist (any more). */
function load(ctx: OperationContext, id: string): StoredProfile | undefined {
  const profile = ctx.state.store.get(ctx.tenant, id);
  if (!profile) return undefined;
  settle(profile, ctx.now, (at) => lifecycleContext(ctx.state, profile, at));
  if (profile.removed) {
    ctx.state.store.remove(ctx.tenant, profile.id);
    return undefined;
  }
  return profile;
}

function conflictOr(ctx: OperationContext, result: FireResult, success: () => SimulatorResponse): SimulatorResponse {
  return result.ok ? success() : fail(ctx, "conflict", `Synchronization profile conflict: ${result.conflict}.`);
}

// ---------------------------------------------------------------- rendering

const evolvable = new Set(["extracting", "validating", "faculty"]);

/** Graph sends members after `unknownFutureValue` only to clients that ask for them. */
function evolve<T extends string | null | undefined>(ctx: OperationContext, value: T): T {
  return (
    !ctx.includeUnknownEnumMembers && typeof value === "string" && evolvable.has(value) ? "unknownFutureValue" : value
  ) as T;
}

function renderProfile(
  ctx: OperationContext,
  profile: StoredProfile,
  withContext: boolean,
): Schemas["EducationSynchronizationProfile"] {
  const { displayName, ...rest } = profile.resource;
  const rendered: Schemas["EducationSynchronizationProfile"] = {
    ...(withContext
      ? { "@odata.context": `${ctx.serviceRoot}/$metadata#education/synchronizationProfiles/$entity` }
      : {}),
    displayName,
    state: profile.state,
    id: profile.id,
    ...rest,
  };
  // Copies are made only where an evolvable role has to be hidden, which few profiles have.
  if (!ctx.includeUnknownEnumMembers && hasEvolvableRole(profile.resource)) {
    const identity = structuredClone(rendered.identitySynchronizationConfiguration) as RoleHolders;
    for (const item of [...(identity.userDomains ?? []), ...(identity.matchingOptions ?? [])])
      item.appliesTo = evolve(ctx, item.appliesTo);
    rendered.identitySynchronizationConfiguration = identity as typeof rendered.identitySynchronizationConfiguration;
    rendered.licensesToAssign = rendered.licensesToAssign?.map((licence) => ({
      ...licence,
      appliesTo: evolve(ctx, licence.appliesTo),
    }));
  }
  return rendered;
}

type RoleHolders = { userDomains?: { appliesTo: string }[]; matchingOptions?: { appliesTo: string }[] };

function hasEvolvableRole(resource: StoredProfile["resource"]): boolean {
  const identity = resource.identitySynchronizationConfiguration as RoleHolders;
  return [
    ...(identity.userDomains ?? []),
    ...(identity.matchingOptions ?? []),
    ...(resource.licensesToAssign ?? []),
  ].some((item) => typeof item.appliesTo === "string" && evolvable.has(item.appliesTo));
}

function renderStatus(ctx: OperationContext, profile: StoredProfile): Schemas["EducationSynchronizationProfileStatus"] {
  return {
    "@odata.context": `${ctx.serviceRoot}/$metadata#education/synchronizationProfiles/${profile.id}/profileStatus/$entity`,
    id: profile.id,
    status: evolve(ctx, profile.sync.status),
    lastSynchronizationDateTime: profile.sync.lastSynchronizationDateTime,
    lastActivityDateTime: profile.sync.lastActivityDateTime,
    errorCount: profile.errorCount,
    statusMessage: profile.state === "provisioned" ? profile.sync.statusMessage : `The profile is ${profile.state}.`,
  };
}

function generateErrors(state: SimulatorState, profile: StoredProfile, count: number, at: number): SyncErrorResource[] {
  const kinds = ["Student", "Teacher", "Section", "School"] as const;
  const domain =
    (profile.resource.identitySynchronizationConfiguration as { userDomains?: { name: string }[] }).userDomains?.[0]
      ?.name ?? "testschool.edu";
  return Array.from({ length: count }, (_, index) => {
    const kind = kinds[index % kinds.length] ?? "Student";
    const handle = `${kind.toLowerCase()}${index + 1}`;
    return {
      id: state.random.uuid().toUpperCase(),
      entryType: kind,
      errorCode: "UnsynchronizableChange",
      errorMessage: `${kind} cannot be updated as no matching entry in Active Directory was found for ${kind}.  Verify the identity matching criteria for the profile.`,
      joiningValue: `${handle}@${domain}`,
      recordedDateTime: new Date(at + index).toISOString(),
      reportableIdentifier: handle,
    };
  });
}

// ---------------------------------------------------------------- business rules beyond the schema

function businessRuleViolation(ctx: OperationContext, request: Partial<CreateRequest>): string | undefined {
  const roles = [
    ...((request.identitySynchronizationConfiguration as { userDomains?: { appliesTo: string }[] } | undefined)
      ?.userDomains ?? []),
    ...((request.identitySynchronizationConfiguration as { matchingOptions?: { appliesTo: string }[] } | undefined)
      ?.matchingOptions ?? []),
    ...(request.licensesToAssign ?? []),
  ].map((item) => item.appliesTo);
  if (roles.includes("unknownFutureValue")) {
    return "appliesTo 'unknownFutureValue' is the evolvable-enum sentinel, not a role; use student, teacher, faculty or none";
  }
  if (request.expirationDate) {
    const limit = new Date(ctx.now);
    limit.setUTCMonth(limit.getUTCMonth() + 18);
    const expires = Date.parse(`${request.expirationDate}T00:00:00Z`);
    if (expires > limit.getTime()) return `expirationDate ${request.expirationDate} is more than 18 months ahead`;
    if (expires < ctx.now - 86_400_000) return `expirationDate ${request.expirationDate} is in the past`;
  }
  return undefined;
}

// ---------------------------------------------------------------- operations

const create: Handler = (ctx) => {
  const request = ctx.body as CreateRequest;
  const rule = businessRuleViolation(ctx, request);
  if (rule) return fail(ctx, "invalidRequest", rule);
  let scenario: ReturnType<typeof scenarioFor>;
  try {
    scenario = scenarioFor(request.displayName, ctx.header("x-sds-scenario"));
  } catch (error) {
    if (error instanceof ScenarioError) return fail(ctx, "invalidRequest", error.message);
    throw error;
  }
  const { state } = ctx;
  if (state.options.provisioningFailureRate && state.random.next() < state.options.provisioningFailureRate) {
    scenario = { ...scenario, provisioning: "provisioningFailed" };
  }
  const resource = applyServiceDefaults(request);
  const profile: StoredProfile = {
    id: state.random.uuid(),
    tenant: ctx.tenant,
    resource,
    errors: [],
    uploadUrlBusyUntil: 0,
    ...newLifecycle(scenario, !isCsvProvider(resource), state.options.provisioningReads),
  };
  try {
    state.store.add(profile);
  } catch (error) {
    if (error instanceof StoreLimitError) return fail(ctx, "quotaLimitReached", error.message);
    throw error;
  }
  profile.due = { event: "provisioningElapsed", at: ctx.now + state.timing.provisioningMs };
  return jsonResponse(Number(ctx.operation.servedStatus ?? 202), renderProfile(ctx, profile, false));
};

export function newLifecycle(
  scenario: LifecycleRecord["scenario"],
  selfStarting: boolean,
  reads: number | undefined,
): LifecycleRecord {
  return {
    state: "provisioning",
    sync: {
      status: "paused",
      started: false,
      resumeTo: undefined,
      lastSynchronizationDateTime: null,
      lastActivityDateTime: null,
      statusMessage: "Waiting for provisioning to finish.",
    },
    scenario,
    selfStarting,
    due: undefined,
    readsLeft: reads,
    removed: false,
    errorCount: 0,
  };
}

const list: Handler = (ctx) => {
  const profiles = ctx.state.store
    .list(ctx.tenant)
    .map((profile) => load(ctx, profile.id))
    .filter((profile): profile is StoredProfile => profile !== undefined)
    .map((profile) => renderProfile(ctx, profile, false));
  return paged(ctx, profiles, `${ctx.serviceRoot}/$metadata#education/synchronizationProfiles`, {
    filter: ["displayName", "state", "id"],
    orderBy: ["displayName", "state", "id"],
  });
};

function paged(
  ctx: OperationContext,
  rows: Record<string, unknown>[],
  context: string,
  properties: Parameters<typeof page>[2],
) {
  try {
    const result = page(rows, ctx.url, properties);
    return jsonResponse(200, {
      "@odata.context": context,
      ...(result.count === undefined ? {} : { "@odata.count": result.count }),
      ...(result.nextLink === undefined ? {} : { "@odata.nextLink": result.nextLink }),
      value: result.value,
    });
  } catch (error) {
    if (error instanceof ODataQueryError) return fail(ctx, "invalidRequest", error.message);
    throw error;
  }
}

const get: Handler = (ctx) => {
  const id = ctx.pathParams.id ?? "";
  const profile = load(ctx, id);
  if (!profile) return notFound(ctx, id);
  countRead(profile, lifecycleContext(ctx.state, profile, ctx.now));
  return jsonResponse(200, renderProfile(ctx, profile, true));
};

const status: Handler = (ctx) => {
  const id = ctx.pathParams.id ?? "";
  const profile = load(ctx, id);
  if (!profile) return notFound(ctx, id);
  countRead(profile, lifecycleContext(ctx.state, profile, ctx.now));
  return jsonResponse(200, renderStatus(ctx, profile));
};

function change(
  ctx: OperationContext,
  id: string,
  next: Partial<CreateRequest>,
  answer: (profile: StoredProfile) => SimulatorResponse,
) {
  const profile = load(ctx, id);
  if (!profile) return notFound(ctx, id);
  const rule = businessRuleViolation(ctx, next);
  if (rule) return fail(ctx, "invalidRequest", rule);
  const result = fireProfileEvent(profile, "update", lifecycleContext(ctx.state, profile, ctx.now));
  return conflictOr(ctx, result, () => {
    profile.resource = applyServiceDefaults({ ...profile.resource, ...next } as CreateRequest);
    return answer(profile);
  });
}

const replace: Handler = (ctx) => {
  const { id, state: _ignoredState, "@odata.context": _ignoredContext, ...writable } = ctx.body as ReplaceRequest;
  return change(ctx, id, writable, (profile) => jsonResponse(202, renderProfile(ctx, profile, false)));
};

const update: Handler = (ctx) => change(ctx, ctx.pathParams.id ?? "", ctx.body as UpdateRequest, () => noContent(204));

const remove: Handler = (ctx) => {
  const id = ctx.pathParams.id ?? "";
  const profile = load(ctx, id);
  if (!profile) return notFound(ctx, id);
  return conflictOr(ctx, fireProfileEvent(profile, "delete", lifecycleContext(ctx.state, profile, ctx.now)), () =>
    noContent(202),
  );
};

function syncEvent(event: "pause" | "resume" | "reset"): Handler {
  return (ctx) => {
    const id = ctx.pathParams.id ?? "";
    const profile = load(ctx, id);
    if (!profile) return notFound(ctx, id);
    return conflictOr(ctx, fireSyncEvent(profile, event, lifecycleContext(ctx.state, profile, ctx.now)), () =>
      noContent(200),
    );
  };
}

function documentedExample(state: SimulatorState, operationId: string, status: string, name: string): unknown {
  const media = jsonContent(state.validators.operation(operationId).responses[status]?.content);
  return structuredClone((media?.examples?.[name] as { value: unknown } | undefined)?.value);
}

const start: Handler = (ctx) => {
  const id = ctx.pathParams.id ?? "";
  const profile = load(ctx, id);
  if (!profile) return notFound(ctx, id);
  if (!isCsvProvider(profile.resource)) {
    return fail(
      ctx,
      "notSupported",
      "Start is only supported for profiles with a CSV data provider; API providers sync by themselves.",
    );
  }
  const context = `${ctx.serviceRoot}/$metadata#education/Collection(microsoft.graph.verificationMessage)`;
  const messages = (
    documentedExample(ctx.state, "startSynchronizationProfile", "400", "verification-errors") as {
      value: { type: string }[];
    }
  ).value;
  if (
    profile.state === "provisioned" &&
    profile.scenario.verification === "errors" &&
    !["extracting", "validating", "inProgress"].includes(profile.sync.status)
  ) {
    return jsonResponse(400, { "@odata.context": context, value: messages });
  }
  const result = fireSyncEvent(profile, "start", lifecycleContext(ctx.state, profile, ctx.now));
  return conflictOr(ctx, result, () =>
    jsonResponse(200, {
      "@odata.context": context,
      value: profile.scenario.verification === "warnings" ? messages.filter((m) => m.type === "Warning") : [],
    }),
  );
};

const uploadUrl: Handler = (ctx) => {
  const id = ctx.pathParams.id ?? "";
  const profile = load(ctx, id);
  if (!profile) return notFound(ctx, id);
  if (!isCsvProvider(profile.resource)) {
    return fail(ctx, "notSupported", "An upload URL is only available for profiles with a CSV data provider.");
  }
  if (profile.state !== "provisioned") {
    return fail(
      ctx,
      "conflict",
      `Synchronization profile conflict: the profile is ${profile.state}; an upload URL needs it provisioned.`,
    );
  }
  if (ctx.now < profile.uploadUrlBusyUntil) {
    return fail(ctx, "conflict", "A previous request for an upload URL is still being processed. Retry later.");
  }
  profile.uploadUrlBusyUntil = ctx.now + (ctx.state.options.uploadUrlProcessingMs ?? 1000);
  const expires = new Date(ctx.now + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const signature = Buffer.from(ctx.state.random.uuid()).toString("base64");
  const sas = `https://sdsstorage.blob.core.windows.net/${profile.id}?sv=2023-11-03&sr=c&sig=${encodeURIComponent(signature)}&se=${encodeURIComponent(expires)}&sp=w`;
  return jsonResponse(Number(ctx.operation.servedStatus ?? 200), {
    "@odata.context": `${ctx.serviceRoot}/$metadata#String`,
    value: sas,
  });
};

const errors: Handler = (ctx) => {
  const id = ctx.pathParams.id ?? "";
  const profile = load(ctx, id);
  if (!profile) return notFound(ctx, id);
  return paged(
    ctx,
    profile.errors,
    `${ctx.serviceRoot}/$metadata#education/synchronizationProfiles/${profile.id}/errors`,
    {
      filter: ["entryType", "errorCode", "joiningValue"],
      orderBy: ["recordedDateTime", "entryType", "joiningValue"],
    },
  );
};

/** One handler per operation of the spec; the type makes a missing one a compile error. */
export const operationHandlers: Record<OperationId, Handler> = {
  listSynchronizationProfiles: list,
  createSynchronizationProfile: create,
  replaceSynchronizationProfile: replace,
  getSynchronizationProfile: get,
  updateSynchronizationProfile: update,
  deleteSynchronizationProfile: remove,
  getSynchronizationProfileStatus: status,
  pauseSynchronizationProfile: syncEvent("pause"),
  resumeSynchronizationProfile: syncEvent("resume"),
  resetSynchronizationProfile: syncEvent("reset"),
  startSynchronizationProfile: start,
  getSynchronizationProfileUploadUrl: uploadUrl,
  listSynchronizationErrors: errors,
};
