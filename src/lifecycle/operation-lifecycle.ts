import type { OperationId } from "../../generated/route-table.js";
import type { LifecycleEvent, ProfileState, SyncStatus } from "./vocabulary.js";

/** What an operation means to a profile's lifecycle. */
export interface OperationLifecycle {
  /** The event it fires on the profile it names; none for a read or a list. */
  event?: LifecycleEvent;
  /** Only a CSV profile takes it; any other answers 400 `notSupported` (decisions.md#csv-only). */
  csvOnly?: true;
  /** What the sync must be for it to succeed, as a pact's setup seeds a profile for it. */
  needsSync?: SyncStatus;
  /** A state it is refused in with 409, as a pact's setup seeds a profile for an expected 409. */
  conflictsIn?: ProfileState;
}

/**
 * Every operation's place in the lifecycle, keyed by the spec's operation ids: an operation added to
 * the spec is a compile error here until it has a row. test/lifecycle/operation-lifecycle.test.ts
 * holds each row to the simulator's tables: the event is refused in `conflictsIn` and taken in
 * `needsSync`.
 */
export const operationLifecycle: Readonly<Record<OperationId, OperationLifecycle>> = {
  listSynchronizationProfiles: {},
  createSynchronizationProfile: { event: "create" },
  replaceSynchronizationProfile: { event: "update", conflictsIn: "deleting" },
  getSynchronizationProfile: {},
  updateSynchronizationProfile: { event: "update", conflictsIn: "deleting" },
  deleteSynchronizationProfile: { event: "delete", conflictsIn: "deleting" },
  getSynchronizationProfileStatus: {},
  pauseSynchronizationProfile: { event: "pause", needsSync: "inProgress", conflictsIn: "provisioning" },
  // Resume and reset need a sync that ran (decisions.md#sync-status-before-start).
  resumeSynchronizationProfile: { event: "resume", needsSync: "paused", conflictsIn: "provisioning" },
  resetSynchronizationProfile: { event: "reset", needsSync: "success", conflictsIn: "provisioning" },
  startSynchronizationProfile: { event: "start", csvOnly: true, conflictsIn: "provisioning" },
  getSynchronizationProfileUploadUrl: { csvOnly: true, conflictsIn: "provisioning" },
  listSynchronizationErrors: {},
};
