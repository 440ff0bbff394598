/**
 * A small model of a synchronization profile's documented lifecycle, written from the
 * documentation and not from the simulator's code (mocks/simulator/lifecycle.ts is not imported):
 * the reference (../shared/reference/graph-sds-api.md, "§"), the kit's decisions
 * (spec/decisions.md, "decisions#…") and the simulator's README ("README": The lifecycle,
 * Scenarios). lifecycle-model.test.ts replays random operations against it and the simulator
 * and compares every answer and the state after each step.
 *
 * Where all three are silent, the model says so (`undefined`: not compared) rather than guess.
 */

export type ProfileState = "provisioning" | "provisioned" | "provisioningFailed" | "deleting" | "deletionFailed";
type Running = "extracting" | "validating" | "inProgress";
type Finished = "success" | "error" | "validationError" | "quarantined";
export type SyncStatus = "paused" | Running | Finished;
export type Provider = "csv" | "powerSchool" | "oneRoster";

/** What a profile goes through, chosen at create (README, Scenarios). */
export interface ModelScenario {
  provisioningFails: boolean;
  verification: "clean" | "warnings" | "errors";
  outcome: Finished;
  /** Errors an unsuccessful sync records. */
  errors: number;
  deletionFails: boolean;
}

export interface Timing {
  provisioningMs: number;
  syncPhaseMs: number;
  deletionMs: number;
  /** How long an upload URL request keeps the next at 409 ("still being processed", §1 #11). */
  uploadUrlProcessingMs: number;
}

export interface ModelProfile {
  id: string;
  provider: Provider;
  scenario: ModelScenario;
  state: ProfileState | "gone";
  /** When the timed step under way ends: provisioning, deletion, or the running sync phase. */
  due: number | undefined;
  status: SyncStatus;
  /** A sync has run: a CSV profile waits for start (decisions#sync-status-before-start). */
  started: boolean;
  /** Where resume goes back to after a pause (README: "back where it was"). */
  resumeTo: SyncStatus | undefined;
  /** How the running sync ends. */
  runOutcome: Finished;
  /** The errors the status counts; undefined where the documentation does not say. */
  errorCount: number | undefined;
  uploadUrlBusyUntil: number;
}

/** An answer as the model predicts it: the status, and the Graph error code or the profile's state. */
export interface Expected {
  status: number;
  code?: string;
  state?: ProfileState;
}

const running = (status: SyncStatus): status is Running =>
  status === "extracting" || status === "validating" || status === "inProgress";
const next: Record<Running, Running | "outcome"> = {
  extracting: "validating",
  validating: "inProgress",
  inProgress: "outcome",
};

const conflict: Expected = { status: 409, code: "conflict" };
const notFound: Expected = { status: 404, code: "itemNotFound" };
const notSupported: Expected = { status: 400, code: "BadRequest" };

export class LifecycleModel {
  now = 0;
  readonly profiles: ModelProfile[] = [];

  constructor(readonly timing: Timing) {}

  /** §1 #2: create answers 202 with state provisioning; provisioning is asynchronous (README: provisioningMs). */
  create(id: string, provider: Provider, scenario: ModelScenario): Expected {
    this.profiles.push({
      id,
      provider,
      scenario,
      state: "provisioning",
      due: this.now + this.timing.provisioningMs,
      // decisions#sync-status-before-start: a profile that never synced reports paused.
      status: "paused",
      started: false,
      resumeTo: undefined,
      runOutcome: scenario.outcome,
      // No sync has run, so none has recorded an error.
      errorCount: 0,
      uploadUrlBusyUntil: 0,
    });
    return { status: 202, state: "provisioning" };
  }

  /** The clock moves; every timed step that falls due happens, each at the instant it was due. */
  advance(ms: number): void {
    this.now += ms;
    for (const profile of this.profiles) {
      while (profile.due !== undefined && profile.due <= this.now) this.step(profile, profile.due);
    }
  }

  private step(profile: ModelProfile, at: number): void {
    profile.due = undefined;
    if (profile.state === "provisioning") {
      // README: provisioned, or provisioningFailed by scenario.
      if (profile.scenario.provisioningFails) {
        profile.state = "provisioningFailed";
        return;
      }
      profile.state = "provisioned";
      if (!profile.started) {
        // §1 #2 [OLD scenarios]: API providers start syncing by themselves; a CSV profile waits for start.
        if (profile.provider !== "csv") this.startRun(profile, at);
      } else if (running(profile.status)) {
        // §1 #4 [OLD]: an update leaves the pause state as it was; a sync that was running carries on.
        profile.due = at + this.timing.syncPhaseMs;
      }
      return;
    }
    if (profile.state === "deleting") {
      // decisions#delete-body, README: then gone (404), or deletionFailed by scenario.
      profile.state = profile.scenario.deletionFails ? "deletionFailed" : "gone";
      return;
    }
    if (profile.state === "provisioned" && running(profile.status)) {
      // decisions#lifecycle, README: extracting → validating → inProgress, a phase each, → the outcome.
      const after = next[profile.status];
      if (after !== "outcome") {
        profile.status = after;
        profile.due = at + this.timing.syncPhaseMs;
        return;
      }
      profile.status = profile.runOutcome;
      // README, Scenarios: an unsuccessful sync records its n errors; after a success the docs do not say.
      profile.errorCount = profile.runOutcome === "success" ? undefined : profile.scenario.errors;
    }
  }

  private startRun(profile: ModelProfile, at: number): void {
    profile.started = true;
    profile.status = "extracting";
    profile.resumeTo = undefined;
    profile.runOutcome = profile.scenario.outcome;
    profile.due = at + this.timing.syncPhaseMs;
  }

  private live(index: number): ModelProfile | undefined {
    const profile = this.profiles[index];
    return profile && profile.state !== "gone" ? profile : undefined;
  }

  /** §1 #3; decisions#unknown-profile: 404 once gone. */
  get(index: number): Expected {
    const profile = this.live(index);
    return profile ? { status: 200, state: profile.state as ProfileState } : notFound;
  }

  /**
   * PATCH (decisions#update-verb: 204) and PUT on the collection (§1 #4: 202 with the profile):
   * README: the profile provisions again. decisions#state-conflict: 409 while deleting or after a
   * failed deletion (an update is for a profile that is there to update).
   */
  update(index: number, verb: "PATCH" | "PUT"): Expected {
    const profile = this.live(index);
    if (!profile) return notFound;
    if (profile.state === "deleting" || profile.state === "deletionFailed") return conflict;
    profile.state = "provisioning";
    profile.due = this.now + this.timing.provisioningMs;
    return verb === "PATCH" ? { status: 204 } : { status: 202, state: "provisioning" };
  }

  /** §1 #5: 202, then deleting; decisions#state-conflict: 409 while already deleting. */
  delete(index: number): Expected {
    const profile = this.live(index);
    if (!profile) return notFound;
    if (profile.state === "deleting") return conflict;
    profile.state = "deleting";
    profile.due = this.now + this.timing.deletionMs;
    return { status: 202 };
  }

  /**
   * §1 #10: CSV profiles only (decisions#csv-only: 400 notSupported otherwise), state provisioned
   * (409 otherwise); verification errors: 400 and nothing starts; else 200 and the sync starts.
   * decisions#state-conflict: a sync already running cannot be started again (409).
   */
  start(index: number): Expected {
    const profile = this.live(index);
    if (!profile) return notFound;
    if (profile.provider !== "csv") return notSupported;
    if (profile.state !== "provisioned" || running(profile.status)) return conflict;
    if (profile.scenario.verification === "errors") return { status: 400 };
    this.startRun(profile, this.now);
    return { status: 200 };
  }

  /**
   * §1 #7: pause halts an ongoing sync (200). decisions#idempotent-pause-resume: pausing a paused
   * sync changes nothing. README: pause → paused, from any status, and resume goes back.
   */
  pause(index: number): Expected {
    const profile = this.live(index);
    if (!profile) return notFound;
    if (profile.state !== "provisioned") return conflict;
    if (profile.status === "paused") return { status: 200 };
    profile.resumeTo = profile.status;
    profile.status = "paused";
    profile.due = undefined;
    return { status: 200 };
  }

  /**
   * §1 #8, README: resume goes back where the sync was; from validationError it overrides, and this
   * run ends in success. decisions#sync-status-before-start: 409 before any sync ran.
   * decisions#idempotent-pause-resume: resuming a running or finished sync changes nothing.
   */
  resume(index: number): Expected {
    const profile = this.live(index);
    if (!profile) return notFound;
    if (profile.state !== "provisioned") return conflict;
    if (!profile.started) return conflict;
    if (profile.status === "validationError") {
      profile.status = "inProgress";
      profile.runOutcome = "success";
      profile.due = this.now + this.timing.syncPhaseMs;
      return { status: 200 };
    }
    if (profile.status !== "paused") return { status: 200 };
    const to = profile.resumeTo ?? "inProgress";
    profile.status = to;
    profile.resumeTo = undefined;
    if (running(to)) profile.due = this.now + this.timing.syncPhaseMs;
    return { status: 200 };
  }

  /**
   * §1 #9: reset restarts the sync from scratch and deletes the recorded errors (200). A sync that
   * never ran has nothing to restart: 409, as resume (decisions#sync-status-before-start), and a
   * CSV profile's files are verified by start alone (§1 #10).
   */
  reset(index: number): Expected {
    const profile = this.live(index);
    if (!profile) return notFound;
    if (profile.state !== "provisioned") return conflict;
    if (!profile.started) return conflict;
    profile.errorCount = 0;
    this.startRun(profile, this.now);
    return { status: 200 };
  }

  /**
   * §1 #11: CSV only (decisions#csv-only), provisioned (decisions#state-conflict: 409), and 409
   * while a previous request is still being processed; decisions#upload-url-status: 200.
   */
  uploadUrl(index: number): Expected {
    const profile = this.live(index);
    if (!profile) return notFound;
    if (profile.provider !== "csv") return notSupported;
    if (profile.state !== "provisioned") return conflict;
    if (this.now < profile.uploadUrlBusyUntil) return conflict;
    profile.uploadUrlBusyUntil = this.now + this.timing.uploadUrlProcessingMs;
    return { status: 200 };
  }
}

/** Scenario tokens (README, Scenarios) as the model reads them. */
export function scenarioOf(tokens: readonly string[]): ModelScenario {
  const scenario: ModelScenario = {
    provisioningFails: false,
    verification: "clean",
    outcome: "success",
    errors: 0,
    deletionFails: false,
  };
  for (const token of tokens) {
    const [name, count] = token.split(":");
    const n = count === undefined ? undefined : Number(count);
    if (name === "provisioning-failed") scenario.provisioningFails = true;
    else if (name === "verification-warnings") scenario.verification = "warnings";
    else if (name === "verification-errors") scenario.verification = "errors";
    else if (name === "deletion-failed") scenario.deletionFails = true;
    else if (name === "sync-error") Object.assign(scenario, { outcome: "error", errors: n ?? 14 });
    else if (name === "sync-validation-error")
      Object.assign(scenario, { outcome: "validationError", errors: n ?? 220 });
    else if (name === "sync-quarantined") Object.assign(scenario, { outcome: "quarantined", errors: n ?? 35 });
    else throw new Error(`the model does not know scenario '${token}'`);
  }
  return scenario;
}
