import { describe, expect, test } from "vitest";
import { jsonRequestLog } from "../../src/cli/request-log.js";

describe("sds-kit simulate --log json", () => {
  test("writes one JSON line per request, with its request id, at error for a 5xx", async () => {
    const lines: string[] = [];
    const log = await jsonRequestLog({ write: (chunk: string) => lines.push(chunk) }, "sds-kit-simulate");
    const answered = {
      requestId: "4189e2c2-1139-4f83-ad6b-784796ef7d74",
      clientRequestId: "ef4dbcfe-11e2-4326-b666-803d634bccc5",
      method: "GET",
      path: "/beta/education/synchronizationProfiles",
      operation: "listSynchronizationProfiles",
      tenant: "contoso",
      durationMs: 1.234,
    };
    log({ ...answered, status: 200 });
    log({ ...answered, status: 503 });
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.endsWith("\n") && !line.slice(0, -1).includes("\n"))).toBe(true);
    const [ok, failed] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(ok).toMatchObject({
      level: 30,
      msg: "request",
      service: "sds-kit-simulate",
      requestId: answered.requestId,
      clientRequestId: answered.clientRequestId,
      operation: "listSynchronizationProfiles",
      tenant: "contoso",
      status: 200,
      durationMs: 1.2,
    });
    expect(typeof ok?.time === "string" && !Number.isNaN(Date.parse(ok.time))).toBe(true);
    expect(failed).toMatchObject({ level: 50, status: 503 });
  });
});
