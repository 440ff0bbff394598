import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
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

const run = promisify(execFile);

/**
 * The kit installed from its tarball into a fresh project with nothing else, as a team that wants
 * only the simulator, the client and fixtures installs it: small, working, and plain about every
 * optional part it does not have (one line naming the package and range, exit 2 from the CLI, a
 * MissingPartError from the library).
 */
let packed: PackedProject | undefined;
let project = "";
let installed: InstalledPackage[] = [];
const peers = optionalPeers();

/**
 * The README's line that installs the core, run here as written (test/e2e/documentation.e2e.test.ts
 * checks that the README gives this line).
 */
const coreInstall = "npm install --save-dev ./sds-contract-kit-0.1.0.tgz";

/** What the limits are, from the issue that made the heavy parts optional: a core install this size or smaller. */
const maxPackages = 30;
const maxMegabytes = 15;

beforeAll(async () => {
  packed = await packedProject("core-only", coreInstall);
  project = packed.dir;
  installed = packed.packages;
}, 180_000);

afterAll(() => packed?.remove());

/** Runs the installed `sds-kit` in the project; resolves with its exit code and output, never rejects. */
async function sdsKit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join(project, "node_modules", ".bin", "sds-kit"), args, {
      cwd: project,
      env: cleanEnv(),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === "number" ? failed.code : -1,
      stdout: failed.stdout ?? "",
      stderr: failed.stderr ?? "",
    };
  }
}

describe("the kit installed alone from its tarball", () => {
  test(`is at most ${maxPackages} packages and ${maxMegabytes} MB on disk, none of them an optional part`, async ({
    annotate,
  }) => {
    const { onDisk, fileBytes } = diskUsage(join(project, "node_modules"));
    await annotate(
      `${installed.length} packages, ${megabytes(onDisk)} MB on disk (${megabytes(fileBytes)} MB of files): ${installed
        .map(({ name, version }) => `${name}@${version}`)
        .join(", ")}`,
    );
    expect(installed.map(({ name }) => name)).toContain("sds-contract-kit");
    expect(installed.length).toBeLessThanOrEqual(maxPackages);
    expect(megabytes(onDisk)).toBeLessThanOrEqual(maxMegabytes);
    expect(Object.keys(peers).length).toBeGreaterThanOrEqual(5);
    expect(installed.filter(({ name }) => name in peers)).toEqual([]);
  });

  test("sds-kit simulate serves, and says what to add for uploads and for /_sds/docs/", async () => {
    const token = (await sdsKit(["token"])).stdout.trim();
    expect(token.split(".")).toHaveLength(3);
    const child = spawnTracked(join(project, "node_modules", ".bin", "sds-kit"), ["simulate", "--port", "0"], false, {
      cwd: project,
      env: cleanEnv(),
    });
    const stderr: string[] = [];
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(String(chunk)));
    const url = (await linesUntil(child, /listening on (http:\/\/\S+)/)).match[1] ?? "";
    const created = await fetch(`${url}/beta/education/synchronizationProfiles`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        displayName: "Core install",
        dataProvider: { "@odata.type": "#microsoft.graph.educationCsvDataProvider" },
        identitySynchronizationConfiguration: {
          "@odata.type": "#microsoft.graph.educationIdentityCreationConfiguration",
          userDomains: [{ appliesTo: "student", name: "contoso.edu" }],
        },
      }),
    });
    expect(created.status).toBe(202);
    expect(((await created.json()) as { state?: string }).state).toBe("provisioning");
    // The documentation site's renderers are not installed: its page says which to add.
    const docs = await fetch(`${url}/_sds/docs/`);
    expect(docs.status).toBe(404);
    expect(((await docs.json()) as { error: { message: string } }).error.message).toContain(
      `needs redoc@${peers.redoc} and marked@${peers.marked}`,
    );
    child.kill("SIGTERM");
    const { code } = await exitOf(child);
    expect(code).toBe(0);
    const notes = stderr
      .join("")
      .split("\n")
      .filter((line) => line.includes("uploads"));
    expect(notes).toEqual([
      `sds-kit simulate: CSV uploads are off (an upload URL nothing answers); for real ones: npm install --save-dev azurite@${peers.azurite} @azure/storage-blob@${peers["@azure/storage-blob"]}`,
    ]);
  }, 30_000);

  test("a server started through npx stops when npx is told to stop, though npx passes no signal on", async () => {
    // As the example workflow starts it: `npx sds-kit … &`, later `kill $!`, which reaches npx alone.
    const npx = spawnTracked("npx", ["sds-kit", "simulate", "--port", "0"], false, { cwd: project, env: cleanEnv() });
    const lines: string[] = [];
    const ended = new Promise<void>((resolve) => npx.stdout?.on("end", resolve));
    const url = (await linesUntil(npx, /listening on (http:\/\/\S+)/)).match[1] ?? "";
    npx.stdout?.on("data", (chunk: Buffer) => lines.push(...String(chunk).split("\n").filter(Boolean)));
    expect((await fetch(`${url}/beta/education/synchronizationProfiles`)).status).toBe(401);
    npx.kill("SIGTERM");
    // The server's output ends when the server does: it noticed npx was gone, and stopped.
    await ended;
    expect(lines.at(-1)).toMatch(/^stopped \(npm, PID \d+, which started it, has gone\)$/);
    await expect(fetch(`${url}/beta/education/synchronizationProfiles`)).rejects.toThrow();
  }, 30_000);

  test.each([
    ["mock", ["mock", "--port", "0"], ["@stoplight/prism-cli"]],
    ["docs", ["docs", "--out", "site"], ["redoc", "marked"]],
    ["verify", ["verify", "--provider-base-url", "http://127.0.0.1:9"], ["@pact-foundation/pact"]],
    ["simulate --https", ["simulate", "--https", "--port", "0"], ["selfsigned"]],
    [
      "simulate --uploads azurite",
      ["simulate", "--uploads", "azurite", "--port", "0"],
      ["azurite", "@azure/storage-blob"],
    ],
  ])(
    "sds-kit %s without its part is one line naming the packages and ranges to add, exit 2",
    async (_name, args, packages) => {
      const { code, stdout, stderr } = await sdsKit(args);
      const lines = stderr.trimEnd().split("\n");
      expect(lines, stderr).toHaveLength(1);
      for (const name of packages) expect(lines[0]).toContain(`${name}@${peers[name]}`);
      expect(lines[0]).toMatch(/npm install --save-dev /);
      expect(stdout).not.toMatch(/listening on/);
      expect(code).toBe(2);
    },
    30_000,
  );

  test("every entry point imports, and a missing part used from the library is a MissingPartError naming it", async () => {
    const script = `
      const kit = await import("sds-contract-kit");
      const entries = {};
      for (const name of ["mock", "pact", "conform", "csv", "docs", "validation"]) {
        entries[name] = Object.keys(await import("sds-contract-kit/" + name)).length;
      }
      const attempt = async (use) => {
        try { await use(); return "no error"; }
        catch (error) { return { isMissingPart: error instanceof kit.MissingPartError, part: error.part, missing: error.missing }; }
      };
      const { startPrismMock } = await import("sds-contract-kit/mock");
      const { buildDocsSite } = await import("sds-contract-kit/docs");
      const { verifyProvider } = await import("sds-contract-kit/pact");
      console.log(JSON.stringify({
        entries,
        mock: await attempt(() => startPrismMock({ port: 0 })),
        docs: await attempt(() => buildDocsSite({ outDir: "site" })),
        verify: await attempt(() => verifyProvider({ providerBaseUrl: "http://127.0.0.1:9" })),
        https: await attempt(() => kit.startSimulator({ port: 0, https: true })),
      }));
    `;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
      cwd: project,
      env: cleanEnv(),
    });
    const result = JSON.parse(stdout) as Record<string, unknown> & { entries: Record<string, number> };
    expect(
      Object.values(result.entries).every((count) => count > 0),
      JSON.stringify(result.entries),
    ).toBe(true);
    expect(result).toMatchObject({
      mock: { isMissingPart: true, part: "prism", missing: [`@stoplight/prism-cli@${peers["@stoplight/prism-cli"]}`] },
      docs: { isMissingPart: true, part: "docsSite", missing: [`redoc@${peers.redoc}`, `marked@${peers.marked}`] },
      verify: {
        isMissingPart: true,
        part: "pact",
        missing: [`@pact-foundation/pact@${peers["@pact-foundation/pact"]}`],
      },
      https: { isMissingPart: true, part: "https", missing: [`selfsigned@${peers.selfsigned}`] },
    });
  }, 30_000);
});
