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
 * Profiles, kept apart per tenant so that suites sharing one simulator never see each other's.
 * Bounded: a tenant holds at most `maxProfilesPerTenant` profiles and the store at most
 * `maxTenants` tenants, so a long soak cannot grow memory without limit; past a bound, creating
 * is refused rather than anything being evicted.
 */
export class ProfileStore {
  private readonly tenants = new Map<string, Map<string, StoredProfile>>();

  constructor(readonly limits: StoreLimits = defaultStoreLimits) {}

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

  /** Forgets one tenant, or everything. */
  reset(tenant?: string): void {
    if (tenant === undefined) this.tenants.clear();
    else this.tenants.delete(tenant);
  }

  get tenantCount(): number {
    return this.tenants.size;
  }
}
