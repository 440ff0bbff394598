import type { components } from "../../generated/types.js";

/**
 * The lifecycle's words, in one place: a profile's states and its sync's statuses (the spec's
 * enums, held to the generated types both ways), the sets the kit's parts branch on, and the events
 * that move a profile from one to another. The simulator's tables (mocks/simulator/lifecycle.ts) say what each event does;
 * everything else that needs to know a state reads it from here.
 */

type Schemas = components["schemas"];
/** A profile's `state`: the spec's enum but Graph's sentinel `unknownFutureValue`, which no profile is in. */
export type ProfileState = Exclude<Schemas["EducationSynchronizationProfileState"], "unknownFutureValue">;
/** A sync's `status` (`profileStatus.status`): the spec's enum but the sentinel. */
export type SyncStatus = Exclude<Schemas["EducationSynchronizationStatus"], "unknownFutureValue">;

/**
 * Lists the whole of a union, in order: a member left out, or one the union does not have, is a
 * compile error, so a state added to the spec's enum must be added here (in its place) too.
 */
const everyMemberOf =
  <Union extends string>() =>
  <const Listed extends readonly Union[]>(
    listed: Listed &
      ([Exclude<Union, Listed[number]>] extends [never] ? unknown : { missing: Exclude<Union, Listed[number]> }),
  ): readonly Union[] =>
    listed;

/** In the spec's order (spec/openapi.yaml, EducationSynchronizationProfileState). */
export const profileStates = everyMemberOf<ProfileState>()([
  "deleting",
  "deletionFailed",
  "provisioningFailed",
  "provisioned",
  "provisioning",
]);
/** In the spec's order (EducationSynchronizationStatus), the evolvable `extracting` and `validating` last. */
export const syncStatuses = everyMemberOf<SyncStatus>()([
  "paused",
  "inProgress",
  "success",
  "error",
  "validationError",
  "quarantined",
  "extracting",
  "validating",
]);

export const isProfileState = (value: unknown): value is ProfileState =>
  (profileStates as readonly unknown[]).includes(value);
export const isSyncStatus = (value: unknown): value is SyncStatus =>
  (syncStatuses as readonly unknown[]).includes(value);

/** Where provisioning ends: what a client polls for after create (`waitForProvisioning`, conform). */
export const provisioningOutcomes = ["provisioned", "provisioningFailed"] as const satisfies readonly ProfileState[];
export type ProvisioningOutcome = (typeof provisioningOutcomes)[number];
/** The states a profile leaves by itself, on the clock: provisioning and deleting. */
export const passingProfileStates = ["provisioning", "deleting"] as const satisfies readonly ProfileState[];

/** A sync that runs: it moves on by itself, phase by phase, to its outcome. */
export const runningSyncStatuses = ["extracting", "validating", "inProgress"] as const satisfies readonly SyncStatus[];
/** A sync that ended in failure, with sync errors recorded. */
export const failedSyncStatuses = ["error", "validationError", "quarantined"] as const satisfies readonly SyncStatus[];
export type FailedSyncStatus = (typeof failedSyncStatuses)[number];
/** Where a sync stays until asked: every status but a running one (`waitForSync`). */
export const settledSyncStatuses: readonly SyncStatus[] = syncStatuses.filter(
  (status) => !(runningSyncStatuses as readonly SyncStatus[]).includes(status),
);

export type RunningSyncStatus = (typeof runningSyncStatuses)[number];
export const isRunningSyncStatus = (status: unknown): status is RunningSyncStatus =>
  (runningSyncStatuses as readonly unknown[]).includes(status);
export const isFailedSyncStatus = (status: unknown): status is FailedSyncStatus =>
  (failedSyncStatuses as readonly unknown[]).includes(status);

/** What happens to a profile: asked for by a client, or fired by the clock. */
export const profileEvents = [
  "create",
  "finishProvisioning",
  "failProvisioning",
  "update",
  "delete",
  "finishDeletion",
  "failDeletion",
] as const;
/** What happens to its sync. */
export const syncEvents = [
  "start",
  "pause",
  "resume",
  "reset",
  "advancePhase",
  "succeed",
  "fail",
  "failValidation",
  "quarantine",
] as const;
export type ProfileEvent = (typeof profileEvents)[number];
export type SyncEvent = (typeof syncEvents)[number];
export type LifecycleEvent = ProfileEvent | SyncEvent;

/** The events the clock fires; which one is scheduled is decided when it is scheduled. */
export type TimedEvent = Extract<
  LifecycleEvent,
  | "finishProvisioning"
  | "failProvisioning"
  | "finishDeletion"
  | "failDeletion"
  | "advancePhase"
  | "succeed"
  | "fail"
  | "failValidation"
  | "quarantine"
>;

export const isProfileEvent = (event: LifecycleEvent): event is ProfileEvent =>
  (profileEvents as readonly string[]).includes(event);

/** Each event as a conflict names it: "the profile is deleting; an update is not possible in that state". */
export const eventNames: Readonly<Record<LifecycleEvent, string>> = {
  create: "creating it",
  finishProvisioning: "finishing provisioning",
  failProvisioning: "failing provisioning",
  update: "an update",
  delete: "deleting it",
  finishDeletion: "finishing deletion",
  failDeletion: "failing deletion",
  start: "start",
  pause: "pause",
  resume: "resume",
  reset: "reset",
  advancePhase: "moving to the next phase",
  succeed: "finishing the sync",
  fail: "failing the sync",
  failValidation: "pausing the sync for validation errors",
  quarantine: "quarantining the sync",
};
