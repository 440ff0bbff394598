import {
  absentRecord,
  type FireResult,
  fire,
  type LifecycleContext,
  type LifecycleEvent,
  settle,
} from "./lifecycle.js";
import { applyServiceDefaults, type CreateRequest, isCsvProvider } from "./profile-defaults.js";
import type { Scenario } from "./scenarios.js";
import type { SimulatorState } from "./simulator-state.js";
import type { StoredProfile, StoreSession } from "./store.js";
import { generateSyncErrors } from "./sync-errors.js";

/** The lifecycle applied to a stored profile: its errors are recorded in it, its time is the simulator's. */
export function lifecycleContext(
  state: SimulatorState,
  profile: StoredProfile,
  at: number,
  errorCount?: number,
): LifecycleContext {
  return {
    at,
    timing: state.timing,
    recordErrors: (count, when) => {
      const limit = state.store.limits.maxErrorsPerProfile;
      // A sync of uploaded files records what their records produced; otherwise the scenario's count.
      profile.errors = profile.fileSyncErrors
        ? profile.fileSyncErrors.slice(0, limit).map((error, index) => ({
            id: state.random.uuid().toUpperCase(),
            ...error,
            recordedDateTime: new Date(when + index).toISOString(),
          }))
        : generateSyncErrors(state.random, profile, Math.min(count, limit), when);
      return profile.errors.length;
    },
    clearErrors: () => {
      profile.errors = [];
    },
    ...(errorCount === undefined ? {} : { errorCount }),
  };
}

/** Fires one event of the lifecycle table on a stored profile, at `at`. */
export function fireAt(state: SimulatorState, profile: StoredProfile, event: LifecycleEvent, at: number): FireResult {
  return fire(profile, event, lifecycleContext(state, profile, at));
}

/** The profile with every transition due by `now` applied, or undefined if it does not exist (any more). */
export async function loadProfile(
  state: SimulatorState,
  session: StoreSession,
  tenant: string,
  id: string,
  now: number,
): Promise<StoredProfile | undefined> {
  const profile = await session.get(tenant, id);
  return profile && settleLoaded(state, session, profile, now);
}

/** A profile just read, with every transition due by `now` applied; gone (and removed) once deletion finished. */
export async function settleLoaded(
  state: SimulatorState,
  session: StoreSession,
  profile: StoredProfile,
  now: number,
): Promise<StoredProfile | undefined> {
  settle(profile, now, (at) => lifecycleContext(state, profile, at));
  if (profile.state !== "absent") return profile;
  await session.remove(profile.tenant, profile.id);
  return undefined;
}

/** A profile that has not been created yet: the service's defaults filled in, its lifecycle at `absent`. */
export function newProfile(fields: {
  id: string;
  tenant: string;
  request: CreateRequest;
  scenario: Scenario;
  provisioningReads?: number;
}): StoredProfile {
  const resource = applyServiceDefaults(fields.request);
  const lifecycle = absentRecord(fields.scenario, !isCsvProvider(resource), fields.provisioningReads);
  return Object.assign(lifecycle, {
    id: fields.id,
    tenant: fields.tenant,
    resource,
    errors: [],
    uploadUrlBusyUntil: 0,
  });
}
