import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type PrismMock, startPrismMock } from "../../mocks/prism/start-prism-mock.js";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { expectGraphError } from "../support/graph-error.js";
import { documentedProfileId, readJson } from "../support/requests.js";
import { readExample } from "../support/spec-source.js";

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
    { method: "GET", path: "/beta/education/synchronizationProfile", want: { status: 404, code: "itemNotFound" } },
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
      want: { status: 400, code: "invalidRequest" },
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
      want: { status: 400, code: "invalidRequest" },
    },
  ],
  [
    "a create that sets the read-only id",
    {
      method: "POST",
      path: profiles,
      headers: json,
      body: JSON.stringify({ ...documented(), id: documentedProfileId }),
      want: { status: 400, code: "invalidRequest" },
    },
  ],
  [
    "an empty $filter",
    { method: "GET", path: `${profiles}?$filter=`, headers: json, want: { status: 400, code: "invalidRequest" } },
  ],
  [
    "an empty $orderby",
    { method: "GET", path: `${profiles}?$orderby=`, headers: json, want: { status: 400, code: "invalidRequest" } },
  ],
  [
    "an empty $skiptoken",
    { method: "GET", path: `${profiles}?$skiptoken=`, headers: json, want: { status: 400, code: "invalidRequest" } },
  ],
  [
    "a $top that is not a number",
    { method: "GET", path: `${profiles}?$top=many`, headers: json, want: { status: 400, code: "invalidRequest" } },
  ],
  [
    "$top twice",
    { method: "GET", path: `${profiles}?$top=1&$top=2`, headers: json, want: { status: 400, code: "invalidRequest" } },
  ],
  [
    "an unsupported query option",
    { method: "GET", path: `${profiles}?$select=id`, headers: json, want: { status: 400, code: "invalidRequest" } },
  ],
  [
    "a body on an operation that takes none",
    {
      method: "POST",
      path: `${profiles}/${documentedProfileId}/pause`,
      headers: json,
      body: "{}",
      want: { status: 400, code: "invalidRequest" },
    },
  ],
];

let mock: PrismMock;
let simulator: RunningSimulator;
beforeAll(async () => {
  [mock, simulator] = await Promise.all([startPrismMock(), startSimulator({ clock: "virtual" })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([mock?.close(), simulator?.close()]);
});

/** The envelope without what differs per response: the ids and the date. */
function comparable(body: unknown): unknown {
  const copy = structuredClone(body) as { error?: { innerError?: unknown } };
  if (copy.error) delete copy.error.innerError;
  return copy;
}

describe("the Prism mock and the simulator judge a malformed request alike", () => {
  test.each(cases)("%s", async (_name, request) => {
    const send = (base: string) =>
      fetch(`${base}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
    const [fromMock, fromSimulator] = await Promise.all([send(mock.url), send(simulator.url)]);
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
    for (const response of await Promise.all([send(mock.url), send(simulator.url)])) {
      const body = (await readJson(response)) as { error: { details?: unknown[] } };
      expect(body.error.details).toEqual([
        { code: "required", message: "'displayName' is required", target: "body/displayName" },
      ]);
    }
  });
});
