/**
 * What the SQL store needs of a database: a query, and a transaction on one connection. Two
 * engines answer it: PostgreSQL through `pg` (any number of replicas on one database) and SQLite
 * through `node:sqlite` (one instance, one file). The store writes PostgreSQL's SQL; where SQLite's
 * differs, the store and the migrations say so by `kind`.
 */
export interface SqlRows<Row> {
  rows: Row[];
}

export interface SqlClient {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlRows<Row>>;
}

export interface SqlDatabase extends SqlClient {
  readonly kind: "postgres" | "sqlite";
  /** Where it is, for messages, without a password. */
  readonly describe: string;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The store cannot be reached (refused, cut off, shut down): a request gets Graph's 503, and the next may succeed. */
export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}

/** PostgreSQL's and Node's ways of saying the database is not there (connection classes 08 and 57P). */
const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

/** Whether an error means the database could not be reached, rather than that a query was wrong. */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && unavailableCodes.has(code)) return true;
  // The last two are SQLite's: another process held the file's lock past the busy timeout, or the file went.
  return (
    typeof message === "string" &&
    /Connection terminated|connection timeout|Client has encountered a connection error|database is locked|unable to open database/i.test(
      message,
    )
  );
}

/** A URL with its password replaced, for messages and logs. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(a connection string)";
  }
}
