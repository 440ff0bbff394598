import type { components } from "../../generated/types.js";
import { quarantineErrorLimit, type SyncErrorRecord } from "../../src/csv/sync-roster.js";
import type { LifecycleRecord } from "./lifecycle.js";

export type ProfileResource = Omit<
  components["schemas"]["EducationSynchronizationProfile"],
  "id" | "state" | "@odata.context"
>;
export type SyncErrorResource = components["schemas"]["EducationSynchronizationError"];

export interface StoredProfile extends LifecycleRecord {
  id: string;
  tenant: string;
  /** What the client sent, with the service's defaults filled in. */
  resource: ProfileResource;
  errors: SyncErrorResource[];
  /** uploadUrl answers 409 until then: a previous request is "still being processed". */
  uploadUrlBusyUntil: number;
  /** The sync errors the verified files' records produce, recorded when a sync of them fails. */
  fileSyncErrors?: SyncErrorRecord[];
}

export interface StoreLimits {
  maxTenants: number;
  maxProfilesPerTenant: number;
  maxErrorsPerProfile: number;
}

export const defaultStoreLimits: StoreLimits = {
  maxTenants: 1000,
  maxProfilesPerTenant: 1000,
  // A sync stops, quarantined, at 15,000 errors (sds-csv §10): every one of them is kept and paged.
  maxErrorsPerProfile: quarantineErrorLimit,
};

export class StoreLimitError extends Error {
  override name = "StoreLimitError";
}

/**
 * What one request does with the store, from its first read to its answer. A profile it reads is
 * the request's to change until the session ends: on a shared store the row is locked, and what
 * changed is written back when the session ends (nothing, if the work throws).
 */
export interface StoreSession {
  list(tenant: string): Promise<StoredProfile[]>;
  get(tenant: string, id: string): Promise<StoredProfile | undefined>;
  /** Adds a new profile; a StoreLimitError when its tenant, or the store, is full. */
  add(profile: StoredProfile): Promise<void>;
  remove(tenant: string, id: string): Promise<void>;
  /** Forgets one tenant, or everything. */
  reset(tenant?: string): Promise<void>;
}

/** Where the simulator's profiles live: this process's memory, or a database every replica shares. */
export interface SimulatorStore {
  readonly kind: "memory" | "postgres" | "sqlite";
  readonly limits: StoreLimits;
  /** Connects and migrates a database store, once; nothing for memory. */
  open(): Promise<void>;
  /** Runs one request's work as a session (on a database, one transaction). */
  session<T>(work: (session: StoreSession) => Promise<T>): Promise<T>;
  /** How many profiles are in each state, across tenants: for metrics. */
  profilesByState(): Promise<Record<string, number>>;
  tenantCount(): Promise<number>;
  /** Whether the store answers, and why not. */
  ready(): Promise<{ ready: true } | { ready: false; reason: string }>;
  close(): Promise<void>;
}

/**
 * Profiles in this process's memory, kept apart per tenant so that suites sharing one simulator
 * never see each other's: the default, and what every test uses. A session works on the stored
 * objects themselves. Bounded: a tenant holds at most `maxProfilesPerTenant` profiles and the store
 * at most `maxTenants` tenants, so a long soak cannot grow memory without limit; past a bound,
 * creating is refused rather than anything being evicted.
 */
export class MemoryStore implements SimulatorStore {
  readonly kind = "memory";
  private readonly tenants = new Map<string, Map<string, StoredProfile>>();
  private readonly sessionView: StoreSession = {
    list: async (tenant) => this.list(tenant),
    get: async (tenant, id) => this.get(tenant, id),
    add: async (profile) => this.add(profile),
    remove: async (tenant, id) => this.remove(tenant, id),
    reset: async (tenant) => this.reset(tenant),
  };

  constructor(readonly limits: StoreLimits = defaultStoreLimits) {}

  async open(): Promise<void> {}

  session<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
    return work(this.sessionView);
  }

  list(tenant: string): StoredProfile[] {
    return [...(this.tenants.get(tenant)?.values() ?? [])];
  }

  get(tenant: string, id: string): StoredProfile | undefined {
    return this.tenants.get(tenant)?.get(id.toLowerCase());
  }

  add(profile: StoredProfile): void {
    let profiles = this.tenants.get(profile.tenant);
    if (!profiles) {
      if (this.tenants.size >= this.limits.maxTenants) {
        throw new StoreLimitError(`the simulator holds ${this.limits.maxTenants} tenants, its limit; reset one first`);
      }
      profiles = new Map();
      this.tenants.set(profile.tenant, profiles);
    }
    if (profiles.size >= this.limits.maxProfilesPerTenant) {
      throw new StoreLimitError(
        `the tenant has ${this.limits.maxProfilesPerTenant} synchronization profiles, the simulator's limit; delete one first`,
      );
    }
    profiles.set(profile.id.toLowerCase(), profile);
  }

  remove(tenant: string, id: string): void {
    const profiles = this.tenants.get(tenant);
    profiles?.delete(id.toLowerCase());
    if (profiles?.size === 0) this.tenants.delete(tenant);
  }

  reset(tenant?: string): void {
    if (tenant === undefined) this.tenants.clear();
    else this.tenants.delete(tenant);
  }

  async profilesByState(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const profiles of this.tenants.values())
      for (const profile of profiles.values()) counts[profile.state] = (counts[profile.state] ?? 0) + 1;
    return counts;
  }

  async tenantCount(): Promise<number> {
    return this.tenants.size;
  }

  async ready(): Promise<{ ready: true } | { ready: false; reason: string }> {
    return { ready: true };
  }

  async close(): Promise<void> {}
}
