import { request as httpRequest, METHODS } from "node:http";
import { resolve } from "./fuzz-simulator.js";
import type { HostileRequest } from "./hostile-requests.js";
import type { Exchange } from "./judge-answer.js";

/** node:http's default limit on a request's head; a larger one never reaches the handler. */
export const maxHeadBytes = 16 * 1024;

/** The size of a request's request line and headers, to tell whether node's own 431 answers it. */
export function headBytes(request: HostileRequest, target: string): number {
  return (
    request.method.length +
    target.length +
    Object.entries(request.headers).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0) +
    64
  );
}

/**
 * A request node's parser refuses before a server's handler sees it (a method not on its list, a
 * head over its limit): the servers answer it from their `clientError` handler with Graph's 400
 * `invalidRequest` (src/http/listen.ts). `undefined` when the handler answers.
 */
export function nodeHttpRefusal(request: HostileRequest, id: string): 400 | undefined {
  if (!METHODS.includes(request.method.toUpperCase())) return 400;
  if (headBytes(request, resolve(request, id).target) > maxHeadBytes) return 400;
  return undefined;
}

/**
 * Sends one request over HTTP with node:http, as a careless client would: any method token, a body
 * on GET, no content type unless the request has one, `Content-Length` set. A fresh connection each
 * time; `timeoutMs` bounds the whole exchange.
 */
export function sendOverHttp(
  baseUrl: string,
  request: HostileRequest,
  id: string,
  timeoutMs: number,
): Promise<Exchange> {
  const { target, body } = resolve(request, id);
  const bytes = body === undefined ? undefined : typeof body === "string" ? Buffer.from(body) : Buffer.from(body);
  const server = new URL(baseUrl);
  const url = new URL(`${baseUrl}${target}`);
  const started = performance.now();
  return new Promise((done, fail) => {
    const outgoing = httpRequest(
      {
        host: server.hostname,
        port: server.port,
        method: request.method,
        path: target,
        agent: false,
        headers: { ...request.headers, ...(bytes === undefined ? {} : { "content-length": String(bytes.length) }) },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("error", fail);
        incoming.on("end", () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            for (const one of Array.isArray(value) ? value : [value ?? ""]) headers.append(name, one);
          }
          done({
            // node:http sends the method in upper case.
            method: request.method.toUpperCase(),
            url,
            status: incoming.statusCode ?? 0,
            headers,
            text: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
          });
        });
      },
    );
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on("error", fail);
    outgoing.end(bytes);
  });
}
