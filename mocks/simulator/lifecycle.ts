import { breadthFirst } from "../../src/lifecycle/breadth-first.js";
import {
  eventNames,
  isProfileEvent,
  isRunningSyncStatus,
  type LifecycleEvent,
  type ProfileEvent,
  type ProfileState,
  profileEvents,
  type RunningSyncStatus,
  type SyncEvent,
  type SyncStatus,
  syncEvents,
  type TimedEvent,
} from "../../src/lifecycle/vocabulary.js";
import type { Scenario } from "./scenarios.js";

export type { LifecycleEvent, ProfileEvent, ProfileState, SyncEvent, SyncStatus, TimedEvent };

/**
 * The lifecycle of a synchronization profile, as data: for each state, the events it accepts,
 * where each leads, and what happens on the way. Two machines: the profile's `state` (the
 * documented provisioning and deletion states) and, once it is provisioned, its sync `status`.
 * Every change of state is a row of these tables: create, the timed steps, what clients ask
 * for, and what the admin API seeds (it replays a path of these same events). An event a state
 * does not list is a conflict naming the state.
 */

/** `absent`: before create and after deletion. The store never holds an absent profile. */
export type ProfileMachineState = ProfileState | "absent";

export type SyncOutcome = Scenario["outcome"];

export interface SyncRecord {
  status: SyncStatus;
  /** Whether a sync ever ran: a CSV profile waits for `start`; API providers start by themselves. */
  started: boolean;
  /** Where `resume` goes back to after `pause`. */
  resumeTo: SyncStatus | undefined;
  /** How the running sync ends: the scenario's outcome, or success once resume overrides a validationError. */
  outcome: SyncOutcome;
  lastSynchronizationDateTime: string | null;
  lastActivityDateTime: string | null;
  statusMessage: string | null;
}

export interface LifecycleRecord {
  state: ProfileMachineState;
  sync: SyncRecord;
  scenario: Scenario;
  /** CSV profiles need `start`; PowerSchool and OneRoster profiles sync by themselves. */
  selfStarting: boolean;
  /** The next timed transition, applied when the clock reaches it. */
  due: { event: TimedEvent; at: number } | undefined;
  /** Reads left before provisioning completes, when the simulator counts reads. */
  readsLeft: number | undefined;
  errorCount: number;
  /**
   * What the uploaded files decided at the last `start`: how a sync of them ends, and how many
   * records it processes. Undefined when no files were verified (the scenario decides).
   */
  fromFiles?: { outcome: SyncOutcome; processed: number };
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
  /** How many errors a failed sync records, when not the scenario's count (the admin API seeds with one). */
  errorCount?: number;
}

type Effect = (record: LifecycleRecord, ctx: LifecycleContext) => void;
export interface Transition<S extends string> {
  to: S | ((record: LifecycleRecord) => S);
  effect?: Effect;
  /** Accepted but changes nothing (pausing a paused sync). */
  noop?: true;
  /** Where the rule comes from (spec/openapi.yaml's provenance grammar; decisions.md#lifecycle). */
  source: string;
}
type Machine<S extends string, E extends string> = Record<S, Partial<Record<E, Transition<S>>>>;

const iso = (ms: number) => new Date(ms).toISOString();
const schedule = (record: LifecycleRecord, event: TimedEvent, at: number) => {
  record.due = { event, at };
};
const clearDue: Effect = (record) => {
  record.due = undefined;
};

/** A new profile, before `create`: nothing has happened to it yet. */
export function absentRecord(scenario: Scenario, selfStarting: boolean, reads: number | undefined): LifecycleRecord {
  return {
    state: "absent",
    sync: {
      status: "paused",
      started: false,
      resumeTo: undefined,
      outcome: scenario.outcome,
      lastSynchronizationDateTime: null,
      lastActivityDateTime: null,
      statusMessage: "Waiting for provisioning to finish.",
    },
    scenario,
    selfStarting,
    due: undefined,
    readsLeft: reads,
    errorCount: 0,
  };
}

// ---------------------------------------------------------------- profile machine

const startProvisioning: Effect = (record, ctx) =>
  schedule(
    record,
    record.scenario.provisioning === "provisioned" ? "finishProvisioning" : "failProvisioning",
    ctx.at + ctx.timing.provisioningMs,
  );
const startDeletion: Effect = (record, ctx) =>
  schedule(
    record,
    record.scenario.deletion === "deleted" ? "finishDeletion" : "failDeletion",
    ctx.at + ctx.timing.deletionMs,
  );

const finishProvisioning: Effect = (record, ctx) => {
  record.due = undefined;
  record.readsLeft = undefined;
  if (record.sync.started) {
    // Provisioned again after an update, which leaves the sync as it was (documented §1 #4 [OLD]:
    // "update leaves pause state unchanged"): paused stays paused, finished stays finished, and a
    // running phase runs on, from its start.
    const status = record.sync.status;
    if (isRunningSyncStatus(status)) enterPhase(record, status, ctx);
    return;
  }
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
const failProvisioning: Effect = (record) => {
  record.due = undefined;
  record.readsLeft = undefined;
};

const update = { to: "provisioning", effect: startProvisioning, source: "documented §3.7 [MGD]" } as const;
const remove = { to: "deleting", effect: startDeletion, source: "kit decisions.md#lifecycle" } as const;

export const profileMachine: Machine<ProfileMachineState, ProfileEvent> = {
  absent: {
    create: { to: "provisioning", effect: startProvisioning, source: "documented §1 #2 [OLD][MGD]" },
  },
  provisioning: {
    finishProvisioning: { to: "provisioned", effect: finishProvisioning, source: "documented §1 #2 [OLD]" },
    failProvisioning: { to: "provisioningFailed", effect: failProvisioning, source: "kit decisions.md#lifecycle" },
    update,
    delete: remove,
  },
  provisioned: { update, delete: remove },
  provisioningFailed: { update, delete: remove },
  deleting: {
    finishDeletion: { to: "absent", effect: clearDue, source: "kit decisions.md#lifecycle" },
    failDeletion: { to: "deletionFailed", effect: clearDue, source: "kit decisions.md#lifecycle" },
  },
  deletionFailed: { delete: remove },
};

// ---------------------------------------------------------------- sync machine

const phaseMessages: Partial<Record<SyncStatus, string>> = {
  extracting: "Extracting records from the source.",
  validating: "Validating records.",
  inProgress: "Processed 0 in the last hour.\r\nUpdated 0 in the last hour.",
};

const outcomeEvents: Record<SyncOutcome, TimedEvent> = {
  success: "succeed",
  error: "fail",
  validationError: "failValidation",
  quarantined: "quarantine",
};

/** Enters a running phase; the last one ends in the run's outcome, the others in the next phase. */
function enterPhase(record: LifecycleRecord, status: RunningSyncStatus, ctx: LifecycleContext) {
  Object.assign(record.sync, { status, started: true, resumeTo: undefined, statusMessage: phaseMessages[status] });
  record.sync.lastActivityDateTime = iso(ctx.at);
  schedule(
    record,
    status === "inProgress" ? outcomeEvents[record.sync.outcome] : "advancePhase",
    ctx.at + ctx.timing.syncPhaseMs,
  );
}

function startSync(record: LifecycleRecord, ctx: LifecycleContext): void {
  record.sync.outcome = record.fromFiles?.outcome ?? record.scenario.outcome;
  enterPhase(record, "extracting", ctx);
}

const start: Effect = (record, ctx) => startSync(record, ctx);
const toValidating: Effect = (record, ctx) => enterPhase(record, "validating", ctx);
const toInProgress: Effect = (record, ctx) => enterPhase(record, "inProgress", ctx);

const succeed: Effect = (record, ctx) => {
  record.due = undefined;
  ctx.clearErrors();
  record.errorCount = 0;
  const at = iso(ctx.at);
  Object.assign(record.sync, {
    status: "success",
    lastActivityDateTime: at,
    lastSynchronizationDateTime: at,
    statusMessage: record.fromFiles
      ? `Processed ${record.fromFiles.processed} in the last hour.\r\nUpdated ${record.fromFiles.processed} in the last hour.`
      : "Processed 1250 in the last hour.\r\nUpdated 37 in the last hour.",
  });
};

function failure(status: Exclude<SyncOutcome, "success">, message: (errors: number) => string): Effect {
  return (record, ctx) => {
    record.due = undefined;
    record.errorCount = ctx.recordErrors(ctx.errorCount ?? record.scenario.errorCount, ctx.at);
    Object.assign(record.sync, {
      status,
      lastActivityDateTime: iso(ctx.at),
      statusMessage: message(record.errorCount),
    });
  };
}

const pause: Effect = (record) => {
  record.sync.resumeTo = record.sync.status;
  record.sync.status = "paused";
  record.sync.statusMessage = "Sync paused.";
  record.due = undefined;
};

const resume: Effect = (record, ctx) => {
  const to = record.sync.resumeTo ?? "inProgress";
  if (isRunningSyncStatus(to)) {
    enterPhase(record, to, ctx);
  } else {
    Object.assign(record.sync, {
      status: to,
      resumeTo: undefined,
      statusMessage: phaseMessages[to] ?? record.sync.statusMessage,
    });
  }
};

/** validationError: SDS paused the sync itself; resume overrides, and this run ends in success. */
const overrideValidation: Effect = (record, ctx) => {
  record.sync.outcome = "success";
  enterPhase(record, "inProgress", ctx);
};

const reset: Effect = (record, ctx) => {
  ctx.clearErrors();
  record.errorCount = 0;
  startSync(record, ctx);
};

const resumeTarget = (record: LifecycleRecord): SyncStatus => record.sync.resumeTo ?? "inProgress";
const unchanged = {
  to: (record: LifecycleRecord) => record.sync.status,
  noop: true,
  source: "kit decisions.md#idempotent-pause-resume",
} as const;
const pauseSync = { to: "paused", effect: pause, source: "documented §1 #7 [OLD][MGD]" } as const;
const resetSync = { to: "extracting", effect: reset, source: "documented §1 #9 [OLD][MGD]" } as const;
const startSyncOnce = { to: "extracting", effect: start, source: "documented §1 #10 [OLD][MGD]" } as const;

const runningPhase = {
  pause: pauseSync,
  reset: resetSync,
  resume: unchanged,
} as const satisfies Partial<Record<SyncEvent, Transition<SyncStatus>>>;
const finished = {
  start: startSyncOnce,
  pause: pauseSync,
  reset: resetSync,
  resume: unchanged,
} as const satisfies Partial<Record<SyncEvent, Transition<SyncStatus>>>;

export const syncMachine: Machine<SyncStatus, SyncEvent> = {
  paused: {
    start: startSyncOnce,
    pause: { to: "paused", noop: true, source: "kit decisions.md#idempotent-pause-resume" },
    resume: { to: resumeTarget, effect: resume, source: "documented §1 #8 [OLD][MGD]" },
    reset: resetSync,
  },
  extracting: {
    ...runningPhase,
    advancePhase: { to: "validating", effect: toValidating, source: "kit decisions.md#lifecycle" },
  },
  validating: {
    ...runningPhase,
    advancePhase: { to: "inProgress", effect: toInProgress, source: "kit decisions.md#lifecycle" },
  },
  inProgress: {
    ...runningPhase,
    succeed: { to: "success", effect: succeed, source: "kit decisions.md#lifecycle" },
    fail: {
      to: "error",
      effect: failure("error", (n) => `The sync finished with ${n} errors; read them from /errors.`),
      source: "kit decisions.md#lifecycle",
    },
    failValidation: {
      to: "validationError",
      effect: failure("validationError", (n) => `Sync paused: ${n} records failed validation. Resume to sync anyway.`),
      source: "documented §1 #8 [OLD] (SDS pauses the sync itself)",
    },
    quarantine: {
      to: "quarantined",
      effect: failure("quarantined", (n) => `Sync quarantined after ${n} errors.`),
      source: "kit decisions.md#lifecycle",
    },
  },
  success: finished,
  error: finished,
  quarantined: finished,
  validationError: {
    ...finished,
    resume: { to: "inProgress", effect: overrideValidation, source: "documented §1 #8 [OLD] (resume overrides)" },
  },
};

// ---------------------------------------------------------------- firing events

/** Every event, in the vocabulary's order: what a search of the tables tries from each record. */
export const lifecycleEvents: readonly LifecycleEvent[] = [...profileEvents, ...syncEvents];

export type FireResult = { ok: true } | { ok: false; conflict: string };

/** Applies one event through the table: its transition and effect, or a conflict naming the state. */
export function fire(record: LifecycleRecord, event: LifecycleEvent, ctx: LifecycleContext): FireResult {
  return isProfileEvent(event) ? fireProfileEvent(record, event, ctx) : fireSyncEvent(record, event, ctx);
}

function fireProfileEvent(record: LifecycleRecord, event: ProfileEvent, ctx: LifecycleContext): FireResult {
  const transition = profileMachine[record.state][event];
  if (!transition) {
    return {
      ok: false,
      conflict: `the profile is ${record.state}; ${eventNames[event]} is not possible in that state`,
    };
  }
  record.state = typeof transition.to === "function" ? transition.to(record) : transition.to;
  transition.effect?.(record, ctx);
  return { ok: true };
}

function fireSyncEvent(record: LifecycleRecord, event: SyncEvent, ctx: LifecycleContext): FireResult {
  if (record.state !== "provisioned") {
    return { ok: false, conflict: `the profile is ${record.state}; ${eventNames[event]} needs it provisioned` };
  }
  // Resume and reset need a sync that ran (decisions.md#sync-status-before-start): a CSV profile's
  // first sync is start's, after its files are verified.
  if ((event === "resume" || event === "reset") && record.sync.status === "paused" && !record.sync.started) {
    return { ok: false, conflict: "no sync has run yet; call start after uploading the files" };
  }
  const transition = syncMachine[record.sync.status][event];
  if (!transition) {
    return {
      ok: false,
      conflict: `the sync is ${record.sync.status}; ${eventNames[event]} is not possible until it finishes`,
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

/**
 * The most timed steps one read applies. The longest chain the tables have is a sync's three phases
 * and its end; a chain longer than this would be a table that schedules itself forever.
 */
const maxStepsPerSettle = 100;

/** Applies every timed transition that is due by `now`, each at the instant it was due. */
export function settle(record: LifecycleRecord, now: number, makeCtx: (at: number) => LifecycleContext): void {
  for (
    let step = 0;
    record.due && record.due.at <= now && record.state !== "absent" && step < maxStepsPerSettle;
    step += 1
  ) {
    const { event, at } = record.due;
    record.due = undefined;
    fire(record, event, makeCtx(at));
  }
}

/** A read while provisioning counts towards completion when the simulator counts reads. */
export function countRead(record: LifecycleRecord, ctx: LifecycleContext): void {
  if (record.state !== "provisioning" || record.readsLeft === undefined || !record.due) return;
  record.readsLeft -= 1;
  if (record.readsLeft <= 0) fire(record, record.due.event, ctx);
}

/** What a seeded profile should be: a profile state and, for a provisioned one, a sync status. */
export interface LifecycleTarget {
  state: ProfileState;
  /** A paused status means a sync that ran and was paused; leave it out for a CSV profile that never started. */
  status?: SyncStatus;
}

/**
 * The shortest sequence of the table's events that takes a new profile to `target`, found by
 * searching the table itself (so a seeded profile is always one the lifecycle could reach);
 * undefined when the target cannot be reached (a sync status on a profile that is not provisioned).
 */
export function pathTo(template: LifecycleRecord, target: LifecycleTarget): LifecycleEvent[] | undefined {
  const reached = (record: LifecycleRecord) =>
    record.state === target.state &&
    (target.status === undefined
      ? record.state !== "provisioned" || !record.sync.started || record.selfStarting
      : record.sync.status === target.status && (target.status !== "paused" || record.sync.started));
  const key = (r: LifecycleRecord) => `${r.state}|${r.sync.status}|${r.sync.started}|${r.sync.resumeTo}`;
  for (const { to, path } of breadthFirst([template], lifecycleEvents, tryEvent, key)) {
    if (reached(to)) return path;
  }
  return undefined;
}

/** The record an event leads to, on a copy, with no time passing; undefined when the table refuses it. */
export function tryEvent(record: LifecycleRecord, event: LifecycleEvent): LifecycleRecord | undefined {
  const copy = structuredClone(record);
  return fire(copy, event, quietContext).ok ? copy : undefined;
}

/** A context for searching the tables: no time, no errors kept. */
const quietContext: LifecycleContext = {
  at: 0,
  timing: { provisioningMs: 0, syncPhaseMs: 0, deletionMs: 0 },
  recordErrors: (count) => count,
  clearErrors: () => undefined,
};
