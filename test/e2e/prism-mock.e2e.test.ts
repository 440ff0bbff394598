import { once } from "node:events";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { operations } from "../../generated/route-table.js";
import { PortInUseError, type PrismMock, startPrismMock } from "../../mocks/prism/start-prism-mock.js";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { jsonContent } from "../../src/spec/spec-operations.js";
import { specValidators } from "../../src/validation/spec-validators.js";
import { formatViolation } from "../../src/validation/violation.js";
import { expectGraphError } from "../support/graph-error.js";
import { readDocumentation, scenarioRows } from "../support/readme.js";
import { anyBearer, documentedProfileId, readJson, validRequest } from "../support/requests.js";
import { readExample } from "../support/spec-source.js";

const validators = specValidators();
let examplesMock: PrismMock;
let dynamicMock: PrismMock;
let dynamicTwin: PrismMock;

beforeAll(async () => {
  // Three Prism mocks at once, each on a free port: the parallel case is part of the test.
  [examplesMock, dynamicMock, dynamicTwin] = await Promise.all([
    startPrismMock(),
    startPrismMock({ dynamic: true, seed: 42 }),
    startPrismMock({ dynamic: true, seed: 42 }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([examplesMock, dynamicMock, dynamicTwin].filter(Boolean).map((mock) => mock.close()));
});

async function call(mock: PrismMock, operationId: string, headers: Record<string, string> = {}) {
  const operation = operations.find((op) => op.operationId === operationId);
  if (!operation) throw new Error(operationId);
  const { path, init } = validRequest(operation, headers);
  const response = await fetch(`${mock.url}${path}`, init);
  return { response, body: await readJson(response) };
}

function expectValid(operationId: string, response: Response, body: unknown): void {
  // The kit's own mock sends only what the spec declares (decisions.md#open-responses).
  const violations = validators.validateResponse(
    operationId,
    { status: response.status, headers: response.headers, body },
    { declaredOnly: true },
  );
  expect(violations.map(formatViolation)).toEqual([]);
}

/** Error examples are served with this request's ids and date in innerError; everything else verbatim. */
function withoutInnerErrorIds(value: unknown): unknown {
  if (value === null || typeof value !== "object" || !("error" in value)) return value;
  const copy = structuredClone(value) as { error: { innerError?: Record<string, unknown> } };
  for (const key of ["date", "request-id", "client-request-id"]) delete copy.error.innerError?.[key];
  return copy;
}

type Selection = [name: string, { operationId: string; status: string; example: string | undefined }];

const selections: Selection[] = operations.flatMap((operation) =>
  Object.entries(validators.operation(operation.operationId).responses).flatMap(([status, response]): Selection[] => {
    const { operationId } = operation;
    const examples = Object.keys(jsonContent(response.content)?.examples ?? {});
    return examples.length === 0
      ? [[`${operationId} ${status}`, { operationId, status, example: undefined }]]
      : examples.map(
          (example): Selection => [`${operationId} ${status} '${example}'`, { operationId, status, example }],
        );
  }),
);

describe("Prism mock: every declared response, selected with Prefer", () => {
  test.each(selections)("%s", async (_name, { operationId, status, example }) => {
    const prefer = example === undefined ? `code=${status}` : `code=${status}, example=${example}`;
    const { response, body } = await call(examplesMock, operationId, { prefer });
    expect(response.status).toBe(Number(status));
    expectValid(operationId, response, body);
    if (example !== undefined) {
      const declared = jsonContent(validators.operation(operationId).responses[status]?.content)?.examples?.[example];
      expect(withoutInnerErrorIds(body)).toEqual(withoutInnerErrorIds((declared as { value: unknown }).value));
    }
  });

  test("example=<name> alone finds the status that has it", async () => {
    const { response, body } = await call(examplesMock, "listSynchronizationProfiles", { prefer: "example=throttled" });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("2.128");
    expectValid("listSynchronizationProfiles", response, body);
  });

  test("an undeclared code or unknown example is a 400 that lists what exists", async () => {
    const code = await call(examplesMock, "createSynchronizationProfile", { prefer: "code=418" });
    expectGraphError(code.response, code.body, {
      status: 400,
      code: "BadRequest",
      message: /code=418.*declared: .*202/,
    });
    const example = await call(examplesMock, "getSynchronizationProfile", { prefer: "example=nope" });
    expectGraphError(example.response, example.body, {
      status: 400,
      code: "BadRequest",
      message: /example=nope.*200:provisioning/,
    });
  });
});

describe("Prism mock: answers like Graph", () => {
  test("the documentation's create request gets 202 and the documentation's response", async () => {
    const response = await fetch(`${examplesMock.url}/education/synchronizationProfiles`, {
      method: "POST",
      headers: { ...anyBearer, "content-type": "application/json" },
      body: JSON.stringify(readExample("createSynchronizationProfile.request").value),
    });
    const body = await readJson(response);
    expect(response.status).toBe(202);
    expectValid("createSynchronizationProfile", response, body);
    expect(body).toEqual(readExample("createSynchronizationProfile.202").value);
  });

  test("Prefer: code=201 returns the documented 201 variant", async () => {
    const { response, body } = await call(examplesMock, "createSynchronizationProfile", { prefer: "code=201" });
    expect(response.status).toBe(201);
    expect(body).toEqual(readExample("createSynchronizationProfile.201").value);
  });

  test("no Authorization gets the 401 envelope with WWW-Authenticate", async () => {
    const response = await fetch(`${examplesMock.url}/education/synchronizationProfiles`);
    const body = await readJson(response);
    expectGraphError(response, body, { status: 401, code: "InvalidAuthenticationToken" });
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expectValid("listSynchronizationProfiles", response, body);
  });

  test("an invalid body gets the 400 envelope naming each rule, each also in error.details", async () => {
    const body = {
      ...(readExample("createSynchronizationProfile.request").value as object),
      state: "provisioned",
    } as Record<string, unknown>;
    delete body.displayName;
    const response = await fetch(`${examplesMock.url}/education/synchronizationProfiles`, {
      method: "POST",
      headers: { ...anyBearer, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = (await readJson(response)) as { error: { details?: { code: string; target: string }[] } };
    expectGraphError(response, answer, {
      status: 400,
      code: "BadRequest",
      message: /\/displayName: 'displayName' is required.*\/state/,
    });
    expectValid("createSynchronizationProfile", response, answer);
    expect(answer.error.details).toEqual([
      { code: "required", message: "'displayName' is required", target: "body/displayName" },
      expect.objectContaining({ code: "readOnly", target: "body/state" }),
    ]);
    expect(response.headers.get("sl-violations")).toBeNull();
  });

  test("malformed JSON gets the 400 envelope", async () => {
    const response = await fetch(`${examplesMock.url}/education/synchronizationProfiles`, {
      method: "POST",
      headers: { ...anyBearer, "content-type": "application/json" },
      body: '{"displayName": ',
    });
    expectGraphError(response, await readJson(response), {
      status: 400,
      code: "BadRequest",
      message: /not valid JSON/,
    });
  });

  test("an unknown path gets Graph's 400 naming the segment and a wrong method the 405 with Allow", async () => {
    const unknown = await fetch(`${examplesMock.url}/education/synchronizationProfile`, { headers: anyBearer });
    expectGraphError(unknown, await readJson(unknown), {
      status: 400,
      code: "BadRequest",
      message: /^Resource not found for the segment 'synchronizationProfile'\.$/,
    });
    const wrong = await fetch(`${examplesMock.url}/education/synchronizationProfiles/${documentedProfileId}/pause`, {
      headers: anyBearer,
    });
    expectGraphError(wrong, await readJson(wrong), { status: 405, code: "notAllowed" });
    expect(wrong.headers.get("allow")).toBe("POST");
  });

  test.each([["/beta"], ["/testEduApi"]])("answers under the %s prefix", async (prefix) => {
    const response = await fetch(
      `${examplesMock.url}${prefix}/education/synchronizationProfiles/${documentedProfileId}`,
      { headers: anyBearer },
    );
    const body = await readJson(response);
    expect(response.status).toBe(200);
    expectValid("getSynchronizationProfile", response, body);
  });

  test("echoes client-request-id in the header and in error envelopes", async () => {
    const clientRequestId = "0f9e8d7c-6b5a-4938-a716-5e4d3c2b1a09";
    const ok = await call(examplesMock, "getSynchronizationProfileStatus", { "client-request-id": clientRequestId });
    expect(ok.response.headers.get("client-request-id")).toBe(clientRequestId);
    const failed = await call(examplesMock, "getSynchronizationProfileStatus", {
      "client-request-id": clientRequestId,
      prefer: "code=503",
    });
    expectGraphError(failed.response, failed.body, { status: 503, code: "serviceNotAvailable" });
    expect(failed.response.headers.get("client-request-id")).toBe(clientRequestId);
  });

  test("every response gets its own request-id", async () => {
    const ids = new Set<string | null>();
    for (let i = 0; i < 5; i += 1)
      ids.add((await call(examplesMock, "listSynchronizationProfiles")).response.headers.get("request-id"));
    expect(ids.size).toBe(5);
  });
});

describe("Prism mock: dynamic mode", () => {
  const statusOf = (operationId: string) => operations.find((op) => op.operationId === operationId)?.servedStatus;

  test.each(operations.map((op) => [op.operationId] as const))(
    "%s: 20 seeded responses all validate, with no undeclared or write-only property",
    async (operationId) => {
      for (let seed = 1; seed <= 20; seed += 1) {
        const { response, body } = await call(dynamicMock, operationId, { prefer: `seed=${seed}` });
        expect(response.status, `seed ${seed}`).toBeLessThan(300);
        if (statusOf(operationId)) expect(String(response.status)).toBe(statusOf(operationId));
        // What the kit's own servers are held to: a secret never comes back, nothing is made up.
        const violations = validators.validateResponse(
          operationId,
          { status: response.status, headers: response.headers, body },
          { declaredOnly: true },
        );
        expect(violations.map(formatViolation), `seed ${seed}: ${JSON.stringify(body)}`).toEqual([]);
      }
    },
  );

  test("generated profiles look real: GUID ids, sample names and domains, no evolvable members", async () => {
    const bodies: string[] = [];
    for (let seed = 1; seed <= 20; seed += 1) {
      const { body } = await call(dynamicMock, "getSynchronizationProfile", { prefer: `seed=${seed}` });
      const profile = body as { id: string; displayName: string; state: string };
      expect(profile.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(profile.displayName).not.toMatch(/lorem|ipsum|dolor|consectetur|adipisicing|\bsit\b|\bamet\b/i);
      expect(profile.state).not.toBe("unknownFutureValue");
      bodies.push(JSON.stringify(body));
    }
    expect(bodies.join("\n")).not.toMatch(/unknownFutureValue|"faculty"|"extracting"|"validating"/);
    expect(new Set(bodies).size).toBeGreaterThan(10);
  });

  test("the same seed gives the same response, on one server and across servers", async () => {
    const first = await call(dynamicMock, "getSynchronizationProfileStatus", { prefer: "seed=7" });
    const again = await call(dynamicMock, "getSynchronizationProfileStatus", { prefer: "seed=7" });
    expect(again.body).toEqual(first.body);
    const a = await call(dynamicMock, "listSynchronizationErrors");
    const b = await call(dynamicTwin, "listSynchronizationErrors");
    expect(b.body).toEqual(a.body);
  });
});

describe("Prism mock: lifecycle", () => {
  test("close() stops Prism by its PID and frees the port", async () => {
    // The twin has served its purpose (the dynamic tests above); closing it is this test.
    const mock = dynamicTwin;
    const { port } = new URL(mock.url);
    process.kill(mock.prismPid, 0);
    await mock.close();
    expect(() => process.kill(mock.prismPid, 0)).toThrow(/ESRCH/);
    const probe = createServer().listen(Number(port), "127.0.0.1");
    await once(probe, "listening");
    probe.close();
  }, 30_000);

  test("a port in use is a PortInUseError, with no Prism started", async () => {
    const busy = createServer().listen(0, "127.0.0.1");
    await once(busy, "listening");
    const port = (busy.address() as { port: number }).port;
    try {
      await expect(startPrismMock({ port })).rejects.toThrow(PortInUseError);
      await expect(startPrismMock({ port })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      busy.close();
    }
  });
});

describe("Prism mock: the defaults its README gives", () => {
  test.each(
    scenarioRows(readDocumentation("mocks/prism/README.md"))
      .filter((row) => row.isDefault)
      .map((row) => [row.operationId, row] as const),
  )("%s without Prefer answers the README's default row", async (operationId, row) => {
    const { response, body } = await call(examplesMock, operationId);
    expect(String(response.status)).toBe(row.status);
    if (row.example !== undefined) {
      const declared = jsonContent(validators.operation(operationId).responses[row.status]?.content)?.examples?.[
        row.example
      ];
      expect(body).toEqual((declared as { value: unknown }).value);
    }
  });
});

// The simulator checks this token's scopes; the mock takes any bearer token. Both get the same one.
const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"] });
const profiles = "/beta/education/synchronizationProfiles";
const documented = () =>
  structuredClone(readExample("createSynchronizationProfile.request").value) as Record<string, unknown>;
const json = { authorization: `Bearer ${token}`, "content-type": "application/json" };

interface Malformed {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** What both must answer. */
  want: { status: number; code: string; headers?: string[] };
}

const withoutDisplayName = () => {
  const body = documented();
  delete body.displayName;
  return JSON.stringify(body);
};

const cases: [string, Malformed][] = [
  [
    "an unknown path",
    { method: "GET", path: "/beta/education/synchronizationProfile", want: { status: 400, code: "BadRequest" } },
  ],
  [
    "a wrong method",
    {
      method: "GET",
      path: `${profiles}/${documentedProfileId}/pause`,
      want: { status: 405, code: "notAllowed", headers: ["allow"] },
    },
  ],
  [
    "malformed JSON",
    {
      method: "POST",
      path: profiles,
      headers: json,
      body: '{"displayName": ',
      want: { status: 400, code: "BadRequest" },
    },
  ],
  [
    "a body that is not JSON",
    {
      method: "POST",
      path: profiles,
      headers: { ...json, "content-type": "text/plain" },
      body: "displayName=Test",
      want: { status: 415, code: "unsupportedMediaType" },
    },
  ],
  [
    "a body over 1 MiB",
    {
      method: "POST",
      path: profiles,
      headers: json,
      body: JSON.stringify({ displayName: "x".repeat(1024 * 1024) }),
      want: { status: 413, code: "requestEntityTooLarge" },
    },
  ],
  [
    "no bearer token",
    {
      method: "GET",
      path: profiles,
      want: { status: 401, code: "InvalidAuthenticationToken", headers: ["www-authenticate"] },
    },
  ],
  [
    "a create without displayName",
    {
      method: "POST",
      path: profiles,
      headers: json,
      body: withoutDisplayName(),
      want: { status: 400, code: "BadRequest" },
    },
  ],
  [
    "a create that sets the read-only id",
    {
      method: "POST",
      path: profiles,
      headers: json,
      body: JSON.stringify({ ...documented(), id: documentedProfileId }),
      want: { status: 400, code: "BadRequest" },
    },
  ],
  [
    "an empty $filter",
    { method: "GET", path: `${profiles}?$filter=`, headers: json, want: { status: 400, code: "BadRequest" } },
  ],
  [
    "an empty $orderby",
    { method: "GET", path: `${profiles}?$orderby=`, headers: json, want: { status: 400, code: "BadRequest" } },
  ],
  [
    "an empty $skiptoken",
    { method: "GET", path: `${profiles}?$skiptoken=`, headers: json, want: { status: 400, code: "BadRequest" } },
  ],
  [
    "a $top that is not a number",
    { method: "GET", path: `${profiles}?$top=many`, headers: json, want: { status: 400, code: "BadRequest" } },
  ],
  [
    "$top twice",
    { method: "GET", path: `${profiles}?$top=1&$top=2`, headers: json, want: { status: 400, code: "BadRequest" } },
  ],
  [
    "an unsupported query option",
    { method: "GET", path: `${profiles}?$search=id`, headers: json, want: { status: 400, code: "BadRequest" } },
  ],
  [
    "a body on an operation that takes none",
    {
      method: "POST",
      path: `${profiles}/${documentedProfileId}/pause`,
      headers: json,
      body: "{}",
      want: { status: 400, code: "BadRequest" },
    },
  ],
];

/** The envelope without what differs per response: the ids and the date. */
function comparable(body: unknown): unknown {
  const copy = structuredClone(body) as { error?: { innerError?: unknown } };
  if (copy.error) delete copy.error.innerError;
  return copy;
}

describe("the Prism mock and the simulator judge a malformed request alike", () => {
  let simulator: RunningSimulator;
  beforeAll(async () => {
    simulator = await startSimulator({ clock: "virtual" });
  });
  afterAll(async () => {
    await simulator.close();
  });

  test.each(cases)("%s", async (_name, request) => {
    const send = (base: string) =>
      fetch(`${base}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
    const [fromMock, fromSimulator] = await Promise.all([send(examplesMock.url), send(simulator.url)]);
    const [mockBody, simulatorBody] = await Promise.all([readJson(fromMock), readJson(fromSimulator)]);
    expectGraphError(fromMock, mockBody, request.want);
    expectGraphError(fromSimulator, simulatorBody, request.want);
    expect(comparable(mockBody)).toEqual(comparable(simulatorBody));
    for (const header of request.want.headers ?? []) {
      expect(fromMock.headers.get(header), header).toBeTruthy();
      expect(fromMock.headers.get(header), header).toBe(fromSimulator.headers.get(header));
    }
  });

  test("a request that breaks the spec lists each rule in error.details, on both", async () => {
    const send = (base: string) =>
      fetch(`${base}${profiles}`, { method: "POST", headers: json, body: withoutDisplayName() });
    for (const response of await Promise.all([send(examplesMock.url), send(simulator.url)])) {
      const body = (await readJson(response)) as { error: { details?: unknown[] } };
      expect(body.error.details).toEqual([
        { code: "required", message: "'displayName' is required", target: "body/displayName" },
      ]);
    }
  });
});
