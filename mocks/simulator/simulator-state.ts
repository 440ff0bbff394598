import { randomUUID } from "node:crypto";
import { requirePart } from "../../src/parts/optional-parts.js";
import { type SpecValidators, specValidators } from "../../src/validation/spec-validators.js";
import type { Violation } from "../../src/validation/violation.js";
import { azuriteUploads, blobEndpointUploads, noUploads, type UploadStore } from "./blob-uploads.js";
import { createClock, type SimulatorClock } from "./clock.js";
import type { Fault, FaultOptions } from "./faults.js";
import type { Timing } from "./lifecycle.js";
import type { AnsweredRequest } from "./metrics.js";
import { createRandom, type Random } from "./random.js";
import { defaultStoreLimits, type SimulatorStore, type StoreLimits } from "./store.js";
import { openStore } from "./stores/open-store.js";

export interface SimulatorOptions {
  /** Seeds every random choice: profile ids, failure draws, faults, generated errors. Default 1. */
  seed?: number | string;
  /** `"real"` (default), `"virtual"` (moves only when advanced), or a clock of your own. */
  clock?: "real" | "virtual" | SimulatorClock;
  /** Milliseconds each timed step takes. Defaults: provisioning 2000, each sync phase 2000, deletion 1000. */
  timing?: Partial<Timing>;
  /** Also finish provisioning after this many reads of the profile or its status. */
  provisioningReads?: number;
  /** Share of new profiles (0 to 1) whose provisioning fails, drawn from the seed. */
  provisioningFailureRate?: number;
  /** How long an upload URL request keeps the next one at 409 ("still being processed"). Default 1000 ms. */
  uploadUrlProcessingMs?: number;
  /**
   * Where CSV files are uploaded: `"azurite"` (a real blob endpoint, Azurite started on the first
   * upload URL; `start` verifies the files and the sync runs on them), `"off"` (the documentation's
   * kind of URL that nothing answers; `start` follows the profile's scenario), or a store of your
   * own. Default `"off"` in process (`createSimulator`), `"azurite"` over HTTP (`startSimulator`).
   */
  uploads?: "azurite" | "off" | UploadStore;
  /** Azurite's port when uploads are `"azurite"` (default 0: any free port). */
  uploadsPort?: number;
  /**
   * A blob endpoint that runs on its own, which every replica of a sandbox shares, instead of
   * `uploads`: a storage connection string with its `AccountKey` (Azure's, or a shared Azurite's),
   * or the account URL of an Azurite serving the development account
   * (`http://host:10000/devstoreaccount1`). The kit signs upload URLs with the account's key.
   */
  uploadsUrl?: string;
  /** How long an upload URL is valid. Default one hour, as documented. */
  uploadUrlValidityMs?: number;
  faults?: FaultOptions;
  /** Check bearer tokens and their permissions (default true). */
  auth?: boolean;
  /** The admin API's path prefix, or false to turn it off. Default `/_sds`. */
  admin?: string | false;
  /** When set, an admin request must carry this token in `X-Sds-Admin-Token` (a shared sandbox's admin API). */
  adminToken?: string;
  /** Serve `/_sds/health`, `/_sds/ready` and `/_sds/metrics`. Default: on when the admin API is. */
  monitoring?: boolean;
  /** Count requests by operation and status for `/_sds/metrics` (Prometheus; needs `prom-client`). Default false. */
  metrics?: boolean;
  /** Called once each request is answered, with what it was and how it went: for logs. */
  onRequest?: (answered: AnsweredRequest) => void;
  /** Validate every response against the spec; a violation becomes a loud 500. */
  strict?: boolean;
  /** Called with each response that broke the spec (strict mode). */
  onContractViolation?: (violation: ContractViolation) => void;
  limits?: Partial<StoreLimits>;
  /**
   * Where profiles live: `"memory"` (the default: this process, forgotten at exit),
   * `"postgres://user:password@host:port/database"` (one database any number of replicas share),
   * `"sqlite:<file>"` (Node's built-in SQLite on a file, for one instance), or a store of your own.
   * A database store refuses `clock: "virtual"` (only a clock object the replicas share), and draws
   * profile ids at random, not from the seed.
   */
  store?: string | SimulatorStore;
  /** Largest request body accepted; larger gets 413. Default 1 MiB. */
  maxBodyBytes?: number;
}

export interface ContractViolation {
  operationId: string;
  status: number;
  violations: Violation[];
}

export const defaultTiming: Timing = { provisioningMs: 2000, syncPhaseMs: 2000, deletionMs: 1000 };

/** Everything one simulator instance shares across requests: the API's handlers and the admin router read it. */
export interface SimulatorState {
  clock: SimulatorClock;
  store: SimulatorStore;
  random: Random;
  validators: SpecValidators;
  timing: Timing;
  options: SimulatorOptions;
  /** Per tenant: the instant before which every request is throttled again (enforceRetryAfter). */
  throttledUntil: Map<string, number>;
  /** Faults the admin API queued for the next API requests, in order. */
  queuedFaults: Fault[];
  /** Where CSV profiles' files are uploaded. */
  uploads: UploadStore;
  /** A new profile's id: from the seed in memory; at random on a database, where replicas must not draw the same one. */
  newProfileId(): string;
  /** Whether the simulator opened its store from a spec, and so closes it. */
  ownsStore: boolean;
}

/** A store shared across processes (or kept across restarts) needs time they agree on. */
export class StoreClockError extends Error {
  override name = "StoreClockError";
}

export function createSimulatorState(options: SimulatorOptions): SimulatorState {
  // Azurite is an optional part: asked for and not installed, the simulator does not start.
  if (options.uploads === "azurite" && options.uploadsUrl === undefined) requirePart("azurite");
  const random = createRandom(options.seed ?? 1);
  const limits = { ...defaultStoreLimits, ...options.limits };
  const store = typeof options.store === "object" ? options.store : openStore(options.store, limits);
  const clock = typeof options.clock === "object" ? options.clock : createClock(options.clock ?? "real");
  // Timed steps are stored as instants: on a database, every replica (and the next start) must
  // read them on one clock. A virtual clock made here would be this simulator's alone; a clock
  // object is the caller's to share (replicas in one process, as the model-checked test runs them).
  if (store.kind !== "memory" && options.clock === "virtual")
    throw new StoreClockError(
      "the virtual clock is one process's own: a database store needs the real clock (its timed steps are instants every replica reads)",
    );
  if (options.uploadsUrl !== undefined) requirePart("storageSdk");
  if (options.metrics) requirePart("metrics");
  const uploads =
    options.uploadsUrl !== undefined
      ? blobEndpointUploads(options.uploadsUrl)
      : typeof options.uploads === "object"
        ? options.uploads
        : options.uploads === "azurite"
          ? azuriteUploads({ ...(options.uploadsPort === undefined ? {} : { port: options.uploadsPort }) })
          : noUploads(() => random.uuid());
  return {
    uploads,
    clock,
    store,
    ownsStore: typeof options.store !== "object",
    newProfileId: store.kind === "memory" ? () => random.uuid() : () => randomUUID(),
    random,
    validators: specValidators(),
    timing: { ...defaultTiming, ...options.timing },
    options,
    throttledUntil: new Map(),
    queuedFaults: [],
  };
}
