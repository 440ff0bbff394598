import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResponseIds } from "../graph/graph-error-catalogue.js";
import { errorResponse, type GraphResponse } from "../graph/graph-responses.js";
import type { GraphRequest } from "../graph/request-checks.js";

/** A request's body did not arrive within the server's body timeout (decisions.md#request-timeout). */
export class BodyTimeoutError extends Error {
  override name = "BodyTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`The request body did not arrive within ${timeoutMs} ms.`);
  }
}

/** The client went away before its request's body ended: there is no one to answer. */
export class ClientGoneError extends Error {
  override name = "ClientGoneError";
}

/**
 * Reads a node:http request into a {@link GraphRequest}, keeping at most `maxBodyBytes + 1` bytes
 * of its body (enough for the checks to answer 413) and draining the rest. A body that has not
 * ended `bodyTimeoutMs` after the headers is a {@link BodyTimeoutError}; a client that disconnects
 * first is a {@link ClientGoneError}. Either way nothing is left waiting.
 */
export function readGraphRequest(
  req: IncomingMessage,
  options: { maxBodyBytes: number; origin: string; bodyTimeoutMs?: number },
): Promise<GraphRequest> {
  const url = requestUrl(req.url ?? "/", req.headers.host, options.origin);
  const request = (body: Buffer | undefined): GraphRequest => ({
    method: (req.method ?? "GET").toUpperCase(),
    url,
    header: (name) => headerValue(req.headers[name.toLowerCase()]),
    body,
  });
  // Most requests (reads, actions) carry no body: nothing to wait for.
  if (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) {
    req.resume();
    return Promise.resolve(request(undefined));
  }
  const keep = options.maxBodyBytes + 1;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    const timer =
      options.bodyTimeoutMs === undefined || options.bodyTimeoutMs <= 0
        ? undefined
        : setTimeout(() => {
            done();
            // What still comes is read and dropped until the connection closes after the 408.
            chunks.length = 0;
            req.resume();
            reject(new BodyTimeoutError(options.bodyTimeoutMs ?? 0));
          }, options.bodyTimeoutMs);
    const onData = (chunk: Buffer) => {
      if (kept >= keep) return;
      const part = kept + chunk.length > keep ? chunk.subarray(0, keep - kept) : chunk;
      chunks.push(part);
      kept += part.length;
    };
    const onEnd = () => {
      done();
      resolve(request(kept === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    };
    const onGone = () => {
      done();
      chunks.length = 0;
      reject(new ClientGoneError("The client closed the connection before the request's body ended."));
    };
    const onClose = () => {
      if (!req.complete) onGone();
    };
    function done() {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onGone);
      req.off("close", onClose);
    }
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onGone);
    req.on("close", onClose);
  });
}

/**
 * The answer to a request that could not be read: a 408 that closes the connection when its body
 * was too slow; for a client that has gone (whom nothing reaches) or any other failure, `undefined`.
 */
export function unreadRequestResponse(error: unknown, ids: ResponseIds): GraphResponse | undefined {
  if (error instanceof BodyTimeoutError)
    return errorResponse("requestTimeout", error.message, ids, { headers: { connection: "close" } });
  return undefined;
}

/**
 * The URL a request names, whatever the client sent: links the server writes (nextLink, upload URLs)
 * point at the Host the client used, with the server's scheme, or at the server's own origin when
 * the Host header is not a host. An origin-form target is a path even when it starts with `//`, and
 * a target no URL can hold is kept, percent-encoded, as one path segment (so it routes to a 404).
 */
export function requestUrl(target: string, host: string | undefined, origin: string): URL {
  const scheme = origin.startsWith("https:") ? "https:" : "http:";
  let base = origin;
  if (host) {
    try {
      base = new URL(`${scheme}//${host}`).origin;
    } catch {
      // Not a host (a space, an unclosed bracket): the links use the server's own origin.
    }
  }
  try {
    return /^https?:\/\//i.test(target)
      ? new URL(target)
      : new URL(`${base}${target.startsWith("/") ? "" : "/"}${target}`);
  } catch {
    return new URL(`${base}/${encodeURIComponent(target)}`);
  }
}

export function headerValue(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
}

/**
 * Writes a response in one go; a known length lets node send headers and body together. A client
 * that has already gone is written nothing.
 */
export function writeGraphResponse(res: ServerResponse, response: GraphResponse): void {
  if (res.destroyed || res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  response.headers["content-length"] = String(Buffer.byteLength(response.body ?? ""));
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}
