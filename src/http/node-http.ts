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
  // Links the server writes (nextLink, upload URLs) keep the scheme the client used.
  const scheme = options.origin.startsWith("https:") ? "https:" : "http:";
  const request = (body: Buffer | undefined): GraphRequest => ({
    method: (req.method ?? "GET").toUpperCase(),
    url: new URL(req.url ?? "/", req.headers.host ? `${scheme}//${req.headers.host}` : options.origin),
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
