import type { SqlClient, SqlDatabase, SqlRows } from "./sql-database.js";

type SqliteModule = typeof import("node:sqlite");
type SqliteValue = null | number | bigint | string | NodeJS.ArrayBufferView;

/** How long a write waits for another process that holds the file's lock before it is a 503. */
const busyTimeoutMs = 5000;

/**
 * Node's built-in SQLite, loaded on first use. Node 22 and 24 call it experimental and say so once
 * per process on stderr; that line is not the user's to act on (docs/sandbox.md says what the
 * store relies on), so it is left out, and any other warning passes through.
 */
async function loadSqlite(): Promise<SqliteModule> {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning).includes("SQLite is an experimental feature")) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return await import("node:sqlite");
  } finally {
    process.emitWarning = emitWarning;
  }
}

/**
 * The store's SQL is PostgreSQL's, with `$1`-style parameters; SQLite on Node 22.13 binds only
 * anonymous `?` from an argument list, so each `$n` becomes a `?` and the arguments follow the
 * order in which the statement names them (a parameter named twice is passed twice).
 */
export function toSqliteParameters(sql: string, params: readonly unknown[] = []): [string, SqliteValue[]] {
  const ordered: SqliteValue[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, digits: string) => {
    const value = params[Number(digits) - 1];
    ordered.push(typeof value === "boolean" ? Number(value) : ((value ?? null) as SqliteValue));
    return "?";
  });
  return [text, ordered];
}

/**
 * A SQLite file through `node:sqlite`: nothing to install, for one instance on one machine. One
 * connection, so this process's transactions run one after another (a queue, in order); `BEGIN
 * IMMEDIATE` takes the file's write lock at the start, so a second process on the same file waits
 * its turn instead of overwriting.
 */
export async function sqliteDatabase(file: string): Promise<SqlDatabase> {
  const { DatabaseSync } = await loadSqlite();
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = ${busyTimeoutMs};`);
  const client: SqlClient = {
    // all() runs any statement (a write returns no rows); Node 22.13's statements cannot say which kind they are.
    query: async <Row>(sql: string, params?: readonly unknown[]): Promise<SqlRows<Row>> => {
      const [text, values] = toSqliteParameters(sql, params);
      return { rows: db.prepare(text).all(...values) as Row[] };
    },
  };
  let queue: Promise<unknown> = Promise.resolve();
  return {
    kind: "sqlite",
    describe: `SQLite at ${file}`,
    query: client.query,
    transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
      const run = async () => {
        db.exec("BEGIN IMMEDIATE");
        let open = true;
        try {
          const result = await work(client);
          db.exec("COMMIT");
          open = false;
          return result;
        } finally {
          if (open) db.exec("ROLLBACK");
        }
      };
      const next = queue.then(run, run);
      queue = next.catch(() => undefined);
      return next;
    },
    close: async () => {
      await queue;
      db.close();
    },
  };
}
