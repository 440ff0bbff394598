import type { components } from "../../generated/types.js";
import { isRunningSyncStatus } from "../../src/lifecycle/vocabulary.js";
import type { ProfileState } from "./lifecycle.js";
import type { ProfileResource, StoredProfile } from "./store.js";

type Schemas = components["schemas"];

/** How a response is rendered for one request. */
export interface RenderContext {
  /** `Prefer: include-unknown-enum-members`: evolvable enum members are sent as they are. */
  includeUnknownEnumMembers: boolean;
  /** The spec's evolvable enum members, sent as `unknownFutureValue` to a client that did not opt in. */
  evolvable: ReadonlySet<string>;
  /** `http://host:port/beta`: where `@odata.context` and next links point. */
  serviceRoot: string;
}

/** Graph sends members after `unknownFutureValue` only to clients that ask for them. */
function evolve<T extends string | null | undefined>(ctx: RenderContext, value: T): T {
  return (
    !ctx.includeUnknownEnumMembers && typeof value === "string" && ctx.evolvable.has(value)
      ? "unknownFutureValue"
      : value
  ) as T;
}

/** A stored profile's state; the store never holds one that is absent. */
export function visibleState(profile: StoredProfile): ProfileState {
  if (profile.state === "absent") throw new Error(`profile ${profile.id} is absent but still stored`);
  return profile.state;
}

/**
 * The stored resource without its secrets: `clientSecret` is write-only (decisions.md#secrets); it
 * is kept, so that an update may leave it out, and never sent back.
 */
function withoutSecrets(resource: ProfileResource): ProfileResource {
  const provider = resource.dataProvider as Record<string, unknown>;
  const settings = provider.connectionSettings as Record<string, unknown> | undefined;
  if (!("clientSecret" in provider) && !(settings && "clientSecret" in settings)) return resource;
  const { clientSecret: _provider, ...publicProvider } = provider;
  if (settings) {
    const { clientSecret: _settings, ...publicSettings } = settings;
    publicProvider.connectionSettings = publicSettings;
  }
  return { ...resource, dataProvider: publicProvider as ProfileResource["dataProvider"] };
}

export function renderProfile(
  ctx: RenderContext,
  profile: StoredProfile,
  withContext: boolean,
): Schemas["EducationSynchronizationProfile"] {
  const { displayName, ...rest } = withoutSecrets(profile.resource);
  const rendered: Schemas["EducationSynchronizationProfile"] = {
    ...(withContext
      ? { "@odata.context": `${ctx.serviceRoot}/$metadata#education/synchronizationProfiles/$entity` }
      : {}),
    displayName,
    state: visibleState(profile),
    id: profile.id,
    ...rest,
  };
  // Copies are made only where an evolvable role has to be hidden, which few profiles have.
  if (!ctx.includeUnknownEnumMembers && hasEvolvableRole(profile.resource, ctx.evolvable)) {
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

function hasEvolvableRole(resource: ProfileResource, evolvable: ReadonlySet<string>): boolean {
  const identity = resource.identitySynchronizationConfiguration as RoleHolders;
  return [
    ...(identity.userDomains ?? []),
    ...(identity.matchingOptions ?? []),
    ...(resource.licensesToAssign ?? []),
  ].some((item) => typeof item.appliesTo === "string" && evolvable.has(item.appliesTo));
}

/**
 * What `lastSynchronizationDateTime` reads while a sync runs: the service answered the year-1
 * default, and production code branched on it (decisions.md#running-sync-sentinel).
 */
export const runningSyncSentinel = "0001-01-01T00:00:00Z";

export function renderStatus(
  ctx: RenderContext,
  profile: StoredProfile,
): Schemas["EducationSynchronizationProfileStatus"] {
  const state = visibleState(profile);
  return {
    "@odata.context": `${ctx.serviceRoot}/$metadata#education/synchronizationProfiles/${profile.id}/profileStatus/$entity`,
    id: profile.id,
    status: evolve(ctx, profile.sync.status),
    lastSynchronizationDateTime: isRunningSyncStatus(profile.sync.status)
      ? runningSyncSentinel
      : profile.sync.lastSynchronizationDateTime,
    lastActivityDateTime: profile.sync.lastActivityDateTime,
    errorCount: profile.errorCount,
    statusMessage: state === "provisioned" ? (profile.sync.statusMessage ?? "") : `The profile is ${state}.`,
  };
}
