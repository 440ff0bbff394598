import type { Pool, PoolClient } from "pg";
import { importPart } from "../../../src/parts/optional-parts.js";
import type { SqlClient, SqlDatabase, SqlRows } from "./sql-database.js";
import { withoutPassword } from "./sql-database.js";

/** Connections each replica keeps at most: a request holds one for its transaction. */
const poolSize = 10;
/** How long a request waits for a connection, or for the database to answer one, before it is a 503. */
const connectTimeoutMs = 5000;

const rowsOf = <Row>(result: { rows: unknown[] }): SqlRows<Row> => ({ rows: result.rows as Row[] });

/**
 * PostgreSQL through `pg` (an optional part): a pool of connections, a transaction per request.
 * The pool reconnects by itself, so a database that comes back is used again; a connection that
 * breaks while idle is dropped, not fatal.
 */
export async function postgresDatabase(url: string): Promise<SqlDatabase> {
  const pg = await importPart("postgresStore", () => import("pg"));
  const pool: Pool = new pg.default.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: connectTimeoutMs,
    // jsonb comes back parsed; bigint counts come back as text, read with Number().
  });
  pool.on("error", () => {
    // An idle connection the server closed (a restart, a failover): the pool replaces it on demand.
  });
  const on = (client: Pool | PoolClient): SqlClient => ({
    query: async <Row>(sql: string, params?: readonly unknown[]) =>
      rowsOf<Row>(await client.query(sql, params as unknown[] | undefined)),
  });
  return {
    kind: "postgres",
    describe: withoutPassword(url),
    query: on(pool).query,
    async transaction(work) {
      const client = await pool.connect();
      let broken: unknown;
      // A connection the server cuts while it is checked out says so as an event: without a
      // listener that would end the process. The query in flight fails on its own.
      const cut = (error: Error) => {
        broken = error;
      };
      client.on("error", cut);
      try {
        await client.query("BEGIN");
        const result = await work(on(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        client.off("error", cut);
        // A connection that broke, or whose rollback failed, is not given back for reuse.
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    close: () => pool.end(),
  };
}
