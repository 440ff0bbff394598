import { describe, expect, test } from "vitest";
import { type RequestInput, type ResponseInput, specValidators } from "../../src/validation/spec-validators.js";
import { formatViolation, type Violation } from "../../src/validation/violation.js";
import { readExample } from "../support/spec-source.js";

const validators = specValidators();
const guid = "86904b1e-c7d0-4ead-b13a-98f11fc400ee";
const ids = { "request-id": guid, "client-request-id": guid };

type Want = Pick<Violation, "location" | "path" | "rule">[];

const requests: [string, { operationId: string; given: RequestInput; want: Want }][] = [
  [
    "get > accepts a GUID id",
    { operationId: "getSynchronizationProfile", given: { pathParams: { id: guid } }, want: [] },
  ],
  [
    "get > rejects an id that is not a GUID",
    {
      operationId: "getSynchronizationProfile",
      given: { pathParams: { id: "profile-1" } },
      want: [{ location: "path", path: "/id", rule: "format" }],
    },
  ],
  [
    "list > coerces $top and $count from the query string",
    {
      operationId: "listSynchronizationProfiles",
      given: { query: new URLSearchParams("$top=50&$count=true&$skip=0") },
      want: [],
    },
  ],
  [
    "list > rejects $top below 1",
    {
      operationId: "listSynchronizationProfiles",
      given: { query: { $top: "0" } },
      want: [{ location: "query", path: "/$top", rule: "minimum" }],
    },
  ],
  [
    "list > rejects $count that is not a boolean",
    {
      operationId: "listSynchronizationProfiles",
      given: { query: { $count: "yes" } },
      want: [{ location: "query", path: "/$count", rule: "type" }],
    },
  ],
  [
    "list > rejects an unsupported OData option",
    {
      operationId: "listSynchronizationProfiles",
      given: { query: { $search: "errors" } },
      want: [{ location: "query", path: "/$search", rule: "unknownQueryOption" }],
    },
  ],
  [
    "list > ignores a custom query parameter",
    { operationId: "listSynchronizationProfiles", given: { query: { tracing: "on" } }, want: [] },
  ],
  [
    "list > rejects an option given twice",
    {
      operationId: "listSynchronizationProfiles",
      given: { query: new URLSearchParams("$top=1&$top=2") },
      want: [{ location: "query", path: "/$top", rule: "duplicate" }],
    },
  ],
  [
    "status > rejects $top, which only lists take",
    {
      operationId: "getSynchronizationProfileStatus",
      given: { pathParams: { id: guid }, query: { $top: "1" } },
      want: [{ location: "query", path: "/$top", rule: "unknownQueryOption" }],
    },
  ],
  [
    "any > rejects a client-request-id that is not a GUID",
    {
      operationId: "getSynchronizationProfile",
      given: { pathParams: { id: guid }, headers: { "Client-Request-Id": "abc" } },
      want: [{ location: "header", path: "/client-request-id", rule: "format" }],
    },
  ],
  [
    "create > requires a body",
    {
      operationId: "createSynchronizationProfile",
      given: {},
      want: [{ location: "body", path: "", rule: "required" }],
    },
  ],
  [
    "create > rejects a body that is not JSON by content type",
    {
      operationId: "createSynchronizationProfile",
      given: { headers: { "content-type": "text/plain" }, body: "displayName=x" },
      want: [{ location: "header", path: "/content-type", rule: "contentType" }],
    },
  ],
  [
    "create > accepts application/json with a charset",
    {
      operationId: "createSynchronizationProfile",
      given: {
        headers: { "content-type": "application/json; charset=utf-8" },
        body: readExample("createSynchronizationProfile.request").value,
      },
      want: [],
    },
  ],
  [
    "pause > rejects a body",
    {
      operationId: "pauseSynchronizationProfile",
      given: { pathParams: { id: guid }, body: {} },
      want: [{ location: "body", path: "", rule: "noBody" }],
    },
  ],
  [
    "patch > rejects an empty change",
    {
      operationId: "updateSynchronizationProfile",
      given: { pathParams: { id: guid }, body: {} },
      want: [{ location: "body", path: "", rule: "minProperties" }],
    },
  ],
];

const responses: [string, { operationId: string; given: ResponseInput; want: Want }][] = [
  [
    "create > accepts the documented 202 with its headers",
    {
      operationId: "createSynchronizationProfile",
      given: { status: 202, headers: ids, body: readExample("createSynchronizationProfile.202").value },
      want: [],
    },
  ],
  [
    "create > rejects an undeclared status",
    {
      operationId: "createSynchronizationProfile",
      given: { status: 200, headers: ids, body: {} },
      want: [{ location: "status", path: "", rule: "status" }],
    },
  ],
  [
    "create > requires the request-id header",
    {
      operationId: "createSynchronizationProfile",
      given: {
        status: 202,
        headers: { "client-request-id": guid },
        body: readExample("createSynchronizationProfile.202").value,
      },
      want: [{ location: "header", path: "/request-id", rule: "required" }],
    },
  ],
  [
    "create > requires a body on 202",
    {
      operationId: "createSynchronizationProfile",
      given: { status: 202, headers: ids },
      want: [{ location: "body", path: "", rule: "required" }],
    },
  ],
  [
    "any > requires Retry-After on 429",
    {
      operationId: "getSynchronizationProfile",
      given: { status: 429, headers: ids, body: readExample("graphError.429").value },
      want: [{ location: "header", path: "/retry-after", rule: "required" }],
    },
  ],
  [
    "any > rejects a Retry-After that is not a number of seconds",
    {
      operationId: "getSynchronizationProfile",
      given: { status: 429, headers: { ...ids, "Retry-After": "soon" }, body: readExample("graphError.429").value },
      want: [{ location: "header", path: "/retry-after", rule: "pattern" }],
    },
  ],
  [
    "any > requires WWW-Authenticate on 401",
    {
      operationId: "listSynchronizationProfiles",
      given: { status: 401, headers: ids, body: readExample("graphError.401").value },
      want: [{ location: "header", path: "/www-authenticate", rule: "required" }],
    },
  ],
  [
    "any > rejects an error that is not the Graph envelope",
    {
      operationId: "getSynchronizationProfile",
      given: { status: 404, headers: ids, body: { type: "about:blank", title: "Not Found", status: 404 } },
      // The envelope is open (Graph may add members), so the one broken rule is the missing `error`.
      want: [{ location: "body", path: "/error", rule: "required" }],
    },
  ],
  [
    "pause > accepts 200 without a body",
    { operationId: "pauseSynchronizationProfile", given: { status: 200, headers: ids }, want: [] },
  ],
];

const pick = (violations: Violation[]) => violations.map(({ location, path, rule }) => ({ location, path, rule }));

describe("SpecValidators", () => {
  test.each(requests)("request: %s", (_name, { operationId, given, want }) => {
    expect(pick(validators.validateRequest(operationId, given))).toEqual(want);
  });

  test.each(responses)("response: %s", (_name, { operationId, given, want }) => {
    expect(pick(validators.validateResponse(operationId, given))).toEqual(want);
  });

  test("unknown operation ids and schema names are programming errors that say what exists", () => {
    expect(() => validators.validateRequest("createProfile", {})).toThrow(
      /unknown operationId 'createProfile'; known: listSynchronizationProfiles/,
    );
    expect(() => validators.validateSchema("Profile", {})).toThrow(/unknown schema 'Profile'/);
  });

  test("compiles once: the shared instance is reused", () => {
    expect(specValidators()).toBe(validators);
  });

  test("formatViolation gives one line with location, path and message", () => {
    const [violation] = validators.validateRequest("getSynchronizationProfile", { pathParams: { id: "x" } });
    expect(violation && formatViolation(violation)).toBe(`path /id: ${violation?.message}`);
    expect(violation?.message).toContain('"x"');
  });

  describe("a value nested deeper than the kit reads", () => {
    const deep = (levels: number): unknown => {
      let value: unknown = "leaf";
      for (let i = 0; i < levels; i += 1) value = i % 2 === 0 ? [value] : { nested: value };
      return value;
    };

    test.each([
      ["a request body", () => validators.validateRequestBody("createSynchronizationProfile", deep(100_000))],
      ["a response body", () => validators.validateResponseBody("getSynchronizationProfile", 200, deep(100_000))],
      ["a schema", () => validators.validateSchema("EducationSynchronizationProfile", deep(100_000))],
    ])("%s is one depth violation, not a stack overflow, at every level", (_what, judge) => {
      expect(judge().map(({ rule, path }) => `${rule} ${path}`)).toEqual(["depth "]);
    });

    test("the documented level keeps it too: it is no decision of the kit's to drop", () => {
      expect(validators.validateSchema("GraphError", deep(100), { level: "documented" })).toHaveLength(1);
    });

    test("64 levels are judged as usual", () => {
      const violations = validators.validateSchema("EducationSynchronizationProfile", deep(63));
      expect(violations.map((v) => v.rule)).not.toContain("depth");
    });
  });
});
