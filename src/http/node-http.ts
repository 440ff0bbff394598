import type { IncomingMessage, ServerResponse } from "node:http";
import type { GraphResponse } from "../graph/graph-responses.js";
import type { GraphRequest } from "../graph/request-checks.js";

/**
 * Reads a node:http request into a {@link GraphRequest}, keeping at most `maxBodyBytes + 1` bytes
 * of its body (enough for the checks to answer 413) and draining the rest.
 */
export function readGraphRequest(
  req: IncomingMessage,
  options: { maxBodyBytes: number; origin: string },
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
    req.on("data", (chunk: Buffer) => {
      if (kept >= keep) return;
      const part = kept + chunk.length > keep ? chunk.subarray(0, keep - kept) : chunk;
      chunks.push(part);
      kept += part.length;
    });
    req.on("end", () =>
      resolve(request(kept === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))),
    );
    req.on("error", reject);
  });
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

/** Writes a response in one go; a known length lets node send headers and body together. */
export function writeGraphResponse(res: ServerResponse, response: GraphResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  response.headers["content-length"] = String(Buffer.byteLength(response.body ?? ""));
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}
