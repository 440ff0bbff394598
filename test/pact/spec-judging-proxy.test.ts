import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startSpecJudgingProxy } from "../../src/pact/spec-judging-proxy.js";

const id = "86904b1e-c7d0-4ead-b13a-98f11fc400ee";
const ids = { "request-id": id, "client-request-id": id, "content-type": "application/json" };
const envelope = (code: string) =>
  JSON.stringify({ error: { code, message: "m", innerError: { date: "2026-11-27T09:14:05" } } });

// A provider that answers a little differently from the kit: no challenge with its 401 (the kit's
// decision), a 410 the spec does not declare, and one answer that breaks Microsoft's own model.
const answers: Record<string, [number, string]> = {
  "/beta/education/synchronizationProfiles": [401, envelope("InvalidAuthenticationToken")],
  [`/beta/education/synchronizationProfiles/${id}`]: [410, envelope("gone")],
  [`/beta/education/synchronizationProfiles/${id}/profileStatus`]: [
    200,
    JSON.stringify({ status: "success", errorCount: "3" }),
  ],
};
let provider: Server;
let providerUrl: string;

beforeAll(async () => {
  provider = createServer((request, response) => {
    const [status, body] = answers[request.url ?? ""] ?? [404, envelope("itemNotFound")];
    response.writeHead(status, { ...ids, "x-provider": "stub" });
    response.end(body);
  });
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/beta`;
});
afterAll(() => new Promise<void>((resolve) => provider.close(() => resolve())));

async function judgeEveryAnswer(level: "documented" | "kit") {
  const proxy = await startSpecJudgingProxy(providerUrl, level);
  try {
    const seen = [];
    for (const path of Object.keys(answers)) {
      const response = await fetch(`${proxy.url}${path.slice("/beta".length)}`);
      seen.push({ status: response.status, provider: response.headers.get("x-provider"), body: await response.text() });
    }
    return { seen, judged: proxy.judged, failures: proxy.failures };
  } finally {
    await proxy.close();
  }
}

describe("startSpecJudgingProxy", () => {
  test("passes every answer through unchanged", async () => {
    const { seen } = await judgeEveryAnswer("kit");
    expect(seen).toEqual(Object.values(answers).map(([status, body]) => ({ status, provider: "stub", body })));
  });

  test("at the documented level, holds only Microsoft's word", async () => {
    const { judged, failures } = await judgeEveryAnswer("documented");
    expect(judged).toBe(3);
    expect(failures).toMatchObject([
      {
        method: "GET",
        path: `/education/synchronizationProfiles/${id}/profileStatus`,
        status: 200,
        violations: [{ path: "/errorCount", rule: "type" }],
      },
    ]);
  });

  test("at the kit level, holds the kit's decisions too, naming each", async () => {
    const { failures } = await judgeEveryAnswer("kit");
    expect(failures.map((f) => [f.status, f.violations.map((v) => v.source ?? v.rule)])).toEqual([
      [401, ["kit decisions.md#www-authenticate"]],
      [410, ["status"]],
      [200, ["csdl §2.2 [SDK][LEARN]"]],
    ]);
  });

  test("a provider that does not answer is a 502 with a Graph-shaped error, not a hang", async () => {
    // A port that was free a moment ago and that nothing listens on now.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const proxy = await startSpecJudgingProxy(`http://127.0.0.1:${port}/beta`, "kit");
    try {
      const response = await fetch(`${proxy.url}/education/synchronizationProfiles`);
      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/did not answer/);
    } finally {
      await proxy.close();
    }
  });
});
