import type { SqlClient, SqlDatabase } from "./sql-database.js";

type Dialect = SqlDatabase["kind"];

/**
 * The store's schema, version by version, in each engine's SQL. A migration is never edited once
 * released: a change is a new version. Each replica applies what its database lacks when it
 * starts, under a lock (PostgreSQL's advisory lock; SQLite's write lock), so replicas that start
 * together apply each version once.
 */
export const migrations: readonly {
  version: number;
  name: string;
  statements: Readonly<Record<Dialect, readonly string[]>>;
}[] = [
  {
    version: 1,
    name: "profiles and tenants",
    statements: {
      // A profile is its lifecycle record and resource as JSON; its errors (up to 15,000) apart, so
      // that a request that does not change them does not write them. `seq` keeps creation order.
      postgres: [
        "CREATE TABLE sds_tenants (tenant text PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())",
        `CREATE TABLE sds_profiles (
          tenant text NOT NULL REFERENCES sds_tenants (tenant) ON DELETE CASCADE,
          id text NOT NULL,
          seq bigserial NOT NULL,
          state text NOT NULL,
          due_at double precision,
          profile jsonb NOT NULL,
          errors jsonb NOT NULL DEFAULT '[]'::jsonb,
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (tenant, id)
        )`,
        "CREATE INDEX sds_profiles_by_tenant ON sds_profiles (tenant, seq)",
        "CREATE INDEX sds_profiles_by_state ON sds_profiles (state)",
      ],
      sqlite: [
        "CREATE TABLE sds_tenants (tenant TEXT PRIMARY KEY, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        `CREATE TABLE sds_profiles (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          tenant TEXT NOT NULL REFERENCES sds_tenants (tenant) ON DELETE CASCADE,
          id TEXT NOT NULL,
          state TEXT NOT NULL,
          due_at REAL,
          profile TEXT NOT NULL,
          errors TEXT NOT NULL DEFAULT '[]',
          updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
          UNIQUE (tenant, id)
        )`,
        "CREATE INDEX sds_profiles_by_state ON sds_profiles (state)",
      ],
    },
  },
];

export const latestVersion = Math.max(...migrations.map((m) => m.version));

/** The advisory lock every PostgreSQL replica takes to migrate: an arbitrary number, the kit's own. */
const migrationLock = 7_163_001;

const migrationsTable = {
  postgres:
    "CREATE TABLE IF NOT EXISTS sds_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
  sqlite:
    "CREATE TABLE IF NOT EXISTS sds_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
} as const satisfies Record<Dialect, string>;

const hasMigrationsTable = {
  postgres: "SELECT to_regclass('sds_schema_migrations') IS NOT NULL AS present",
  sqlite: "SELECT count(*) > 0 AS present FROM sqlite_master WHERE type = 'table' AND name = 'sds_schema_migrations'",
} as const satisfies Record<Dialect, string>;

/** The database's schema version, or 0 before the first migration. */
export async function schemaVersion(client: SqlClient, dialect: Dialect): Promise<number> {
  const table = await client.query<{ present: boolean | number }>(hasMigrationsTable[dialect]);
  if (!table.rows[0]?.present) return 0;
  const { rows } = await client.query<{ version: number | null }>(
    "SELECT max(version) AS version FROM sds_schema_migrations",
  );
  return Number(rows[0]?.version ?? 0);
}

/** A database migrated by a newer kit than this one: this one does not know its tables. */
export class NewerSchemaError extends Error {
  override name = "NewerSchemaError";
}

/** Applies every migration the database lacks, in order, in one transaction; the versions applied. */
export async function migrate(database: SqlDatabase): Promise<number[]> {
  const dialect = database.kind;
  return database.transaction(async (client) => {
    if (dialect === "postgres") await client.query("SELECT pg_advisory_xact_lock($1)", [migrationLock]);
    await client.query(migrationsTable[dialect]);
    const current = await schemaVersion(client, dialect);
    if (current > latestVersion)
      throw new NewerSchemaError(
        `the store's schema is version ${current}, newer than this kit's ${latestVersion}: run the kit that migrated it, or a newer one`,
      );
    const applied: number[] = [];
    for (const migration of migrations.filter((m) => m.version > current)) {
      for (const statement of migration.statements[dialect]) await client.query(statement);
      await client.query("INSERT INTO sds_schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
