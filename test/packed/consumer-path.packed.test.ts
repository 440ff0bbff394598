import { once } from "node:events";
import { cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { setTimeout } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { packageRoot } from "../../src/package-root.js";
import { spawnTracked } from "../support/cli-process.js";
import { cleanEnv, packKit } from "../support/packed-kit.js";
import { codeBlocks } from "../support/readme.js";

/**
 * The consumer path, as a team walks it: the kit packed, examples/consumer-project copied out of
 * this repository, the README's commands run there (a real install of the tarball, its
 * dependencies from the registry or npm's cache), its tests passing, and then the GitHub Actions
 * workflow of examples/github-actions run step by step in that project. Nothing in the copy can
 * reach this checkout's node_modules: it lives under the system's temporary folder, and its
 * commands run with this repository's bin folders off the PATH and npm's variables cleared.
 */
const readmePage = "examples/consumer-project/README.md";
const workflowFile = join(packageRoot, "examples", "github-actions", "contract-tests.yml");

/** The example's tests, by file: a file added there gets a row here. */
const expectedTests: Record<string, number> = {
  "test/create-profile.test.ts": 2,
  "test/throttling.test.ts": 2,
  "test/csv-upload.test.ts": 2,
  "test/roster-sync.pact.test.ts": 4,
  "test/graph-sdk.test.ts": 2,
};

let scratch = "";
let project = "";
let tarball = "";

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
  tarball = await packKit(project);
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

  test("the GitHub Actions workflow's steps pass, in order, in the installed project", async ({ annotate }) => {
    const workflow = parse(readFileSync(workflowFile, "utf8")) as Workflow;
    const jobs = Object.values(workflow.jobs);
    expect(jobs).toHaveLength(1);
    const [job] = jobs as [Job];
    const uses = job.steps.flatMap((step) => (step.uses ? [step.uses.replace(/@.*$/, "")] : []));
    expect(uses).toEqual(["actions/checkout", "actions/setup-node", "actions/upload-artifact"]);
    expect(job.steps.find((step) => step.uses?.startsWith("actions/setup-node"))?.with?.["node-version"]).toBe(22);

    // What the runner provides: GITHUB_ENV, a file each step may add variables to for the next.
    const githubEnv = join(scratch, "github-env");
    writeFileSync(githubEnv, "");
    const added = () =>
      Object.fromEntries(
        readFileSync(githubEnv, "utf8")
          .split("\n")
          .filter((line) => line.includes("="))
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      );
    const timings: string[] = [];
    try {
      for (const step of job.steps) {
        if (!step.run) continue;
        const env = {
          ...cleanEnv(),
          CI: "true",
          GITHUB_ACTIONS: "true",
          GITHUB_ENV: githubEnv,
          GITHUB_WORKSPACE: project,
          ...workflow.env,
          ...job.env,
          // The one change to the workflow: the mock on a free port rather than 4010.
          SDS_MOCK_PORT: "0",
          ...added(),
          ...step.env,
        };
        const { code, output, seconds } = await runScript(step.run, env, pids);
        timings.push(`${step.name ?? step.run}: ${seconds} s`);
        expect(code, `step "${step.name ?? step.run}" failed:\n${output}`).toBe(0);
      }
      // The mock was started with `npx … &`; the workflow's last step stopped it with `kill $!`,
      // which reaches npx alone. Nothing of it may be left: not sds-kit, not Prism.
      const stoppedBy = Date.now() + 10_000;
      while (pids.some(groupAlive) && Date.now() < stoppedBy) await setTimeout(100);
      expect(pids.filter(groupAlive), "process groups the workflow's steps left running").toEqual([]);
      expect(readFileSync(join(project, "sds-mock.log"), "utf8")).toMatch(
        /^stopped \(npm, PID \d+, which started it, has gone\)$/m,
      );
    } finally {
      // Whatever a failed step left running goes, by its group's id.
      killGroups(pids);
      await annotate(timings.join("\n"));
    }

    expect(added().SDS_MOCK_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(added().SDS_MOCK_URL).not.toMatch(/:4010$/);
    const vitestReport = readFileSync(join(project, "reports", "vitest.xml"), "utf8");
    const conformReport = readFileSync(join(project, "reports", "conform.xml"), "utf8");
    const total = Object.values(expectedTests).reduce((sum, count) => sum + count, 0);
    expect(vitestReport).toMatch(new RegExp(`<testsuites [^>]*tests="${total}" failures="0" errors="0"`));
    expect(conformReport).toContain("<testsuite ");
    expect(conformReport).not.toMatch(/failures="[1-9]/);
  }, 420_000);
});

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}
