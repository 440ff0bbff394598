import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { listen, serverUrl } from "../http/listen.js";
import { matchRoute } from "../spec/match-route.js";
import type { ConformanceLevel } from "../spec/provenance.js";
import { type SpecValidators, specValidators } from "../validation/spec-validators.js";
import type { Violation } from "../validation/violation.js";

/** One answer of the provider that broke the spec at the level it was judged. */
export interface JudgedExchange {
  method: string;
  /** The request path, relative to the provider's base URL. */
  path: string;
  status: number;
  violations: Violation[];
}

export interface SpecJudgingProxy {
  /** Where to send requests instead of the provider: the same base path on the proxy's origin. */
  url: string;
  /** Every exchange whose response broke the spec, in the order they happened. */
  readonly failures: JudgedExchange[];
  /** How many responses were judged. */
  readonly judged: number;
  close(): Promise<void>;
}

// Hop-by-hop headers belong to one connection; fetch has already decoded the body.
const notForwarded = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"]);

/**
 * A pass-through proxy in front of a provider that judges every response to an operation of the
 * spec at a conformance level (decisions.md#conformance-levels), without changing it: Pact
 * verification checks what a consumer's pact expects, this checks what the spec promises.
 */
export async function startSpecJudgingProxy(
  providerBaseUrl: string,
  level: ConformanceLevel,
  validators: SpecValidators = specValidators(),
): Promise<SpecJudgingProxy> {
  const upstream = new URL(providerBaseUrl);
  const basePath = upstream.pathname.replace(/\/$/, "");
  const failures: JudgedExchange[] = [];
  let judged = 0;

  const server = createServer((request, response) => {
    forward(request).then(
      ({ status, headers, body }) => {
        response.writeHead(status, headers);
        response.end(body);
      },
      (error: unknown) => {
        // The provider could not be reached: say so as Graph would, so Pact reports a clear failure.
        const message = `the provider at ${upstream.origin} did not answer: ${error instanceof Error ? error.message : String(error)}`;
        response.writeHead(502, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { code: "badGateway", message } }));
      },
    );
  });

  async function forward(request: IncomingMessage) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const method = request.method ?? "GET";
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || name === "host" || notForwarded.has(name)) continue;
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
    }
    const answer = await fetch(`${upstream.origin}${request.url ?? "/"}`, {
      method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      redirect: "manual",
    });
    const body = Buffer.from(await answer.arrayBuffer());
    const path = (request.url ?? "/").slice(basePath.length).split("?")[0] ?? "/";
    judge(method, path, answer, body);
    const forwarded: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!notForwarded.has(name)) forwarded[name] = value;
    });
    return { status: answer.status, headers: forwarded, body };
  }

  function judge(method: string, path: string, answer: Response, body: Buffer) {
    const match = matchRoute(method, path);
    if (match.kind !== "operation") return;
    judged += 1;
    let json: unknown;
    if (body.length > 0) {
      try {
        json = JSON.parse(body.toString("utf8"));
      } catch {
        failures.push({
          method,
          path,
          status: answer.status,
          violations: [{ location: "body", path: "", rule: "json", message: "the response body is not JSON" }],
        });
        return;
      }
    }
    const violations = validators.validateResponse(
      match.operation.operationId,
      { status: answer.status, headers: answer.headers, body: json },
      { level },
    );
    if (violations.length > 0) failures.push({ method, path, status: answer.status, violations });
  }

  await listen(server, "127.0.0.1", 0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `${serverUrl("127.0.0.1", port)}${basePath}`,
    failures,
    get judged() {
      return judged;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
