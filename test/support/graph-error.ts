import { expect } from "vitest";
import { specValidators } from "../../src/validation/spec-validators.js";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one assertion for a Graph error: the envelope validates, carries the code, and its
 * innerError ids are the response's own `request-id` and `client-request-id` headers.
 */
export function expectGraphError(
  response: Response,
  body: unknown,
  want: { status: number; code: string; message?: RegExp },
): void {
  expect(response.status).toBe(want.status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(specValidators().validateSchema("GraphError", body)).toEqual([]);
  const error = (body as { error: { code: string; message: string; innerError: Record<string, string> } }).error;
  expect(error.code).toBe(want.code);
  if (want.message) expect(error.message).toMatch(want.message);
  const requestId = response.headers.get("request-id");
  expect(requestId).toMatch(uuid);
  expect(error.innerError["request-id"]).toBe(requestId);
  expect(error.innerError["client-request-id"]).toBe(response.headers.get("client-request-id"));
}
