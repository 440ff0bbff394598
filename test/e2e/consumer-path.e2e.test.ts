import { execFile } from "node:child_process";
import { once } from "node:events";
import { cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { spawnTracked } from "../support/cli-process.js";
import { codeBlocks } from "../support/readme.js";

const run = promisify(execFile);

/**
 * The consumer path, as a team walks it: the kit packed, examples/consumer-project copied out of
 * this repository, the README's commands run there (a real install of the tarball, its
 * dependencies from the registry or npm's cache), and its tests passing. Nothing in the copy can
 * reach this checkout's node_modules: it lives under the system's temporary folder, and its
 * commands run with this repository's bin folders off the PATH and npm's variables cleared.
 */
const readmePage = "examples/consumer-project/README.md";

/** The example's tests, by file: a file added there (test/graph-sdk.test.ts, say) gets a row here. */
const expectedTests: Record<string, number> = {
  "test/create-profile.test.ts": 2,
  "test/throttling.test.ts": 2,
  "test/csv-upload.test.ts": 2,
  "test/roster-sync.pact.test.ts": 4,
};

let scratch = "";
let project = "";
let tarball = "";

/** The environment a developer's shell or a CI runner gives: nothing from this test run or this checkout. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|vitest|init_cwd$|node_env$|node_options$|test$)/i.test(name)) continue;
    env[name] = value;
  }
  // This checkout's bin folders off the PATH (`npm run` puts them on it), and the Node running this
  // test first: the project runs on the same Node as the kit's tests.
  env.PATH = [
    dirname(process.execPath),
    ...(process.env.PATH ?? "")
      .split(delimiter)
      .filter((dir) => !(dir.startsWith(packageRoot) && dir.endsWith(join("node_modules", ".bin")))),
  ].join(delimiter);
  return {
    ...env,
    PACT_DO_NOT_TRACK: "true",
    // `npm install <tarball>` as the README says, with what npm reads from the environment:
    // the registry only for what the cache lacks, no audit, no funding notices.
    npm_config_prefer_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
  };
}

/**
 * Runs a shell script in the project, as a runner runs a step (`bash -eo pipefail`), in a process
 * group of its own; resolves with its exit and output. A group that outlives its script (a server
 * started with `&`) is added to `leftRunning`, to be killed by its id.
 */
async function runScript(script: string, env: NodeJS.ProcessEnv, leftRunning: number[]) {
  const child = spawnTracked("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], true, {
    cwd: project,
    env,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  const began = performance.now();
  const [code] = (await once(child, "exit")) as [number | null];
  // Only a group with members left keeps its id; an empty group's id may go to another process.
  if (child.pid !== undefined && groupAlive(child.pid)) leftRunning.push(child.pid);
  return { code, output, seconds: Math.round((performance.now() - began) / 100) / 10 };
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills each process group a script left running, with everything in it, by the group's id. */
function killGroups(pids: number[]): void {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // The group is gone already.
    }
  }
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "sds-consumer-"));
  project = join(scratch, "roster-sync");
  const example = join(packageRoot, "examples", "consumer-project");
  // What a team would have in its repository: no installed packages, no build output.
  const skipped = new Set(["node_modules", "pacts", "reports", "package-lock.json", "sds-mock.log"]);
  cpSync(example, project, {
    recursive: true,
    filter: (source) => !skipped.has(basename(source)) && !source.endsWith(".tgz"),
  });
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", project], {
    cwd: packageRoot,
  });
  tarball = (JSON.parse(stdout) as { filename: string }[])[0]?.filename ?? "";
}, 60_000);

// The installed project is some 400 MB of node_modules: removing it takes a while on a busy disk.
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 120_000);

describe("the consumer path, outside this repository", () => {
  const commands = codeBlocks(readmePage, "sh").flatMap((block) =>
    block
      .split("\n")
      .map((line) => line.replace(/\s+#\s.*$/, "").trim())
      .filter((line) => line.length > 0 && !line.startsWith("#")),
  );
  const install = commands.find((command) => command.startsWith("npm install"));
  const pids: number[] = [];
  afterAll(() => killGroups(pids));

  test("the README installs the kit from its tarball, then tests", () => {
    expect(project.startsWith(packageRoot)).toBe(false);
    expect(commands).toEqual([`npm install ./${tarball}`, "npm test"]);
  });

  test("npm install of the tarball is a real install, of the packed kit", async ({ annotate }) => {
    const { code, output, seconds } = await runScript(install ?? "false", cleanEnv(), pids);
    await annotate(`${install}: ${seconds} s`);
    expect(code, output).toBe(0);

    const installed = join(project, "node_modules", "sds-contract-kit");
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { version: string };
    expect(`sds-contract-kit-${manifest.version}.tgz`).toBe(tarball);
    // Its dependencies are installed beside it, not found in this checkout.
    for (const dependency of ["@stoplight/prism-cli", "@pact-foundation/pact", "azurite", "vitest"]) {
      expect(realpathSync(join(project, "node_modules", dependency)).startsWith(scratch), dependency).toBe(true);
    }
    expect(existsSync(join(project, "node_modules", ".bin", "sds-kit"))).toBe(true);
    // And the project runs on the Node running this test (22 or 24 when the tiers run on them).
    const node = await runScript("node --version", cleanEnv(), pids);
    expect(node.output.trim()).toBe(process.version);
  }, 300_000);

  test("npm test passes every test of the example", async ({ annotate }) => {
    const report = join(scratch, "vitest-report.json");
    const { code, output, seconds } = await runScript(
      `npm test -- --reporter=json --outputFile=${report}`,
      cleanEnv(),
      pids,
    );
    await annotate(`npm test: ${seconds} s`);
    expect(code, output).toBe(0);

    const results = JSON.parse(readFileSync(report, "utf8")) as {
      success: boolean;
      numTotalTests: number;
      numPassedTests: number;
      testResults: { name: string; assertionResults: { status: string }[] }[];
    };
    const byFile = Object.fromEntries(
      results.testResults.map((file) => [
        file.name.slice(realpathSync(project).length + 1),
        file.assertionResults.filter((test) => test.status === "passed").length,
      ]),
    );
    expect(byFile).toEqual(expectedTests);
    const total = Object.values(expectedTests).reduce((sum, count) => sum + count, 0);
    expect([results.success, results.numTotalTests, results.numPassedTests]).toEqual([true, total, total]);
  }, 180_000);
});
