import { expect } from "vitest";
import { createTestToken } from "../../src/auth/test-token.js";
import { withDollarPrefixes } from "../../src/graph/query-options.js";
import { matchRoute } from "../../src/spec/match-route.js";
import { specValidators } from "../../src/validation/spec-validators.js";
import { formatViolation } from "../../src/validation/violation.js";

export const readWrite = createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "tenant-a" });

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies, and every one is validated against the spec first
type Json = any;

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * Talks to a simulator over HTTP (or through its in-process fetch) and checks every answer
 * against the spec: an operation's response with the validators, anything else as a Graph error.
 */
export function simClient(baseUrl: string, options: { token?: string | null; fetch?: typeof fetch } = {}) {
  const send = options.fetch ?? fetch;
  const token = options.token === undefined ? readWrite : options.token;
  return async function call<T = Json>(
    method: string,
    path: string,
    init: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers };
    let body: string | undefined;
    if (init.raw !== undefined) body = init.raw;
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["content-type"] ??= "application/json";
    }
    const url = new URL(path, baseUrl);
    const response = await send(url, { method, headers, body });
    const text = await response.text();
    const json = text.length > 0 ? JSON.parse(text) : undefined;
    if (!url.pathname.startsWith("/_sds")) {
      const match = matchRoute(method, url.pathname);
      const violations =
        match.kind === "operation"
          ? specValidators().validateResponse(
              match.operation.operationId,
              { status: response.status, headers: response.headers, body: json },
              // The kit's own servers send only what the spec declares (decisions.md#open-responses).
              { declaredOnly: true, selected: withDollarPrefixes(url).searchParams.has("$select") },
            )
          : specValidators().validateSchema("GraphError", json);
      expect(violations.map(formatViolation), `${method} ${path} -> ${response.status}`).toEqual([]);
    }
    return { status: response.status, headers: response.headers, body: json as T };
  };
}
