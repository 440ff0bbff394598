import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import semver from "semver";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { knownVulnerable } from "../support/advisories.js";
import { exitOf, linesUntil, spawnTracked } from "../support/cli-process.js";
import {
  cleanEnv,
  diskUsage,
  type InstalledPackage,
  megabytes,
  optionalPeers,
  type PackedProject,
  packedProject,
} from "../support/packed-kit.js";
import { startTestPostgres } from "../support/postgres.js";
import { sandboxToken } from "../support/sandbox-replica.js";

const run = promisify(execFile);

/**
 * The kit installed from its tarball with every optional part, as docs/getting-started.md's one
 * line installs it, with that page's `overrides` for Prism's lodash: each part works as it did when it was not
 * optional, and the tree holds no version a known advisory names.
 */

/** docs/getting-started.md's line that installs everything (test/e2e/documentation.e2e.test.ts checks a page gives it). */
const everythingInstall =
  "npm install --save-dev ./sds-contract-kit-0.1.0.tgz @stoplight/prism-cli@^5.14.2 @pact-foundation/pact@^17.1.4 azurite@^3.37.0 @azure/storage-blob@^12.34.0 redoc@^2.5.4 marked@^18.3.0 selfsigned@^5.5.0 pg@^8.23.1 prom-client@^15.1.3 pino@^10.4.0";
/** docs/getting-started.md's `package.json` lines for Prism's lodash, as it gives them. */
const readmeOverrides = '{ "overrides": { "lodash": "^4.18.1" } }';

let packed: PackedProject | undefined;
let project = "";
let installed: InstalledPackage[] = [];
const peers = optionalPeers();

beforeAll(async () => {
  packed = await packedProject("all-parts", everythingInstall, JSON.parse(readmeOverrides));
  project = packed.dir;
  installed = packed.packages;
}, 600_000);

// Some 700 packages: removing them takes a while on a busy disk.
afterAll(() => packed?.remove(), 120_000);

const sdsKitBin = () => join(project, "node_modules", ".bin", "sds-kit");

describe("the kit installed from its tarball with every optional part", () => {
  test("the getting-started line installs each optional peer at the range the kit supports, and its overrides are these", () => {
    const readme = readFileSync(join(packageRoot, "docs", "getting-started.md"), "utf8");
    expect(readme).toContain(readmeOverrides);
    const asked = Object.fromEntries(
      everythingInstall
        .split(" ")
        .slice(4)
        .map((spec) => [spec.slice(0, spec.lastIndexOf("@")), spec.slice(spec.lastIndexOf("@") + 1)]),
    );
    expect(asked).toEqual(peers);
    const versions = Object.keys(peers).map((name) => {
      const version = installed.find((pkg) => pkg.name === name && pkg.path === join("node_modules", name))?.version;
      return `${name}@${version} in ${peers[name]}: ${version !== undefined && semver.satisfies(version, peers[name] ?? "")}`;
    });
    expect(versions.filter((line) => !line.endsWith("true"))).toEqual([]);
  });

  test("no installed package is at a version a known advisory names", async ({ annotate }) => {
    const { onDisk } = diskUsage(join(project, "node_modules"));
    await annotate(`${installed.length} packages, ${megabytes(onDisk)} MB on disk`);
    expect(installed.length).toBeGreaterThan(300);
    expect(installed.some(({ name }) => name === "lodash")).toBe(true);
    expect(knownVulnerable(installed)).toEqual([]);
  });

  test("sds-kit mock starts Prism and answers like Graph", async () => {
    const child = spawnTracked(sdsKitBin(), ["mock", "--port", "0"], false, { cwd: project, env: cleanEnv() });
    const url = (await linesUntil(child, /listening on (http:\/\/\S+)/)).match[1] ?? "";
    const listed = await fetch(`${url}/beta/education/synchronizationProfiles`, {
      headers: { authorization: "Bearer any" },
    });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { value?: unknown[] }).value).toBeInstanceOf(Array);
    child.kill("SIGTERM");
    expect((await exitOf(child)).code).toBe(0);
  }, 60_000);

  test("sds-kit docs writes the site with Redoc and marked", async () => {
    const { stdout } = await run(sdsKitBin(), ["docs", "--out", "site"], { cwd: project, env: cleanEnv() });
    expect(stdout).toMatch(/site/);
    expect(existsSync(join(project, "site", "index.html"))).toBe(true);
    expect(existsSync(join(project, "site", "redoc.standalone.js"))).toBe(true);
    expect(readFileSync(join(project, "site", "decisions.html"), "utf8")).toContain("<h2");
  }, 60_000);

  test("sds-kit simulate serves HTTPS with uploads on Azurite, and sds-kit verify passes the kit's pacts against it", async () => {
    const child = spawnTracked(sdsKitBin(), ["simulate", "--port", "0", "--https"], false, {
      cwd: project,
      env: cleanEnv(),
    });
    const stderr: string[] = [];
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(String(chunk)));
    const { match, lines } = await linesUntil(child, /listening on (https:\/\/\S+)/);
    const caPath = lines.map((line) => /^CA certificate: (\S+)/.exec(line)?.[1]).find(Boolean) ?? "";
    expect(existsSync(caPath)).toBe(true);
    const { stdout } = await run(sdsKitBin(), ["verify", "--provider-base-url", match[1] ?? ""], {
      cwd: project,
      env: { ...cleanEnv(), NODE_EXTRA_CA_CERTS: caPath },
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stdout).toMatch(/every interaction of 1 pact file\(s\) passed/);
    child.kill("SIGTERM");
    expect((await exitOf(child)).code).toBe(0);
    // Azurite is installed, so uploads are real and nothing says they are off.
    expect(stderr.join("")).not.toMatch(/uploads are off/);
  }, 120_000);

  test("sds-kit simulate as a sandbox on PostgreSQL: pg, prom-client and pino from the team's install", async () => {
    const postgres = await startTestPostgres();
    try {
      const store = await postgres.createDatabase();
      const child = spawnTracked(sdsKitBin(), ["simulate", "--port", "0", "--store", store], false, {
        cwd: project,
        env: cleanEnv(),
      });
      // One reader for the whole run: the listening line, then the JSON line the request logs.
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      const lineMatching = (pattern: RegExp) =>
        new Promise<string>((resolve) => lines.on("line", (line) => pattern.test(line) && resolve(line)));
      const listening = lineMatching(/listening on http:\/\//);
      const logged = lineMatching(/"operation":"listSynchronizationProfiles"/);
      const exited = exitOf(child);
      const started = await Promise.race([listening, exited.then(({ code, stderr }) => `exited ${code}: ${stderr}`)]);
      expect(started).toMatch(/\(seed 1, real clock, postgres store\) listening on/);
      const url = /listening on (\S+)/.exec(started)?.[1] ?? "";
      const listed = await fetch(`${url}/beta/education/synchronizationProfiles`, {
        headers: { authorization: `Bearer ${sandboxToken}` },
      });
      expect(listed.status).toBe(200);
      const metrics = await (await fetch(`${url}/_sds/metrics`)).text();
      expect(metrics).toMatch(/^sds_requests_total\{operation="listSynchronizationProfiles",status="200"\} 1$/m);
      expect(metrics).toMatch(/^sds_store_ready 1$/m);
      expect(JSON.parse(await logged)).toMatchObject({ msg: "request", status: 200, method: "GET" });
      child.kill("SIGTERM");
      expect((await exited).code).toBe(0);
    } finally {
      await postgres.remove();
    }
  }, 180_000);
});
