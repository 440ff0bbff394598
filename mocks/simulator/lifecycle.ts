import type { Scenario } from "./scenarios.js";

/**
 * The lifecycle of a synchronization profile, as data: for each state, the events it accepts,
 * where each leads, and what happens on the way. Two machines: the profile's `state` (the
 * documented provisioning and deletion states) and, once it is provisioned, its sync `status`.
 * An event a state does not list is a conflict (409) naming the state.
 */

export type ProfileState = "provisioning" | "provisioned" | "provisioningFailed" | "deleting" | "deletionFailed";
export type SyncStatus =
  | "paused"
  | "extracting"
  | "validating"
  | "inProgress"
  | "success"
  | "error"
  | "validationError"
  | "quarantined";

export type ProfileEvent = "provisioningElapsed" | "update" | "delete" | "deletionElapsed";
export type SyncEvent = "start" | "pause" | "resume" | "reset" | "phaseElapsed";
export type TimedEvent = Extract<ProfileEvent | SyncEvent, `${string}Elapsed`>;

export interface SyncRecord {
  status: SyncStatus;
  /** Whether a sync ever ran: a CSV profile waits for `start`; API providers start by themselves. */
  started: boolean;
  /** Where `resume` goes back to after `pause`. */
  resumeTo: SyncStatus | undefined;
  lastSynchronizationDateTime: string | null;
  lastActivityDateTime: string | null;
  statusMessage: string | null;
}

export interface LifecycleRecord {
  state: ProfileState;
  sync: SyncRecord;
  scenario: Scenario;
  /** CSV profiles need `start`; PowerSchool and OneRoster profiles sync by themselves. */
  selfStarting: boolean;
  /** The next timed transition, applied when the clock reaches it. */
  due: { event: TimedEvent; at: number } | undefined;
  /** Reads left before provisioning completes, when the simulator counts reads. */
  readsLeft: number | undefined;
  /** Set when deletion completes: the profile is gone. */
  removed: boolean;
  errorCount: number;
}

export interface Timing {
  provisioningMs: number;
  syncPhaseMs: number;
  deletionMs: number;
}

export interface LifecycleContext {
  /** When the event happens (for a timed event, when it was due). */
  at: number;
  timing: Timing;
  /** Records `count` sync errors at `at` and returns how many are kept. */
  recordErrors(count: number, at: number): number;
  clearErrors(): void;
}

type Effect = (record: LifecycleRecord, ctx: LifecycleContext) => void;
interface Transition<S extends string> {
  to: S | ((record: LifecycleRecord) => S | "removed");
  effect?: Effect;
  /** Accepted but changes nothing (pausing a paused sync). */
  noop?: true;
}
type Machine<S extends string, E extends string> = Record<S, Partial<Record<E, Transition<S>>>>;

const iso = (ms: number) => new Date(ms).toISOString();
const schedule = (record: LifecycleRecord, event: TimedEvent, at: number) => {
  record.due = { event, at };
};

// ---------------------------------------------------------------- profile machine

const startProvisioning: Effect = (record, ctx) =>
  schedule(record, "provisioningElapsed", ctx.at + ctx.timing.provisioningMs);
const startDeletion: Effect = (record, ctx) => schedule(record, "deletionElapsed", ctx.at + ctx.timing.deletionMs);

const finishProvisioning: Effect = (record, ctx) => {
  record.due = undefined;
  record.readsLeft = undefined;
  if (record.state !== "provisioned") return;
  if (record.selfStarting) {
    startSync(record, ctx);
  } else {
    Object.assign(record.sync, {
      status: "paused",
      started: false,
      resumeTo: undefined,
      statusMessage: "Waiting for files: get an upload URL, upload the CSV files, then call start.",
    });
  }
};

export const profileMachine: Machine<ProfileState, ProfileEvent> = {
  provisioning: {
    provisioningElapsed: { to: (r) => r.scenario.provisioning, effect: finishProvisioning },
    update: { to: "provisioning", effect: startProvisioning },
    delete: { to: "deleting", effect: startDeletion },
  },
  provisioned: {
    update: { to: "provisioning", effect: startProvisioning },
    delete: { to: "deleting", effect: startDeletion },
  },
  provisioningFailed: {
    update: { to: "provisioning", effect: startProvisioning },
    delete: { to: "deleting", effect: startDeletion },
  },
  deleting: {
    deletionElapsed: {
      to: (r) => (r.scenario.deletion === "deleted" ? "removed" : "deletionFailed"),
      effect: (record) => {
        record.due = undefined;
      },
    },
  },
  deletionFailed: {
    delete: { to: "deleting", effect: startDeletion },
  },
};

// ---------------------------------------------------------------- sync machine

const phases: SyncStatus[] = ["extracting", "validating", "inProgress"];
const phaseMessages: Partial<Record<SyncStatus, string>> = {
  extracting: "Extracting records from the source.",
  validating: "Validating records.",
  inProgress: "Processed 0 in the last hour.\r\nUpdated 0 in the last hour.",
};

function enterPhase(record: LifecycleRecord, status: SyncStatus, ctx: LifecycleContext): void {
  Object.assign(record.sync, {
    status,
    started: true,
    resumeTo: undefined,
    statusMessage: phaseMessages[status] ?? null,
  });
  record.sync.lastActivityDateTime = iso(ctx.at);
  schedule(record, "phaseElapsed", ctx.at + ctx.timing.syncPhaseMs);
}

function startSync(record: LifecycleRecord, ctx: LifecycleContext): void {
  enterPhase(record, "extracting", ctx);
}

const finishPhase: Effect = (record, ctx) => {
  const next = phases[phases.indexOf(record.sync.status) + 1];
  if (next) {
    enterPhase(record, next, ctx);
    return;
  }
  record.due = undefined;
  const { outcome } = record.scenario;
  const at = iso(ctx.at);
  record.sync.status = outcome;
  record.sync.lastActivityDateTime = at;
  if (outcome === "success") {
    ctx.clearErrors();
    record.errorCount = 0;
    record.sync.lastSynchronizationDateTime = at;
    record.sync.statusMessage = "Processed 1250 in the last hour.\r\nUpdated 37 in the last hour.";
  } else {
    record.errorCount = ctx.recordErrors(record.scenario.errorCount, ctx.at);
    record.sync.statusMessage = {
      error: `The sync finished with ${record.errorCount} errors; read them from /errors.`,
      validationError: `Sync paused: ${record.errorCount} records failed validation. Resume to sync anyway.`,
      quarantined: `Sync quarantined after ${record.errorCount} errors.`,
    }[outcome];
  }
};

const pause: Effect = (record) => {
  record.sync.resumeTo = record.sync.status;
  record.sync.status = "paused";
  record.sync.statusMessage = "Sync paused.";
  record.due = undefined;
};

const resume: Effect = (record, ctx) => {
  const to = record.sync.resumeTo;
  if (to === undefined || phases.includes(to)) {
    enterPhase(record, to ?? "inProgress", ctx);
  } else {
    Object.assign(record.sync, {
      status: to,
      resumeTo: undefined,
      statusMessage: phaseMessages[to] ?? record.sync.statusMessage,
    });
  }
};

/** validationError: SDS paused the sync itself; resume overrides and lets it finish. */
const overrideValidation: Effect = (record, ctx) => {
  record.scenario = { ...record.scenario, outcome: "success" };
  enterPhase(record, "inProgress", ctx);
};

const reset: Effect = (record, ctx) => {
  ctx.clearErrors();
  record.errorCount = 0;
  startSync(record, ctx);
};

const start: Effect = (record, ctx) => startSync(record, ctx);
const resumeTarget = (record: LifecycleRecord): SyncStatus => record.sync.resumeTo ?? "inProgress";
const afterPhase = (record: LifecycleRecord): SyncStatus =>
  phases[phases.indexOf(record.sync.status) + 1] ?? record.scenario.outcome;

const running = {
  pause: { to: "paused", effect: pause },
  phaseElapsed: { to: afterPhase, effect: finishPhase },
  reset: { to: "extracting", effect: reset },
  resume: { to: (r: LifecycleRecord) => r.sync.status, noop: true },
} as const satisfies Partial<Record<SyncEvent, Transition<SyncStatus>>>;
const finished = {
  start: { to: "extracting", effect: start },
  pause: { to: "paused", effect: pause },
  reset: { to: "extracting", effect: reset },
  resume: { to: (r: LifecycleRecord) => r.sync.status, noop: true },
} as const satisfies Partial<Record<SyncEvent, Transition<SyncStatus>>>;

export const syncMachine: Machine<SyncStatus, SyncEvent> = {
  paused: {
    start: { to: "extracting", effect: start },
    pause: { to: "paused", noop: true },
    resume: { to: resumeTarget, effect: resume },
    reset: { to: "extracting", effect: reset },
  },
  extracting: running,
  validating: running,
  inProgress: running,
  success: finished,
  error: finished,
  quarantined: finished,
  validationError: { ...finished, resume: { to: "inProgress", effect: overrideValidation } },
};

// ---------------------------------------------------------------- firing events

export type FireResult = { ok: true } | { ok: false; conflict: string };

export function fireProfileEvent(record: LifecycleRecord, event: ProfileEvent, ctx: LifecycleContext): FireResult {
  const transition = profileMachine[record.state][event];
  if (!transition) {
    return { ok: false, conflict: `the profile is ${record.state}; ${describe(event)} is not possible in that state` };
  }
  const to = typeof transition.to === "function" ? transition.to(record) : transition.to;
  if (to === "removed") record.removed = true;
  else record.state = to;
  transition.effect?.(record, ctx);
  return { ok: true };
}

export function fireSyncEvent(record: LifecycleRecord, event: SyncEvent, ctx: LifecycleContext): FireResult {
  if (record.state !== "provisioned") {
    return { ok: false, conflict: `the profile is ${record.state}; ${describe(event)} needs it provisioned` };
  }
  if (event === "resume" && record.sync.status === "paused" && !record.sync.started) {
    return { ok: false, conflict: "no sync has run yet; call start after uploading the files" };
  }
  const transition = syncMachine[record.sync.status][event];
  if (!transition) {
    return {
      ok: false,
      conflict: `the sync is ${record.sync.status}; ${describe(event)} is not possible until it finishes`,
    };
  }
  if (transition.noop) return { ok: true };
  // The table says where the event leads; the effect does the work; the two must agree.
  const to = typeof transition.to === "function" ? transition.to(record) : transition.to;
  transition.effect?.(record, ctx);
  if (record.sync.status !== to) {
    throw new Error(`lifecycle: ${event} from the table leads to ${to}, but the sync is ${record.sync.status}`);
  }
  return { ok: true };
}

/** Applies every timed transition that is due by `now`, each at the instant it was due. */
export function settle(record: LifecycleRecord, now: number, makeCtx: (at: number) => LifecycleContext): void {
  for (let guard = 0; record.due && record.due.at <= now && !record.removed && guard < 100; guard += 1) {
    const { event, at } = record.due;
    record.due = undefined;
    const ctx = makeCtx(at);
    if (event === "phaseElapsed") fireSyncEvent(record, event, ctx);
    else fireProfileEvent(record, event, ctx);
  }
}

/** A read while provisioning counts towards completion when the simulator counts reads. */
export function countRead(record: LifecycleRecord, ctx: LifecycleContext): void {
  if (record.state !== "provisioning" || record.readsLeft === undefined) return;
  record.readsLeft -= 1;
  if (record.readsLeft <= 0) fireProfileEvent(record, "provisioningElapsed", ctx);
}

function describe(event: ProfileEvent | SyncEvent): string {
  return (
    {
      provisioningElapsed: "finishing provisioning",
      update: "an update",
      delete: "deleting it",
      deletionElapsed: "finishing deletion",
      start: "start",
      pause: "pause",
      resume: "resume",
      reset: "reset",
      phaseElapsed: "moving to the next phase",
    } as const
  )[event];
}
