import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import newman, { type NewmanRunSummary } from "newman";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ContractViolation } from "../../mocks/simulator/create-simulator.js";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { packageRoot } from "../../src/package-root.js";
import { stopChild, tail } from "../../src/process/child-process.js";
import type { OpenApiDocument } from "../../src/spec/openapi-document.js";
import { listOperations, type SpecOperation } from "../../src/spec/spec-operations.js";
import { exitOf, spawnTracked } from "../support/cli-process.js";

/**
 * Portman turns the portable spec into a Postman collection with contract tests
 * (test/e2e/portman/portman-config.json); Newman runs it against the simulator. Each operation on
 * a profile gets a profile of its own, seeded through the admin API in the state the operation
 * needs (its "provider state"), and the collection reaches it through a variable named for it.
 */
const portableSpecPath = join(packageRoot, "generated", "openapi.portable.json");
const configPath = join(packageRoot, "test", "e2e", "portman", "portman-config.json");
const portmanCli = join(
  dirname(createRequire(import.meta.url).resolve("@apideck/portman/package.json")),
  "bin",
  "portman",
);
const portable = JSON.parse(readFileSync(portableSpecPath, "utf8")) as OpenApiDocument;
const operations = listOperations(portable);

const tenant = "7d3c7c2e-4b9a-4f61-9d2a-5f1e0c3b8a11";
const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: tenant });

/** The profile each collection variable stands for: what the admin API seeds. */
interface ProfileState {
  state: "provisioned";
  /** Files for the profile's container, where the simulator's uploads are real (start verifies them). */
  files?: "valid";
  status?: "inProgress" | "paused" | "error";
  errors?: number;
}
const profileStates: Record<string, { given: string; seed: ProfileState }> = {
  readProfileId: {
    given: "a CSV profile whose last sync failed with 3 errors (get, profileStatus and errors have something to show)",
    seed: { state: "provisioned", status: "error", errors: 3 },
  },
  replaceProfileId: { given: "a provisioned CSV profile (PUT may update it)", seed: { state: "provisioned" } },
  updateProfileId: { given: "a provisioned CSV profile (PATCH may update it)", seed: { state: "provisioned" } },
  deleteProfileId: { given: "a provisioned CSV profile (it may be deleted)", seed: { state: "provisioned" } },
  startProfileId: {
    given: "a provisioned CSV profile that never synced, with a clean set of files uploaded",
    seed: { state: "provisioned", files: "valid" },
  },
  uploadProfileId: { given: "a provisioned CSV profile, no upload URL pending", seed: { state: "provisioned" } },
  pauseProfileId: {
    given: "a CSV profile whose sync is running",
    seed: { state: "provisioned", status: "inProgress" },
  },
  resumeProfileId: {
    given: "a CSV profile whose sync ran and was paused",
    seed: { state: "provisioned", status: "paused" },
  },
  resetProfileId: {
    given: "a CSV profile whose last sync failed",
    seed: { state: "provisioned", status: "error", errors: 3 },
  },
};

/** The route of an operation as Postman writes it: `:id` for `{id}`. */
const routeOf = (method: string, path: string) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`;

const byRoute = (a: { route: string }, b: { route: string }) => a.route.localeCompare(b.route);

/** The first 2xx Portman reads its expectations from (it takes the first declared in 200-302). */
const firstSuccess = (op: SpecOperation) => Object.keys(op.responses).find((status) => /^2\d\d$/.test(status));

/**
 * The checks Portman writes for an operation under our config: the 2xx check always; for a
 * response with a JSON body, content type, JSON body and schema; for a 204, that the body is empty.
 */
function checksFor(op: SpecOperation): number {
  const status = firstSuccess(op);
  const media = status ? op.responses[status]?.content?.["application/json"] : undefined;
  return 1 + (status === "204" ? 1 : 0) + (media?.schema ? 3 : 0);
}

/** The status the kit's servers answer: `x-served-status` where several 2xx are declared, else the only one. */
function servedStatus(op: SpecOperation): number {
  const successes = Object.keys(op.responses).filter((status) => /^2\d\d$/.test(status));
  const status = op.servedStatus ?? (successes.length === 1 ? successes[0] : undefined);
  if (status === undefined) throw new Error(`${op.operationId} declares several 2xx and no x-served-status`);
  return Number(status);
}

interface CollectionItem {
  name: string;
  item?: CollectionItem[];
  request?: { method: string; url: { path?: string[] } };
  event?: { listen: string; script: { exec: string[] } }[];
}
const requestsOf = (items: CollectionItem[]): CollectionItem[] =>
  items.flatMap((item) => (item.item ? requestsOf(item.item) : [item]));
const routeOfItem = (item: CollectionItem) =>
  `${item.request?.method ?? "?"} /${(item.request?.url.path ?? []).join("/")}`;
const checksIn = (item: CollectionItem) =>
  (item.event ?? [])
    .filter((event) => event.listen === "test")
    .flatMap((event) => event.script.exec)
    .join("\n")
    .match(/pm\.test\(/g)?.length ?? 0;

const scratch = mkdtempSync(join(tmpdir(), "sds-portman-"));
const violations: ContractViolation[] = [];
let simulator: RunningSimulator | undefined;
let portman: ChildProcess | undefined;
let collection: { item: CollectionItem[] };
let summary: NewmanRunSummary;

/** Portman writes `./tmp/` beside it, so it runs in the scratch folder, with no PORTMAN_/POSTMAN_ settings of ours. */
async function generateCollection(): Promise<{ item: CollectionItem[] }> {
  const output = join(scratch, "collection.json");
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(PORTMAN|POSTMAN)_/.test(key)));
  portman = spawnTracked(
    process.execPath,
    [
      portmanCli,
      ...["--local", portableSpecPath, "--portmanConfigFile", configPath, "--output", output],
      ...["--runNewman", "false", "--syncPostman", "false", "--logAssignVariables", "false"],
    ],
    false,
    { cwd: scratch, env },
  );
  const printed = tail();
  portman.stdout?.on("data", printed.push);
  const { code, stderr } = await exitOf(portman);
  if (code !== 0) throw new Error(`portman exited ${code}: ${stderr}\n${printed.text()}`);
  return JSON.parse(readFileSync(output, "utf8")) as { item: CollectionItem[] };
}

async function seedProfiles(url: string): Promise<Record<string, string>> {
  // The body Portman's create request sends: the first create example.
  const examples = operations.find((op) => op.operationId === "createSynchronizationProfile")?.requestBody?.content[
    "application/json"
  ]?.examples;
  const profile = (Object.values(examples ?? {})[0] as { value: unknown } | undefined)?.value;
  const ids: Record<string, string> = {};
  for (const [variable, { given, seed }] of Object.entries(profileStates)) {
    const seeded = await fetch(`${url}/_sds/profiles`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tenant, profile, ...seed }),
    });
    const body = (await seeded.json()) as { id?: string };
    if (seeded.status !== 201 || body.id === undefined) {
      throw new Error(`seeding ${variable} (${given}) answered ${seeded.status}: ${JSON.stringify(body)}`);
    }
    ids[variable] = body.id;
  }
  return ids;
}

function runNewman(baseUrl: string, ids: Record<string, string>): Promise<NewmanRunSummary> {
  const values = [
    { key: "baseUrl", value: baseUrl },
    { key: "bearerToken", value: token },
    ...Object.entries(ids).map(([key, value]) => ({ key, value })),
  ];
  return new Promise((resolve, reject) => {
    newman.run(
      { collection, environment: { values }, reporters: [], timeout: 60_000, timeoutRequest: 10_000 },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

beforeAll(async () => {
  // A virtual clock: nothing falls due during the run, so each profile stays in its seeded state.
  simulator = await startSimulator({
    clock: "virtual",
    seed: 11,
    strict: true,
    onContractViolation: (violation) => violations.push(violation),
  });
  const [generated, ids] = await Promise.all([generateCollection(), seedProfiles(simulator.url)]);
  collection = generated;
  summary = await runNewman(`${simulator.url}/beta`, ids);
}, 120_000);

afterAll(async () => {
  // Kills Portman by its PID if the hook timed out while it ran; at once if it has exited.
  if (portman) await stopChild(portman);
  await simulator?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe("Portman contract tests on the portable spec, run by Newman against the simulator", () => {
  test("every collection variable the config uses stands for a seeded profile", () => {
    const used = new Set(readFileSync(configPath, "utf8").match(/\{\{\w+ProfileId\}\}/g));
    expect([...used].map((name) => name.slice(2, -2)).sort()).toEqual(Object.keys(profileStates).sort());
  });

  test("Portman writes one request per operation, each with the checks the config asks for", () => {
    const requests = requestsOf(collection.item);
    const written = Object.fromEntries(requests.map((item) => [routeOfItem(item), checksIn(item)]));
    const wanted = Object.fromEntries(operations.map((op) => [routeOf(op.method, op.path), checksFor(op)]));
    expect(written).toEqual(wanted);
  });

  test("every request reaches the simulator and gets the status the spec says it serves", () => {
    const answered = summary.run.executions.map((execution) => ({
      route: `${execution.request.method} ${execution.request.url.getPath()}`,
      host: execution.request.url.getRemote(),
      status: execution.response?.code,
    }));
    const idsAsVariables = (route: string) => route.replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/, ":id");
    expect(
      answered.map(({ route, host, status }) => ({ route: idsAsVariables(route), host, status })).sort(byRoute),
    ).toEqual(
      operations
        .map((op) => ({
          route: routeOf(op.method, `/beta${op.path}`),
          host: new URL(simulator?.url ?? "").host,
          status: servedStatus(op),
        }))
        .sort(byRoute),
    );
  });

  test("every assertion passes, and there are as many as the operations' checks", () => {
    // From the spec, not the run: every operation's checks (checksFor), which the collection was
    // shown to carry above; a total below it would mean Newman skipped or lost some. Today that is
    // 13 operations x the 2xx check, + 3 (content type, JSON body, schema) for each of the 8 with a
    // JSON body, + 1 empty-body check for PATCH's 204: 38.
    const expected = operations.reduce((sum, op) => sum + checksFor(op), 0);
    const failures = summary.run.failures.map((failure) => `${failure.source?.name}: ${failure.error.message}`);
    expect(failures).toEqual([]);
    expect(summary.run.stats.assertions.failed).toBe(0);
    expect(summary.run.stats.assertions.total).toBe(expected);
    expect(summary.run.stats.requests.total).toBe(operations.length);
  });

  test("the checks are live: with no profile arranged, the operations on one fail theirs", async () => {
    const unseeded = Object.fromEntries(
      Object.keys(profileStates).map((variable) => [variable, "00000000-0000-4000-8000-000000000000"]),
    );
    const run = await runNewman(`${simulator?.url}/beta`, unseeded);
    const failed = new Set(run.run.failures.map((failure) => failure.error.test));
    expect(failed).toContain("[GET]::/education/synchronizationProfiles/:id - Status code is 2xx");
    expect(failed).toContain("[GET]::/education/synchronizationProfiles/:id - Schema is valid");
    expect(failed).toContain("[POST]::/education/synchronizationProfiles/:id/start - Status code is 2xx");
    expect(failed).not.toContain("[GET]::/education/synchronizationProfiles - Status code is 2xx");
  });

  test("the simulator's answers all kept to the spec (strict mode)", () => {
    expect(violations).toEqual([]);
  });
});
