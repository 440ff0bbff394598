import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { createSimulator, type SimulatorOptions } from "../../mocks/simulator/create-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { formatConformanceJunit, formatConformanceText } from "../../src/conform/conformance-report.js";
import { type ConformanceOptions, runConformance } from "../../src/conform/run-conformance.js";
import { packageRoot } from "../../src/package-root.js";
import { contractViolations } from "../support/contract-violations.js";

const api = "/education/synchronizationProfiles";
type Fetch = (request: Request) => Promise<Response>;

/** The simulator in process, on a virtual clock that the suite's waits move. */
function simulator(options: SimulatorOptions = {}) {
  const sim = createSimulator({
    clock: "virtual",
    strict: true,
    onContractViolation: (v) => contractViolations.push(v),
    ...options,
  });
  const sleep = async (ms: number) => void sim.clock.advance(ms);
  return { sim, fetch: ((request) => sim.fetch(request)) as Fetch, sleep };
}

const run = (fetch: Fetch, sleep: (ms: number) => Promise<void>, options: Partial<ConformanceOptions> = {}) =>
  runConformance({ fetch, sleep, timeoutMs: 20_000, ...options });
const names = (results: { group: string; name: string }[]) => results.map((r) => `${r.group}: ${r.name}`);

/** What a tenant holds, read with the same default token the suite used. */
async function profilesLeft(fetch: Fetch): Promise<unknown[]> {
  const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"] });
  const response = await fetch(
    new Request(`http://sds-conform.invalid${api}`, { headers: { authorization: `Bearer ${token}` } }),
  );
  return ((await response.json()) as { value: unknown[] }).value;
}

describe("runConformance against the simulator", () => {
  const alwaysSkipped = [
    expect.objectContaining({
      group: "csv",
      name: "the six CSV files upload through the URL with the Azure Storage SDK",
      reason: "a fetch function answers the API, not the blob endpoint the files go to: run against a URL",
    }),
    expect.objectContaining({
      group: "errors",
      name: "a 429 carries Retry-After and Graph's error envelope",
      reason: "the server did not throttle during the run (429s are observed, not forced)",
    }),
  ];
  const heldFrom = (floor: string, name: string) =>
    expect.objectContaining({ group: "service", name, reason: `held from the ${floor} level up (--level ${floor})` });
  const observedOnly = [
    heldFrom(
      "observed",
      "a create in the Microsoft.Education.DataSync namespace is refused, as the service refused it",
    ),
    heldFrom("observed", "status with $select answers only the property selected"),
    heldFrom("observed", "a path the API does not have is Graph's 400 naming the segment"),
  ];
  const kitOnly = [heldFrom("kit", "path segments in another letter case reach their operation")];
  test.each([
    ["documented", [...observedOnly, ...kitOnly], 19],
    ["observed", kitOnly, 22],
    ["kit", [], 23],
  ] as const)("passes at the %s level; what it does not hold is skipped, saying why", async (level, below, passed) => {
    const { fetch, sleep } = simulator();
    const report = await run(fetch, sleep, { level });
    expect(report.results.filter((r) => r.status === "failed").map((r) => [r.name, r.failures])).toEqual([]);
    const [csvSkip, throttleSkip] = alwaysSkipped;
    expect(report.results.filter((r) => r.status === "skipped")).toEqual([...below, csvSkip, throttleSkip]);
    expect([report.passed, report.failed, report.skipped]).toEqual([passed, 0, below.length + 2]);
  });

  test("a server that throttles: the suite waits out each Retry-After, and the 429 check judges what it met", async () => {
    const { fetch, sleep } = simulator({ seed: 3, faults: { throttleRate: 0.2, retryAfterSeconds: 1 } });
    const report = await run(fetch, sleep, { level: "kit" });
    expect(report.failed).toBe(0);
    expect(report.results.find((r) => r.name.startsWith("a 429"))?.status).toBe("passed");
  });

  test("cleans up: nothing the run created is left, also when a check failed half-way", async () => {
    const { sim, fetch, sleep } = simulator();
    // Create answers without a state: the create check fails after the profile exists.
    const broken: Fetch = async (request) => {
      const response = await fetch(request);
      if (request.method !== "POST" || new URL(request.url).pathname !== api || response.status !== 202)
        return response;
      const { state: _state, ...body } = (await response.json()) as Record<string, unknown>;
      return Response.json(body, { status: 202, headers: response.headers });
    };
    const report = await run(broken, sleep, { only: ["create", "read"] });
    expect(report.failed).toBeGreaterThan(0);
    sim.clock.advance(60_000);
    expect(await profilesLeft(fetch)).toEqual([]);
  });

  test("--only runs the groups asked for, creating the profile they need", async () => {
    const { fetch, sleep } = simulator();
    const report = await run(fetch, sleep, { only: ["csv"] });
    expect(report.results.map((r) => r.group)).toEqual(["csv", "csv", "csv", "csv", "csv", "csv"]);
    expect(report.failed).toBe(0);
  });
});

// Each broken server is the simulator with one thing wrong, and fails exactly the checks named.
const rewrite =
  (
    fetch: Fetch,
    when: (request: Request, response: Response) => boolean,
    change: (body: Record<string, unknown>) => unknown,
    status?: number,
  ): Fetch =>
  async (request) => {
    const response = await fetch(request);
    if (!when(request, response)) return response;
    const body = change((await response.json()) as Record<string, unknown>);
    return Response.json(body, { status: status ?? response.status, headers: response.headers });
  };
const isCreate = (request: Request) => request.method === "POST" && new URL(request.url).pathname === api;

const brokenServers: [string, (fetch: Fetch) => Fetch, string[], RegExp][] = [
  [
    "create answers 200",
    (fetch) =>
      rewrite(
        fetch,
        (q, r) => isCreate(q) && r.status === 202,
        (body) => body,
        200,
      ),
    ["create: the documentation's request answers 202 or 201 with a provisioning profile and a GUID id"],
    /200 is not a declared response of createSynchronizationProfile/,
  ],
  [
    "create returns no state",
    (fetch) =>
      rewrite(
        fetch,
        (q, r) => isCreate(q) && r.status === 202,
        ({ state: _state, ...body }) => body,
      ),
    // The list check creates a second profile, whose answer breaks the same promise (decisions.md#guaranteed-fields).
    [
      "create: the documentation's request answers 202 or 201 with a provisioning profile and a GUID id",
      "read: list pages with $top through @odata.nextLink to the end, without repeats",
    ],
    /requires state "provisioning" .* \[documented §1 #2 \[OLD\]\[MGD\]\]; got "no state"/,
  ],
  [
    "an error without Graph's envelope",
    (fetch) =>
      rewrite(
        fetch,
        (q, r) => isCreate(q) && r.status === 400,
        () => ({ type: "about:blank", title: "Bad Request", status: 400 }),
      ),
    [
      "create: a request without displayName answers 400 with Graph's error envelope",
      "create: an unknown @odata.type answers 400 with Graph's error envelope",
      "create: a displayName that is not a string answers 400 with Graph's error envelope",
      "service: a create in the Microsoft.Education.DataSync namespace is refused, as the service refused it",
    ],
    /body \/error: 'error' is required \[graph-convention §4 \(error envelope\)\]/,
  ],
  [
    "a 429 without Retry-After",
    (fetch) => {
      let throttled = false;
      return async (request) => {
        if (!throttled && request.method === "GET" && new URL(request.url).search.includes("$top")) {
          throttled = true;
          return Response.json(
            { error: { code: "TooManyRequests", message: "Slow down.", innerError: { date: "2026-11-27T09:14:05" } } },
            { status: 429, headers: { "request-id": "r" } },
          );
        }
        return fetch(request);
      };
    },
    ["errors: a 429 carries Retry-After and Graph's error envelope"],
    /header \/retry-after: header 'retry-after' is required \[graph-convention §4\]/,
  ],
  [
    "a list whose nextLink loops",
    (fetch) =>
      rewrite(
        fetch,
        (q, r) => q.method === "GET" && new URL(q.url).pathname === api && r.status === 200,
        (body) => ({ ...body, "@odata.nextLink": `http://sds-conform.invalid${api}?$top=1&$skiptoken=1` }),
      ),
    ["read: list pages with $top through @odata.nextLink to the end, without repeats"],
    /requires an @odata.nextLink that leads on, to a last page without one .*; got a next link that repeats/,
  ],
  [
    "a status with an undeclared enum value",
    (fetch) =>
      rewrite(
        fetch,
        (q, r) => new URL(q.url).pathname.endsWith("/profileStatus") && r.status === 200,
        (body) => ({ ...body, status: "running" }),
      ),
    [
      "provisioning: the status endpoint answers while the profile provisions",
      "read: status answers",
      "service: status with $select answers only the property selected",
      "csv: pause answers 200 without a body",
    ],
    /body \/status: must be one of .*got "running"/,
  ],
  [
    "a profile that never settles",
    (fetch) =>
      rewrite(
        fetch,
        (q, r) =>
          q.method === "GET" &&
          /^\/education\/synchronizationProfiles\/[^/]+$/.test(new URL(q.url).pathname) &&
          r.status === 200,
        (body) => ({ ...body, state: "provisioning" }),
      ),
    ["provisioning: polling the profile settles in provisioned or provisioningFailed within the timeout"],
    /within 20000 ms of polling .*; got still "provisioning" after \d+ ms/,
  ],
  [
    "delete that leaves the profile readable forever",
    (fetch) => async (request) =>
      request.method === "DELETE"
        ? new Response(null, { status: 202, headers: { "request-id": "r", "client-request-id": "r" } })
        : fetch(request),
    ["delete: delete answers 202, then the profile goes away or reports deleting while it does"],
    /requires 404 within 20000 ms of the delete.*; got still readable after \d+ ms \(state "provisioned"\)/,
  ],
];

describe("runConformance against broken servers", () => {
  test.each(brokenServers)(
    "%s: fails exactly the checks it should, saying why",
    async (_name, breaking, failing, message) => {
      const { fetch, sleep } = simulator();
      const report = await run(breaking(fetch), sleep, { level: "kit" });
      const failed = report.results.filter((r) => r.status === "failed");
      expect(names(failed)).toEqual(failing);
      expect(formatConformanceText(report)).toMatch(message);
      // Nothing that depends on a broken step is reported as passed: it is skipped, with the reason.
      for (const result of report.results.filter((r) => r.status === "skipped")) expect(result.reason).toBeTruthy();
    },
  );

  test("a broken create: every check that needs the profile is skipped with the reason, none passes", async () => {
    const { fetch, sleep } = simulator();
    const [, breaking] = brokenServers[0] as (typeof brokenServers)[number];
    const report = await run(breaking(fetch), sleep);
    const needsProfile = report.results.filter((r) => ["provisioning", "read", "csv", "delete"].includes(r.group));
    expect(needsProfile.map((r) => r.status)).toEqual(needsProfile.map(() => "skipped"));
    expect(needsProfile[0]?.reason).toMatch(/^no profile to check: the create request answered 200 /);
  });
});

describe("conformance reports", () => {
  test("docs/conform.md lists every check the suite runs, in order, by group", async () => {
    const { fetch, sleep } = simulator();
    const report = await run(fetch, sleep);
    const page = readFileSync(join(packageRoot, "docs", "conform.md"), "utf8");
    const rows = [...page.matchAll(/^\| (create|provisioning|read|service|csv|delete|errors) +\| (.+?) +\|/gm)].map(
      (m) => `${m[1]}: ${m[2]}`,
    );
    expect(rows).toEqual(names(report.results));
  });

  test("JUnit: a suite per group, a case per check, failures and skips with their reasons", async () => {
    const { fetch, sleep } = simulator();
    const [, breaking] = brokenServers[1] as (typeof brokenServers)[number];
    const junit = formatConformanceJunit(await run(breaking(fetch), sleep));
    expect(junit).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="sds-kit conform \(documented\)">/,
    );
    expect(junit).toContain('<testsuite name="create" tests="4" failures="1">');
    expect(junit).toContain('<testsuite name="errors" tests="3" failures="0" skipped="1">');
    expect(junit).toContain(
      '<failure type="documented §1 #2 [OLD][MGD]" message="POST /education/synchronizationProfiles: requires state',
    );
  });
});
