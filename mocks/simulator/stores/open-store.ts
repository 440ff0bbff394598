import { MemoryStore, type SimulatorStore, type StoreLimits } from "../store.js";
import { postgresDatabase } from "./postgres-database.js";
import { withoutPassword } from "./sql-database.js";
import { SqlStore } from "./sql-store.js";
import { sqliteDatabase } from "./sqlite-database.js";

/** A store given by a name the CLI and the environment can carry; the syntax error says what it takes. */
export class StoreSpecError extends Error {
  override name = "StoreSpecError";
}

/**
 * The store a spec names: `memory` (the default: this process, forgets at exit);
 * `postgres://user:pass@host:port/db` (or `postgresql://`), one database any number of replicas
 * share; `sqlite:<file>`, Node's built-in SQLite on a file, for one instance on one machine.
 * A database store connects and migrates on first use (`startSimulator` does it before it listens).
 */
export function openStore(spec: string | undefined, limits: StoreLimits): SimulatorStore {
  if (spec === undefined || spec === "" || spec === "memory") return new MemoryStore(limits);
  if (/^postgres(ql)?:\/\//i.test(spec))
    return new SqlStore("postgres", withoutPassword(spec), () => postgresDatabase(spec), limits);
  const file = /^sqlite:(.+)$/i.exec(spec)?.[1];
  if (file !== undefined) return new SqlStore("sqlite", `SQLite at ${file}`, () => sqliteDatabase(file), limits);
  throw new StoreSpecError(
    `the store must be memory, postgres://user:password@host:port/database or sqlite:<file>, got '${withoutPassword(spec)}'`,
  );
}
