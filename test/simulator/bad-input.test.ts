import { describe, expect, test } from "vitest";
import { expectGraphError } from "../support/graph-error.js";
import { answer, documentedRequest, inProcessSimulator, profiles } from "../support/simulator-harness.js";

interface BadInput {
  method: string;
  path: string;
  raw?: string;
  headers?: Record<string, string>;
  body?: unknown;
  status: number;
  code: string;
  message?: RegExp;
}

describe("simulator: bad input is a Graph error, never a crash", () => {
  const cases: [string, BadInput][] = [
    [
      "malformed JSON",
      {
        method: "POST",
        path: profiles,
        raw: '{"displayName":',
        headers: { "content-type": "application/json" },
        status: 400,
        code: "BadRequest",
        message: /not valid JSON/,
      },
    ],
    [
      "wrong content type",
      {
        method: "POST",
        path: profiles,
        raw: "displayName=x",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        status: 415,
        code: "unsupportedMediaType",
      },
    ],
    [
      "body over the limit",
      {
        method: "POST",
        path: profiles,
        body: { displayName: "x".repeat(3000) },
        status: 413,
        code: "requestEntityTooLarge",
      },
    ],
    [
      "unknown route",
      {
        method: "GET",
        path: "/education/synchronizationProfile",
        status: 400,
        code: "BadRequest",
        message: /^Resource not found for the segment 'synchronizationProfile'\.$/,
      },
    ],
    [
      "the path without /education",
      {
        method: "GET",
        path: "/synchronizationProfiles",
        status: 400,
        code: "BadRequest",
        message: /^Resource not found for the segment 'synchronizationProfiles'\.$/,
      },
    ],
    ["wrong method", { method: "PATCH", path: profiles, body: {}, status: 405, code: "notAllowed" }],
    [
      "a schema violation",
      {
        method: "POST",
        path: profiles,
        body: { displayName: "x" },
        status: 400,
        code: "BadRequest",
        message: /'dataProvider' is required/,
      },
    ],
    [
      "a non-GUID id",
      { method: "GET", path: `${profiles}/profile-1`, status: 400, code: "BadRequest", message: /GUID/ },
    ],
    [
      "an unknown scenario",
      {
        method: "POST",
        path: profiles,
        body: { ...documentedRequest(), displayName: "x [sds:explode]" },
        status: 400,
        code: "BadRequest",
        message: /unknown scenario 'explode'/,
      },
    ],
    [
      "an expiration date too far ahead",
      {
        method: "POST",
        path: profiles,
        body: { ...documentedRequest(), expirationDate: "2099-01-01" },
        status: 400,
        code: "BadRequest",
        message: /18 months/,
      },
    ],
  ];
  test.each(cases)("%s", async (_name, { method, path, raw, headers, body, status, code, message }) => {
    const { call } = inProcessSimulator({ maxBodyBytes: 2048 });
    const [response, json] = await answer(call(method, path, { raw, headers, body }));
    expectGraphError(response, json, { status, code, message });
    if (status === 405) expect(response.headers.get("allow")).toBe("GET, POST, PUT");
  });

  test("a schema violation lists each rule in details", async () => {
    const { call } = inProcessSimulator();
    const { body } = await call("POST", profiles, {
      body: { ...documentedRequest(), state: "provisioned", displayName: "" },
    });
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: "readOnly", target: "body/state" }),
        expect.objectContaining({ code: "minLength", target: "body/displayName" }),
      ]),
    );
  });
});
