import {
  type SimulatorStore,
  type StoredProfile,
  StoreLimitError,
  type StoreLimits,
  type StoreSession,
} from "../store.js";
import { latestVersion, migrate, schemaVersion } from "./migrations.js";
import { isUnavailable, type SqlClient, type SqlDatabase, StoreUnavailableError } from "./sql-database.js";

/** The advisory lock a session takes to add a profile: creates are serialised, so quotas hold across replicas. */
const addLock = 7_163_002;

interface ProfileRow {
  tenant: string;
  id: string;
  profile: Omit<StoredProfile, "tenant" | "id" | "errors">;
  errors: StoredProfile["errors"];
}

/** A row as the driver gives it: PostgreSQL's `pg` parses jsonb; SQLite keeps JSON as text. */
type StoredRow = Omit<ProfileRow, "profile" | "errors"> & { profile: unknown; errors: unknown };

const parseRow = (row: StoredRow): ProfileRow => ({
  tenant: row.tenant,
  id: row.id,
  profile: (typeof row.profile === "string" ? JSON.parse(row.profile) : row.profile) as ProfileRow["profile"],
  errors: (typeof row.errors === "string" ? JSON.parse(row.errors) : row.errors) as ProfileRow["errors"],
});

/** A profile a session read or added: what it was, so that only what changed is written back. */
interface Loaded {
  profile: StoredProfile;
  /** The record as read, serialised; undefined for a profile this session added. */
  wasJson: string | undefined;
  /** The errors array as read: recording or clearing errors replaces it. */
  wasErrors: StoredProfile["errors"] | undefined;
  removed: boolean;
}

/** How often a session is tried when PostgreSQL aborts it for a deadlock or a serialisation failure. */
const maxAttempts = 3;
const isRetryable = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "40P01" || code === "40001";
};

const keyOf = (tenant: string, id: string) => `${tenant}\u0000${id.toLowerCase()}`;

/** The record without what has columns of its own. */
function recordOf(profile: StoredProfile): ProfileRow["profile"] {
  const { tenant: _tenant, id: _id, errors: _errors, ...record } = profile;
  return record;
}

/**
 * The simulator's profiles in a SQL database (PostgreSQL, or SQLite on a file): every request a
 * transaction; a profile it reads is locked until it answers (PostgreSQL's `FOR UPDATE`; SQLite
 * locks the whole file for the transaction), so replicas on one database never lose an update or
 * apply a timed step twice; what changed is written back at the end. The schema is migrated when
 * the store is first used.
 */
export class SqlStore implements SimulatorStore {
  private connected: SqlDatabase | undefined;
  private opened: Promise<void> | undefined;

  constructor(
    readonly kind: "postgres" | "sqlite",
    /** Where it is, for messages, without a password. */
    readonly describe: string,
    private readonly connect: () => Promise<SqlDatabase>,
    readonly limits: StoreLimits,
  ) {}

  /** PostgreSQL locks the rows a session reads; SQLite's transaction already holds the whole file. */
  private get forUpdate(): string {
    return this.kind === "postgres" ? " FOR UPDATE" : "";
  }

  private get database(): SqlDatabase {
    if (!this.connected) throw new Error("the store is used before it was opened");
    return this.connected;
  }

  /** Connects and migrates, once; a store that does not answer is a StoreUnavailableError, and the next call tries again. */
  open(): Promise<void> {
    this.opened ??= this.guard(async () => {
      this.connected ??= await this.connect();
      await migrate(this.connected);
    }).catch((error: unknown) => {
      this.opened = undefined;
      throw error;
    });
    return this.opened;
  }

  async session<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
    await this.open();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.guard(() =>
          this.database.transaction(async (client) => {
            const loaded = new Map<string, Loaded>();
            const result = await work(this.sessionOn(client, loaded));
            for (const entry of loaded.values()) if (!entry.removed) await this.writeBack(client, entry);
            return result;
          }),
        );
      } catch (error) {
        // Two requests that lock the same rows in opposite orders: PostgreSQL aborts one, which
        // starts again from nothing (its transaction was rolled back, its profiles re-read).
        if (attempt >= maxAttempts || !isRetryable(error)) throw error;
      }
    }
  }

  private sessionOn(client: SqlClient, loaded: Map<string, Loaded>): StoreSession {
    const remember = (stored: StoredRow): StoredProfile => {
      const row = parseRow(stored);
      const key = keyOf(row.tenant, row.id);
      const known = loaded.get(key);
      if (known && !known.removed) return known.profile;
      const profile: StoredProfile = { ...row.profile, tenant: row.tenant, id: row.id, errors: row.errors };
      loaded.set(key, { profile, wasJson: JSON.stringify(row.profile), wasErrors: profile.errors, removed: false });
      return profile;
    };
    return {
      list: async (tenant) => {
        const { rows } = await client.query<StoredRow>(
          `SELECT tenant, id, profile, errors FROM sds_profiles WHERE tenant = $1 ORDER BY seq${this.forUpdate}`,
          [tenant],
        );
        return rows.map(remember);
      },
      get: async (tenant, id) => {
        const { rows } = await client.query<StoredRow>(
          `SELECT tenant, id, profile, errors FROM sds_profiles WHERE tenant = $1 AND id = $2${this.forUpdate}`,
          [tenant, id.toLowerCase()],
        );
        return rows[0] && remember(rows[0]);
      },
      add: async (profile) => {
        await this.reserve(client, profile.tenant);
        await client.query(
          "INSERT INTO sds_profiles (tenant, id, state, due_at, profile, errors) VALUES ($1, $2, $3, $4, $5, $6)",
          [
            profile.tenant,
            profile.id.toLowerCase(),
            profile.state,
            profile.due?.at ?? null,
            JSON.stringify(recordOf(profile)),
            JSON.stringify(profile.errors),
          ],
        );
        loaded.set(keyOf(profile.tenant, profile.id), {
          profile,
          wasJson: undefined,
          wasErrors: undefined,
          removed: false,
        });
      },
      remove: async (tenant, id) => {
        await client.query("DELETE FROM sds_profiles WHERE tenant = $1 AND id = $2", [tenant, id.toLowerCase()]);
        // A tenant with no profile left is forgotten, as in memory: it no longer counts towards the limit.
        await client.query(
          "DELETE FROM sds_tenants WHERE tenant = $1 AND NOT EXISTS (SELECT 1 FROM sds_profiles WHERE tenant = $1)",
          [tenant],
        );
        const entry = loaded.get(keyOf(tenant, id));
        if (entry) entry.removed = true;
      },
      reset: async (tenant) => {
        if (tenant === undefined) await client.query("DELETE FROM sds_tenants");
        else await client.query("DELETE FROM sds_tenants WHERE tenant = $1", [tenant]);
        for (const entry of loaded.values())
          if (tenant === undefined || entry.profile.tenant === tenant) entry.removed = true;
      },
    };
  }

  /** Room for one more profile of `tenant`, under the lock every add takes; a StoreLimitError when there is none. */
  private async reserve(client: SqlClient, tenant: string): Promise<void> {
    if (this.kind === "postgres") await client.query("SELECT pg_advisory_xact_lock($1)", [addLock]);
    const known = await client.query<{ profiles: string }>(
      "SELECT count(p.id) AS profiles FROM sds_tenants t LEFT JOIN sds_profiles p ON p.tenant = t.tenant WHERE t.tenant = $1 GROUP BY t.tenant",
      [tenant],
    );
    if (known.rows.length === 0) {
      const { rows } = await client.query<{ tenants: string }>("SELECT count(*) AS tenants FROM sds_tenants");
      if (Number(rows[0]?.tenants ?? 0) >= this.limits.maxTenants)
        throw new StoreLimitError(`the simulator holds ${this.limits.maxTenants} tenants, its limit; reset one first`);
      await client.query("INSERT INTO sds_tenants (tenant) VALUES ($1)", [tenant]);
      return;
    }
    if (Number(known.rows[0]?.profiles ?? 0) >= this.limits.maxProfilesPerTenant)
      throw new StoreLimitError(
        `the tenant has ${this.limits.maxProfilesPerTenant} synchronization profiles, the simulator's limit; delete one first`,
      );
  }

  /** Writes a profile back if its record or its errors changed during the session. */
  private async writeBack(client: SqlClient, entry: Loaded): Promise<void> {
    const { profile } = entry;
    const json = JSON.stringify(recordOf(profile));
    const errorsChanged = entry.wasErrors !== undefined && profile.errors !== entry.wasErrors;
    if (entry.wasJson === undefined) {
      // Added in this session: the insert has the record as it was then; what happened since is written now.
      await client.query(
        "UPDATE sds_profiles SET state = $3, due_at = $4, profile = $5, errors = $6, updated_at = $7 WHERE tenant = $1 AND id = $2",
        [
          profile.tenant,
          profile.id.toLowerCase(),
          profile.state,
          profile.due?.at ?? null,
          json,
          JSON.stringify(profile.errors),
          new Date().toISOString(),
        ],
      );
      return;
    }
    if (json === entry.wasJson && !errorsChanged) return;
    await client.query(
      `UPDATE sds_profiles SET state = $3, due_at = $4, profile = $5, updated_at = $6${errorsChanged ? ", errors = $7" : ""} WHERE tenant = $1 AND id = $2`,
      [
        profile.tenant,
        profile.id.toLowerCase(),
        profile.state,
        profile.due?.at ?? null,
        json,
        new Date().toISOString(),
        ...(errorsChanged ? [JSON.stringify(profile.errors)] : []),
      ],
    );
  }

  async profilesByState(): Promise<Record<string, number>> {
    await this.open();
    const { rows } = await this.guard(() =>
      this.database.query<{ state: string; profiles: string }>(
        "SELECT state, count(*) AS profiles FROM sds_profiles GROUP BY state",
      ),
    );
    return Object.fromEntries(rows.map((row) => [row.state, Number(row.profiles)]));
  }

  async tenantCount(): Promise<number> {
    await this.open();
    const { rows } = await this.guard(() =>
      this.database.query<{ tenants: string }>("SELECT count(*) AS tenants FROM sds_tenants"),
    );
    return Number(rows[0]?.tenants ?? 0);
  }

  async ready(): Promise<{ ready: true } | { ready: false; reason: string }> {
    try {
      await this.open();
      const version = await this.guard(() => schemaVersion(this.database, this.kind));
      return version === latestVersion
        ? { ready: true }
        : { ready: false, reason: `the schema is at version ${version}, not ${latestVersion}` };
    } catch (error) {
      return { ready: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    const database = this.connected;
    this.connected = undefined;
    this.opened = undefined;
    await database?.close();
  }

  /** Runs database work; an error that says the database is not there becomes a StoreUnavailableError naming it. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isUnavailable(error) || error instanceof StoreUnavailableError) throw error;
      const cause = error instanceof Error ? error.message : String(error);
      throw new StoreUnavailableError(`the simulator's store (${this.describe}) does not answer: ${cause}`);
    }
  }
}
