import type { Operation, OperationId } from "../../generated/route-table.js";
import type { components } from "../../generated/types.js";
import type { RoleDomains } from "../../src/csv/sync-roster.js";
import type { OptionalPropertiesToSync } from "../../src/csv/verify-roster.js";
import type { ResponseIds } from "../../src/graph/graph-error-catalogue.js";
import { errorResponse, type GraphResponse, jsonResponse, noContent } from "../../src/graph/graph-responses.js";
import { type Projection, projectBody } from "../../src/graph/query-options.js";
import { isRunningSyncStatus } from "../../src/lifecycle/vocabulary.js";
import { jsonContent } from "../../src/spec/spec-operations.js";
import { businessRuleViolation } from "./business-rules.js";
import { countRead, type FireResult, type LifecycleEvent } from "./lifecycle.js";
import { ODataQueryError, page } from "./odata.js";
import { applyServiceDefaults, type CreateRequest, isCsvProvider } from "./profile-defaults.js";
import { fireAt, lifecycleContext, loadProfile, newProfile, settleLoaded } from "./profile-lifecycle.js";
import { type RenderContext, renderProfile, renderStatus } from "./rendering.js";
import { ScenarioError, scenarioFor } from "./scenarios.js";
import type { SimulatorState } from "./simulator-state.js";
import { type StoredProfile, StoreLimitError, type StoreSession } from "./store.js";

type Schemas = components["schemas"];
type ReplaceRequest = Schemas["EducationSynchronizationProfileReplace"];
type UpdateRequest = Schemas["EducationSynchronizationProfileUpdate"];

/** One request, as an operation's handler reads it: checked, authenticated, and for one tenant. */
export interface OperationContext extends RenderContext {
  state: SimulatorState;
  /** The request's session with the store: what it reads, it may change, until it answers. */
  session: StoreSession;
  tenant: string;
  operation: Operation;
  pathParams: Record<string, string>;
  /** The request's URL, every system query option in its `$` form. */
  url: URL;
  /** What `$select` and `$expand` ask to see (undefined: the whole entity). */
  projection: Projection | undefined;
  body: unknown;
  header(name: string): string | null;
  now: number;
  ids: ResponseIds;
}

type Answer = GraphResponse | Promise<GraphResponse>;
type Handler = (ctx: OperationContext) => Answer;

const fail = (ctx: OperationContext, name: Parameters<typeof errorResponse>[0], detail: string) =>
  errorResponse(name, detail, ctx.ids);
const notFound = (ctx: OperationContext, id: string) =>
  fail(ctx, "itemNotFound", `Synchronization profile '${id}' was not found.`);

/** The profile the path names, settled to now; or the 404. */
async function withProfile(ctx: OperationContext, answer: (profile: StoredProfile) => Answer): Promise<GraphResponse> {
  const id = ctx.pathParams.id ?? "";
  const profile = await loadProfile(ctx.state, ctx.session, ctx.tenant, id, ctx.now);
  return profile ? answer(profile) : notFound(ctx, id);
}

/** Fires a lifecycle event; a state that does not allow it is a 409 naming the state. */
function fireOr(
  ctx: OperationContext,
  profile: StoredProfile,
  event: LifecycleEvent,
  success: () => GraphResponse,
): GraphResponse {
  const result: FireResult = fireAt(ctx.state, profile, event, ctx.now);
  return result.ok ? success() : fail(ctx, "conflict", `Synchronization profile conflict: ${result.conflict}.`);
}

const create: Handler = async (ctx) => {
  // Stored, and answered, with every @odata.type in its canonical spelling (decisions.md#odata-type-spellings).
  const request = ctx.state.validators.canonicalize(ctx.body as CreateRequest);
  const rule = businessRuleViolation(request, ctx.now);
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
  const profile = newProfile({
    id: state.newProfileId(),
    tenant: ctx.tenant,
    request,
    scenario,
    ...(state.options.provisioningReads === undefined ? {} : { provisioningReads: state.options.provisioningReads }),
  });
  try {
    await ctx.session.add(profile);
  } catch (error) {
    if (error instanceof StoreLimitError) return fail(ctx, "quotaLimitReached", error.message);
    throw error;
  }
  return fireOr(ctx, profile, "create", () =>
    jsonResponse(Number(ctx.operation.servedStatus ?? 202), renderProfile(ctx, profile, false)),
  );
};

/** A 200 body shaped by `$select` and `$expand` (decisions.md#select). */
function shaped(ctx: OperationContext, body: Record<string, unknown>): GraphResponse {
  return jsonResponse(200, ctx.projection ? projectBody(body, ctx.projection) : body);
}

/** A profile as rendered, with the navigation properties `$expand` asks for. */
function expandedProfile(ctx: OperationContext, profile: StoredProfile, withContext: boolean): Record<string, unknown> {
  const rendered: Record<string, unknown> = renderProfile(ctx, profile, withContext);
  for (const navigation of ctx.projection?.expand ?? []) {
    if (navigation === "profileStatus") {
      const { "@odata.context": _context, ...status } = renderStatus(ctx, profile);
      rendered.profileStatus = status;
    } else if (navigation === "errors") rendered.errors = profile.errors.slice(0, expandedErrorsLimit);
  }
  return rendered;
}

/** How many errors an expanded profile carries: one page's worth (decisions.md#select). */
const expandedErrorsLimit = 100;

const list: Handler = async (ctx) => {
  const profiles: Record<string, unknown>[] = [];
  for (const stored of await ctx.session.list(ctx.tenant)) {
    const profile = await settleLoaded(ctx.state, ctx.session, stored, ctx.now);
    if (profile) profiles.push(expandedProfile(ctx, profile, false));
  }
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
): GraphResponse {
  try {
    const result = page(rows, ctx.url, properties);
    return shaped(ctx, {
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

const get: Handler = (ctx) =>
  withProfile(ctx, (profile) => {
    countRead(profile, lifecycleContext(ctx.state, profile, ctx.now));
    return shaped(ctx, expandedProfile(ctx, profile, true));
  });

const status: Handler = (ctx) =>
  withProfile(ctx, (profile) => {
    countRead(profile, lifecycleContext(ctx.state, profile, ctx.now));
    return shaped(ctx, renderStatus(ctx, profile));
  });

async function change(
  ctx: OperationContext,
  id: string,
  next: Partial<CreateRequest>,
  answer: (profile: StoredProfile) => GraphResponse,
): Promise<GraphResponse> {
  const profile = await loadProfile(ctx.state, ctx.session, ctx.tenant, id, ctx.now);
  if (!profile) return notFound(ctx, id);
  const rule = businessRuleViolation(next, ctx.now);
  if (rule) return fail(ctx, "invalidRequest", rule);
  return fireOr(ctx, profile, "update", () => {
    const changes = ctx.state.validators.canonicalize(next);
    profile.resource = applyServiceDefaults({ ...profile.resource, ...changes } as CreateRequest);
    return answer(profile);
  });
}

const replace: Handler = (ctx) => {
  const { id, state: _ignoredState, "@odata.context": _ignoredContext, ...writable } = ctx.body as ReplaceRequest;
  return change(ctx, id, writable, (profile) => jsonResponse(202, renderProfile(ctx, profile, false)));
};

const update: Handler = (ctx) => change(ctx, ctx.pathParams.id ?? "", ctx.body as UpdateRequest, () => noContent(204));

const remove: Handler = (ctx) =>
  withProfile(ctx, async (profile) => {
    const answer = fireOr(ctx, profile, "delete", () => noContent(202));
    // The profile's uploaded files go with it.
    if (answer.status === 202) await ctx.state.uploads.deleteContainer({ tenant: ctx.tenant, profileId: profile.id });
    return answer;
  });

function syncAction(event: "pause" | "resume" | "reset"): Handler {
  return (ctx) => withProfile(ctx, (profile) => fireOr(ctx, profile, event, () => noContent(200)));
}

function documentedExample(state: SimulatorState, operationId: string, status: string, name: string): unknown {
  const media = jsonContent(state.validators.operation(operationId).responses[status]?.content);
  return structuredClone((media?.examples?.[name] as { value: unknown } | undefined)?.value);
}

const start: Handler = (ctx) =>
  withProfile(ctx, (profile) => {
    if (!isCsvProvider(profile.resource)) {
      return fail(
        ctx,
        "notSupported",
        "Start is only supported for profiles with a CSV data provider; API providers sync by themselves.",
      );
    }
    const context = `${ctx.serviceRoot}/$metadata#education/Collection(microsoft.graph.verificationMessage)`;
    if (ctx.state.uploads.real) return startWithUploadedFiles(ctx, profile, context);
    const messages = (
      documentedExample(ctx.state, "startSynchronizationProfile", "400", "verification-errors") as {
        value: { type: string }[];
      }
    ).value;
    if (
      profile.state === "provisioned" &&
      profile.scenario.verification === "errors" &&
      !isRunningSyncStatus(profile.sync.status)
    ) {
      return jsonResponse(400, { "@odata.context": context, value: messages });
    }
    return fireOr(ctx, profile, "start", () =>
      jsonResponse(200, {
        "@odata.context": context,
        value: profile.scenario.verification === "warnings" ? messages.filter((m) => m.type === "Warning") : [],
      }),
    );
  });

/**
 * Start, where uploads are real: the files in the profile's container are verified by the rules
 * of the SDS v1 CSV format (src/csv), any error answers 400 and nothing starts, warnings alone
 * answer 200 and the sync runs on the records, recording the sync errors they produce.
 */
async function startWithUploadedFiles(
  ctx: OperationContext,
  profile: StoredProfile,
  context: string,
): Promise<GraphResponse> {
  const running = isRunningSyncStatus(profile.sync.status);
  // A profile that cannot start (not provisioned, a sync running) is a conflict before any file is read.
  if (profile.state !== "provisioned" || running)
    return fireOr(ctx, profile, "start", () => jsonResponse(200, { "@odata.context": context, value: [] }));
  // The CSV rules (and csv-parse) load with the first start that reads files, not with the simulator.
  const [{ verifyRoster, verificationStatus }, { syncRoster }, files] = await Promise.all([
    import("../../src/csv/verify-roster.js"),
    import("../../src/csv/sync-roster.js"),
    ctx.state.uploads.readFiles({ tenant: ctx.tenant, profileId: profile.id }),
  ]);
  const verification = verifyRoster(files, { optionalPropertiesToSync: optionalPropertiesOf(profile) });
  if (verificationStatus(verification.messages) === 400 || !verification.roster)
    return jsonResponse(400, { "@odata.context": context, value: verification.messages });
  const synced = syncRoster(verification.roster, {
    handleSpecialCharacterConstraint: profile.resource.handleSpecialCharacterConstraint ?? null,
    domains: roleDomainsOf(profile),
    at: new Date(ctx.now),
  });
  // At the error limit the sync stops and the profile is quarantined (sds-csv §10 [D ONBOARD]).
  const outcome = synced.quarantined ? "quarantined" : synced.errors.length > 0 ? "error" : "success";
  profile.fromFiles = { outcome, processed: synced.processed };
  profile.fileSyncErrors = synced.errors;
  return fireOr(ctx, profile, "start", () =>
    jsonResponse(200, { "@odata.context": context, value: verification.messages }),
  );
}

/** The domain each role's accounts take: identity creation's `userDomains`, identity matching's `targetDomain`. */
function roleDomainsOf(profile: StoredProfile): RoleDomains {
  const identity = profile.resource.identitySynchronizationConfiguration as {
    userDomains?: { appliesTo?: string; name?: string }[] | null;
    matchingOptions?: { appliesTo?: string; targetDomain?: string | null }[] | null;
  };
  const domains: RoleDomains = {};
  for (const role of ["student", "teacher"] as const) {
    const domain =
      identity.userDomains?.find((d) => d.appliesTo === role)?.name ??
      identity.matchingOptions?.find((o) => o.appliesTo === role)?.targetDomain ??
      undefined;
    if (domain) domains[role] = domain;
  }
  return domains;
}

/** `dataProvider.customizations.<kind>.optionalPropertiesToSync`, which decide what optional columns are read. */
function optionalPropertiesOf(profile: StoredProfile): OptionalPropertiesToSync {
  const customizations = (profile.resource.dataProvider as { customizations?: Record<string, unknown> | null })
    .customizations;
  const of = (kind: string) => {
    const value = (customizations?.[kind] as { optionalPropertiesToSync?: string[] | null } | null | undefined)
      ?.optionalPropertiesToSync;
    return value ?? null;
  };
  return { school: of("school"), section: of("section"), student: of("student"), teacher: of("teacher") };
}

const uploadUrl: Handler = (ctx) =>
  withProfile(ctx, async (profile) => {
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
    const wasBusyUntil = profile.uploadUrlBusyUntil;
    profile.uploadUrlBusyUntil = ctx.now + (ctx.state.options.uploadUrlProcessingMs ?? 1000);
    let sas: string;
    try {
      sas = await ctx.state.uploads.uploadUrl(
        { tenant: ctx.tenant, profileId: profile.id },
        ctx.now,
        ctx.state.options.uploadUrlValidityMs ?? 3_600_000,
      );
    } catch (error) {
      // No URL was handed out: a retry is not "still being processed".
      profile.uploadUrlBusyUntil = wasBusyUntil;
      throw error;
    }
    return jsonResponse(Number(ctx.operation.servedStatus ?? 200), {
      "@odata.context": `${ctx.serviceRoot}/$metadata#String`,
      value: sas,
    });
  });

const errors: Handler = (ctx) =>
  withProfile(ctx, (profile) =>
    paged(ctx, profile.errors, `${ctx.serviceRoot}/$metadata#education/synchronizationProfiles/${profile.id}/errors`, {
      filter: ["entryType", "errorCode", "joiningValue"],
      orderBy: ["recordedDateTime", "entryType", "joiningValue"],
    }),
  );

/** One handler per operation of the spec; the type makes a missing one a compile error. */
export const operationHandlers: Record<OperationId, Handler> = {
  listSynchronizationProfiles: list,
  createSynchronizationProfile: create,
  replaceSynchronizationProfile: replace,
  getSynchronizationProfile: get,
  updateSynchronizationProfile: update,
  deleteSynchronizationProfile: remove,
  getSynchronizationProfileStatus: status,
  pauseSynchronizationProfile: syncAction("pause"),
  resumeSynchronizationProfile: syncAction("resume"),
  resetSynchronizationProfile: syncAction("reset"),
  startSynchronizationProfile: start,
  getSynchronizationProfileUploadUrl: uploadUrl,
  listSynchronizationErrors: errors,
};
